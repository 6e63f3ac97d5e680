// Browser test of the live page, run by LivePageIT: headless Chromium (Debian's) driven by playwright-core.
// usage: node live-page.mjs <page url> <screenshot path> <seeded 1-minute candles> <seeded hourly> <seeded daily>
// Prints WAITING_FOR_NEW_CANDLE once the seeded candles show; the Java side then writes a new candle, and this script
// waits for it to appear without a reload. Then it checks the pipeline panel's feed gaps (the stand-in ingestor's
// values), and the longer ranges: 7 days shows the hourly candles, 1 year the daily ones, both without the live
// stream, and 24 hours the 1-minute ones again, live. Exit 0 = passed; otherwise the reason is on stderr.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, seededText, hoursText, daysText] = process.argv.slice(2);
const seeded = Number(seededText);
const seededHours = Number(hoursText);
const seededDays = Number(daysText);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'query-api-chromium-'));
const problems = [];
let context;

async function waitFor(page, what, predicate, arg, timeout) {
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 200 });
  } catch (e) {
    const state = await page.evaluate(() => JSON.stringify(window.queryPage)).catch(() => '?');
    throw new Error(`${what} did not happen within ${timeout} ms; page state ${state}`);
  }
}

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    viewport: { width: 1280, height: 760 },
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText || '';
    // the SSE request is aborted when the page closes; anything else failing is a problem
    if (!request.url().includes('/live') || !failure.includes('ABORTED')) problems.push(`request failed: ${request.url()} ${failure}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(new URL(url).origin) && !request.url().startsWith('data:')) {
      problems.push(`request to another origin: ${request.url()}`);
    }
  });

  await page.goto(url, { waitUntil: 'load' });
  await waitFor(page, `the ${seeded} seeded candles`, (n) => window.queryPage && window.queryPage.ready
    && window.queryPage.candleCount >= n, seeded, 20000);
  await waitFor(page, 'the latest trades', () => window.queryPage.tradesShown > 0, null, 10000);
  const before = await page.evaluate(() => ({ ...window.queryPage }));
  const canvases = await page.locator('#chart canvas').count();
  if (canvases === 0) throw new Error('the chart drew no canvas');
  await waitFor(page, 'the pipeline table', () => document.querySelectorAll('#pipeline td.UP, #pipeline td.DOWN, '
    + '#pipeline td.UNREACHABLE, #pipeline td.NOT_CONFIGURED').length >= 3, null, 10000);

  console.log('WAITING_FOR_NEW_CANDLE ' + JSON.stringify(before));
  await waitFor(page, 'the new candle (live, without reload)', (prev) => window.queryPage.candleCount === prev.candleCount + 1
    && window.queryPage.lastCandleTime > prev.lastCandleTime && window.queryPage.liveUpdates > 0, before, 30000);
  const after = await page.evaluate(() => ({ ...window.queryPage }));
  console.log('NEW_CANDLE_SHOWN ' + JSON.stringify(after));

  // the stand-in ingestor: 42.5 s idle, 1.25 s starting, disconnected for 7 s, ETHUSDT without a trade for 95 s
  await waitFor(page, 'the feed gaps in the pipeline panel', () => {
    const feed = document.querySelector('#pipeline tr.feed');
    const text = feed ? feed.textContent : '';
    return text.includes('feed gaps 44 s (idle 43 s, starting 1 s)') && text.includes('disconnected for 7 s')
      && text.includes('BINANCE:ETHUSDT 95 s') && !text.includes('BINANCE:BTCUSDT');
  }, null, 10000);
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.selectOption('#range', '168');
  await waitFor(page, `the ${seededHours} hourly candles of the 7-day range, without the live stream`,
    (n) => window.queryPage.interval === '1h' && window.queryPage.candleCount === n && !window.queryPage.liveOpen
      && document.getElementById('chart-title').textContent.includes('1-hour candles'), seededHours, 20000);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-7d.png'), fullPage: true });
  await page.selectOption('#range', '8760');
  await waitFor(page, `the ${seededDays} daily candles of the 1-year range`,
    (n) => window.queryPage.interval === '1d' && window.queryPage.candleCount === n && !window.queryPage.liveOpen,
    seededDays, 20000);
  await page.selectOption('#range', '24');
  await waitFor(page, 'the 1-minute candles again, live',
    (n) => window.queryPage.interval === '1m' && window.queryPage.candleCount >= n && window.queryPage.liveOpen,
    seeded + 1, 20000);
  console.log('RANGES_SHOWN ' + JSON.stringify(await page.evaluate(() => ({ ...window.queryPage }))));
  if (problems.length) throw new Error(problems.join('\n'));
  console.log('PASSED');
} catch (e) {
  console.error(e.stack || String(e));
  if (problems.length) console.error(problems.join('\n'));
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
