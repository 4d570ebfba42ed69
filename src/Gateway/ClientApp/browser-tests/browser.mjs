// Shared by the browser tests and the dashboard bench: a headless Chromium (Debian's, driven by playwright-core)
// that reports console errors, uncaught errors, unexpected dialogs and Content-Security-Policy violations, since
// the gateway serves the app under a strict CSP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const STEP_TIMEOUT_MS = 15_000;

export function requiredEnv(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set.`);
  }
  return value;
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs `scenario(page, problems)` in a fresh browser profile within `overallMs`; prints `<name>: ok` or
 * `<name>: FAILED: …` (with a screenshot to GSTD_SCREENSHOT when set) and answers the process exit code.
 */
export async function runInBrowser(name, overallMs, scenario, viewport = { width: 1280, height: 800 }) {
  const problems = [];
  const profile = await mkdtemp(join(tmpdir(), 'gstd-chromium-'));
  let context;
  let page;
  const deadline = new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${overallMs / 1000} s`)), overallMs);
    timer.unref();
  });
  try {
    context = await Promise.race([
      chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        viewport,
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

    await Promise.race([scenario(page, problems), deadline]);
    if (problems.length > 0) {
      throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
    }
    console.log(`${name}: ok`);
    return 0;
  } catch (error) {
    console.log(`${name}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
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

/** Signs in through the form, as a person would. */
export async function signIn(page, url, apiKey) {
  await page.goto(url, { waitUntil: 'load' });
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor().catch(async () => {
    const alert = await page.getByRole('alert').textContent().catch(() => null);
    throw new Error(`signing in did not show the navigation${alert ? `: ${alert}` : ''}`);
  });
}
