// Drives the arbitration page in a real headless Chromium against a running gateway:
// sign in as an admin, open a dispute from the queue, decide a split, and see it resolved.
// Fails on any console error or Content-Security-Policy violation, since the gateway serves the app under a strict CSP.
//
//   GSTD_URL=http://127.0.0.1:5080 GSTD_ADMIN_KEY=… GSTD_DISPUTE_ID=dsp_… GSTD_WORKER_SHARE=0.3 GSTD_NOTE='…' \
//   [GSTD_SCREENSHOT=/tmp/arbitration.png] [CHROMIUM=/usr/bin/chromium] node browser-tests/arbitration.mjs
import { escapeRegExp, requiredEnv, runInBrowser, signIn } from './browser.mjs';

const OVERALL_TIMEOUT_MS = 60_000;
const MAX_QUEUE_PAGES = 20;

async function run(page, problems) {
  const url = requiredEnv('GSTD_URL');
  const adminKey = requiredEnv('GSTD_ADMIN_KEY');
  const disputeId = requiredEnv('GSTD_DISPUTE_ID');
  const workerShare = requiredEnv('GSTD_WORKER_SHARE');
  const note = requiredEnv('GSTD_NOTE');

  await signIn(page, url, adminKey);
  const arbitration = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Arbitration' });
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

}

process.exit(await runInBrowser('arbitration page', OVERALL_TIMEOUT_MS, run));
