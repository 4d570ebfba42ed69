// Drives the client web app in a real headless Chromium against a running gateway with a located worker serving it:
// sign in, submit a task through the form, see it in the table and on the map as it moves through its states,
// accept it and see the spend chart change, submit and cancel another and see the refund, dispute a third; then
// screenshots of every page at desktop and phone sizes (the operator's workers and the admin's arbitration included).
//
//   GSTD_URL=… GSTD_CLIENT_KEY=… GSTD_OPERATOR_KEY=… GSTD_ADMIN_KEY=… GSTD_MODULE_PATH=/path/echo.wasm \
//   GSTD_SHOTS=/dir/for/screenshots [GSTD_SCREENSHOT=/tmp/failure.png] node browser-tests/dashboard.mjs
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { requiredEnv, runInBrowser, signIn } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 180_000;
const LIVE_TIMEOUT_MS = 60_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function run(page) {
  const url = requiredEnv('GSTD_URL');
  const shots = requiredEnv('GSTD_SHOTS');
  await mkdir(shots, { recursive: true });

  await page.goto(url, { waitUntil: 'load' });
  await page.getByLabel('API key').waitFor();
  await screenshots(page, shots, 'sign-in');
  await signIn(page, url, requiredEnv('GSTD_CLIENT_KEY'));
  const nav = page.getByRole('navigation', { name: 'Main' });
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: LIVE_TIMEOUT_MS });

  // The dashboard, before any work: nothing spent.
  await page.getByRole('heading', { name: 'Spending' }).waitFor();
  await expectText(page.getByTestId('spend-total-spent'), '0 GSTD');
  const availableBefore = await cardAmount(page, 'Available');

  // Submit a task through the form; the app opens it in the task drawer.
  const firstId = await submitTask(page, nav);
  const drawer = page.getByRole('dialog');
  await drawer.getByText(/^(Assigned|Running)$/).first().waitFor({ timeout: LIVE_TIMEOUT_MS });

  // While the worker holds it, the map shows it at the worker's cell, running.
  await drawer.getByRole('button', { name: 'Close' }).click();
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('img', { name: /^1 active task on 1 cell/ }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  await screenshots(page, shots, 'dashboard');

  // It completes; accepting it in the drawer settles it and the spend chart counts it as spent, live.
  await nav.getByRole('link', { name: 'Tasks' }).click();
  const firstRow = page.getByRole('row').filter({ hasText: firstId });
  await firstRow.getByText('Completed').waitFor({ timeout: LIVE_TIMEOUT_MS });
  await screenshots(page, shots, 'tasks');
  await firstRow.getByRole('link').first().click();
  await drawer.getByRole('button', { name: 'Accept result' }).click();
  await drawer.getByText('Settled').first().waitFor({ timeout: LIVE_TIMEOUT_MS });
  await screenshots(page, shots, 'task-drawer');
  await drawer.getByRole('button', { name: 'Close' }).click();
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await expectText(page.getByTestId('spend-total-spent'), '0.525 GSTD');

  // A second task, cancelled while the worker holds it: its escrow comes back.
  await submitTask(page, nav);
  await drawer.getByRole('button', { name: 'Cancel task' }).click();
  await drawer.getByText('Cancelled').first().waitFor({ timeout: LIVE_TIMEOUT_MS });
  await drawer.getByRole('button', { name: 'Close' }).click();
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await expectText(page.getByTestId('spend-total-refunded'), '0.525 GSTD');
  await expectText(card(page, 'In escrow'), /^0 GSTD$/);
  const availableAfter = await cardAmount(page, 'Available');
  if (availableBefore - availableAfter !== 525_000_000n) {
    throw new Error(`available went from ${availableBefore} to ${availableAfter} nano-GSTD, not down by exactly the accepted task's 0.525`);
  }

  // A third, disputed from the drawer once it completes: it goes to an arbitrator.
  await submitTask(page, nav);
  await drawer.getByText('Completed').first().waitFor({ timeout: LIVE_TIMEOUT_MS });
  await drawer.getByRole('button', { name: 'Dispute result…' }).click();
  await drawer.getByLabel('Other').check();
  await drawer.getByLabel('Details').fill('Took far too long for an echo.');
  await drawer.getByRole('button', { name: 'Open dispute' }).click();
  await drawer.getByText('Disputed').first().waitFor({ timeout: LIVE_TIMEOUT_MS });
  await drawer.getByRole('button', { name: 'Close' }).click();

  await nav.getByRole('link', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Submit a task' }).waitFor();
  await screenshots(page, shots, 'submit');

  await signOutAndIn(page, url, requiredEnv('GSTD_OPERATOR_KEY'));
  await page.getByRole('heading', { name: 'Workers', level: 1 }).waitFor();
  await screenshots(page, shots, 'workers');
  await page.getByRole('main').getByRole('link', { name: /amsterdam/ }).first().click();
  await page.waitForURL(/#\/workers\/wrk_/);
  await page.getByRole('heading', { name: /amsterdam/ }).first().waitFor();
  await screenshots(page, shots, 'worker');

  await signOutAndIn(page, url, requiredEnv('GSTD_ADMIN_KEY'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Arbitration' }).click();
  await page.getByRole('heading', { name: 'Arbitration', level: 1 }).waitFor();
  await screenshots(page, shots, 'arbitration');
  await page.getByRole('row').getByRole('link', { name: /^dsp_/ }).first().click();
  await page.getByRole('heading', { name: /^Dispute dsp_/ }).waitFor();
  await screenshots(page, shots, 'dispute');
}

async function submitTask(page, nav) {
  await nav.getByRole('link', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Submit a task' }).waitFor();
  await page.getByLabel('Module file').setInputFiles(requiredEnv('GSTD_MODULE_PATH'));
  await page.getByLabel('Input text').fill('hi');
  await page.getByLabel('Price (GSTD)').fill('0.5');
  await page.getByRole('button', { name: 'Submit task' }).click();
  await page.waitForURL(/#\/tasks\/tsk_/);
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2].split('?')[0]);
}

/** The amount shown on a balance card. */
function card(page, label) {
  return page.getByRole('region', { name: 'Balance' }).locator('li.balance-card').filter({ hasText: label }).locator('.balance-amount');
}

/** The card's amount in nano-GSTD, read exactly from its text ("9 474.475 GSTD"). */
async function cardAmount(page, label) {
  const text = (await card(page, label).textContent()) ?? '';
  const match = /^(\d[\d\u202f ]*(?:\.\d+)?) GSTD$/.exec(text.trim());
  if (match === null) {
    throw new Error(`the ${label} card shows no amount: ${JSON.stringify(text)}`);
  }
  const [units, fraction = ''] = match[1].replace(/[\u202f ]/g, '').split('.');
  return BigInt(units) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
}

async function expectText(locator, expected) {
  await locator.filter({ hasText: expected }).first().waitFor({ timeout: LIVE_TIMEOUT_MS }).catch(async () => {
    throw new Error(`expected ${expected} but the page shows ${JSON.stringify(await locator.first().textContent().catch(() => null))}`);
  });
}

async function signOutAndIn(page, url, apiKey) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, url, apiKey);
}

async function screenshots(page, dir, name) {
  await page.screenshot({ path: join(dir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(dir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

process.exit(await runInBrowser('dashboard pages', OVERALL_TIMEOUT_MS, run, DESKTOP));
