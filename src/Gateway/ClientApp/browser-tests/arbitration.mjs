// Drives the arbitration page in a real headless Chromium against a running gateway:
// sign in as an admin, open a dispute from the queue, decide a split, and see it resolved.
// Fails on any console error or Content-Security-Policy violation, since the gateway serves the app under a strict CSP.
//
//   GSTD_URL=http://127.0.0.1:5080 GSTD_ADMIN_KEY=… GSTD_DISPUTE_ID=dsp_… GSTD_WORKER_SHARE=0.3 GSTD_NOTE='…' \
//   [GSTD_SCREENSHOT=/tmp/arbitration.png] [CHROMIUM=/usr/bin/chromium] node browser-tests/arbitration.mjs
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const OVERALL_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
const MAX_QUEUE_PAGES = 20;

function requiredEnv(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set.`);
  }
  return value;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function run(page, problems) {
  const url = requiredEnv('GSTD_URL');
  const adminKey = requiredEnv('GSTD_ADMIN_KEY');
  const disputeId = requiredEnv('GSTD_DISPUTE_ID');
  const workerShare = requiredEnv('GSTD_WORKER_SHARE');
  const note = requiredEnv('GSTD_NOTE');

  await page.goto(url, { waitUntil: 'load' });

  await page.getByLabel('API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const arbitration = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Arbitration' });
  await arbitration.waitFor().catch(async () => {
    const alert = await page.getByRole('alert').textContent().catch(() => null);
    throw new Error(`signing in did not show the Arbitration link${alert ? `: ${alert}` : ''}`);
  });
  await arbitration.click();
  await page.getByRole('heading', { name: 'Arbitration', level: 1 }).waitFor();

  // The dispute may be past the first page of the queue.
  const disputeLink = page.getByRole('row').getByRole('link', { name: disputeId, exact: true });
  const more = page.getByRole('button', { name: 'More' });
  for (let pages = 1; ; pages++) {
    await page.getByText('Loading…').waitFor({ state: 'detached' });
    if ((await disputeLink.count()) > 0) {
      break;
    }
    if (pages >= MAX_QUEUE_PAGES || (await more.count()) === 0) {
      throw new Error(`dispute ${disputeId} is not in the arbitration queue (${pages} page(s) looked at)`);
    }
    await more.click();
  }
  await disputeLink.click();

  await page.getByRole('heading', { name: `Dispute ${disputeId}`, exact: true }).waitFor();
  const submitted = page.getByRole('region', { name: 'Submitted output' });
  await submitted.getByRole('heading', { name: 'Submitted output' }).waitFor();
  if ((await submitted.locator('pre').count()) === 0 && (await submitted.getByText('The output is empty.').count()) === 0) {
    throw new Error('the submitted output section shows neither text nor an empty-output note');
  }
  const status = page.getByTestId('dispute-status');
  const before = (await status.textContent())?.trim();
  if (before !== 'AwaitingArbitration') {
    throw new Error(`the dispute's status is ${JSON.stringify(before)}, not AwaitingArbitration`);
  }

  await page.getByLabel('Split', { exact: true }).check();
  await page.getByLabel('Worker share', { exact: true }).fill(workerShare);
  await page.getByLabel('Note', { exact: true }).fill(note);
  await page.getByRole('button', { name: 'Decide', exact: true }).click();

  await page
    .getByTestId('dispute-status')
    .filter({ hasText: /^Resolved$/ })
    .waitFor()
    .catch(async () => {
      const alert = await page.getByRole('alert').allTextContents().catch(() => []);
      throw new Error(`the dispute did not become Resolved${alert.length > 0 ? `: ${alert.join(' ')}` : ''}`);
    });
  await page
    .getByTestId('dispute-decision')
    .filter({ hasText: new RegExp(`: ${escapeRegExp(note)}$`) })
    .waitFor();

  if (problems.length > 0) {
    throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
  }
}

async function main() {
  const problems = [];
  const profile = await mkdtemp(join(tmpdir(), 'gstd-chromium-'));
  let context;
  let page;
  const deadline = new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${OVERALL_TIMEOUT_MS / 1000} s`)), OVERALL_TIMEOUT_MS);
    timer.unref();
  });
  try {
    context = await Promise.race([
      chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        timeout: STEP_TIMEOUT_MS,
      }),
      deadline,
    ]);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    // Reported through the console so that violations are caught even where Chromium does not log them itself.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`);
      });
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`uncaught error: ${error.message}`));
    page.on('dialog', (dialog) => {
      // An alert() can only come from script the app did not mean to run.
      problems.push(`unexpected ${dialog.type()} dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });

    await Promise.race([run(page, problems), deadline]);
    console.log('arbitration page: ok');
    return 0;
  } catch (error) {
    console.log(`arbitration page: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    const others = problems.filter((problem) => !String(error).includes(problem));
    if (others.length > 0) {
      console.log(`also reported by the page:\n  ${others.join('\n  ')}`);
    }
    const screenshot = process.env.GSTD_SCREENSHOT;
    if (screenshot && page) {
      await page
        .screenshot({ path: screenshot, fullPage: true, timeout: 5_000 })
        .then(() => console.log(`screenshot: ${screenshot}`))
        .catch((failure) => console.log(`no screenshot: ${failure.message}`));
    }
    return 1;
  } finally {
    await context?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}

process.exit(await main());
