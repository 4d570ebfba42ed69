// Measures the client dashboard in a real headless Chromium for ./bench.sh dashboard: time from navigation to the
// first complete render (balances, spend chart and map all drawn), then the longest frame while events stream for
// GSTD_STREAM_SECONDS — the longest of Long Animation Frames, long tasks and the gaps between animation frames.
// Prints one JSON line: {"firstRenderMs": …, "longestFrameMs": …}.
//
//   GSTD_URL=… GSTD_KEY=… GSTD_STREAM_SECONDS=30 node browser-tests/dashboard-bench.mjs
import { requiredEnv, runInBrowser } from './browser.mjs';

const url = requiredEnv('GSTD_URL');
const apiKey = requiredEnv('GSTD_KEY');
const streamMs = Number(requiredEnv('GSTD_STREAM_SECONDS')) * 1000;
let figures = null;

async function measure(page) {
  await page.addInitScript((key) => {
    // Signed in as after a reload: the app restores the session from the tab's storage.
    sessionStorage.setItem('gstd.apiKey', key);
    const frames = { longest: 0, counting: false, last: 0, worst: null, since: 0 };
    window.__gstdFrames = frames;
    const observe = (type) => {
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            // Entries arrive after their frame ends: one that began before counting belongs to the first render.
            if (frames.counting && entry.startTime >= frames.since && entry.duration > frames.longest) {
              frames.longest = entry.duration;
              // What the longest frame ran, so a regression points at its cause.
              const scripts = (entry.scripts ?? []).map((s) => `${s.invoker} ${Math.round(s.duration)}ms`).slice(0, 3).join(', ');
              frames.worst = `${type} at +${Math.round(entry.startTime - frames.since)}ms: ${scripts || 'no script attribution'}`;
            }
          }
        }).observe({ type, buffered: false });
      } catch {
        // An entry type this Chromium does not know: the other measures still count.
      }
    };
    observe('long-animation-frame');
    observe('longtask');
    const tick = (now) => {
      if (frames.counting && frames.last > 0 && now - frames.last > frames.longest) {
        frames.longest = now - frames.last;
        frames.worst = `animation frame gap at +${Math.round(frames.last - frames.since)}ms`;
      }
      frames.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, apiKey);

  await page.goto(url, { waitUntil: 'commit' });
  const rendered = await page.waitForFunction(
    () => {
      const map = document.querySelector('.map-stack[role="img"]');
      const chart = document.querySelector('.spend-plot canvas');
      const balances = [...document.querySelectorAll('.balance-amount')];
      const ready = map?.getAttribute('aria-busy') === 'false' && chart !== null && balances.length > 0 && balances.every((b) => b.textContent !== '—');
      return ready ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const firstRenderMs = await rendered.jsonValue();

  await page.evaluate(() => {
    window.__gstdFrames.counting = true;
    window.__gstdFrames.last = 0;
    window.__gstdFrames.since = performance.now();
  });
  await page.waitForTimeout(streamMs);
  const { longest: longestFrameMs, worst } = await page.evaluate(() => window.__gstdFrames);
  figures = { firstRenderMs, longestFrameMs, worst };
}

const exitCode = await runInBrowser('dashboard bench', streamMs + 120_000, measure);
if (figures !== null) {
  console.log(JSON.stringify(figures));
}
process.exit(exitCode);
