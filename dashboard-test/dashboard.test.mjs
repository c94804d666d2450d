// Opens a running serve's /dashboard in headless Chromium and checks, while the caller puts load on
// the server, that the page is live: every expected service has its charts, the request chart is
// redrawn as snapshots arrive, nothing is fetched from outside the server, and no script fails.
//
//   node dashboard.test.mjs --url http://127.0.0.1:PORT --expect http,compute,relay --screenshot out.png
//
// Exits 0 when all checks pass; prints one line per check and the reason of a failure.
import { chromium } from 'playwright-core';

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const base = option('url');
const expected = option('expect', 'http').split(',').filter(Boolean);
const screenshot = option('screenshot', 'dashboard.png');
const chromiumPath = option('chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const timeout = Number(option('timeout-ms', '60000'));
if (!base) {
  console.error('usage: node dashboard.test.mjs --url http://127.0.0.1:PORT [--expect a,b] [--screenshot FILE]');
  process.exit(2);
}

const problems = [];
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.setDefaultTimeout(timeout);
  const origin = new URL(base).origin;
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) {
      problems.push('fetched from outside the server: ' + request.url());
    }
  });
  page.on('pageerror', (error) => problems.push('script error: ' + error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push('console error: ' + message.text());
  });

  await page.goto(base + '/dashboard');
  console.log('page loaded');

  // Live: snapshots arrive and show requests being served.
  await page.waitForFunction(() => window.dashboard.received >= 3
    && window.dashboard.last.http && window.dashboard.last.http.rps > 0);
  console.log('snapshots arrive and show traffic');

  for (const service of expected) {
    await page.waitForSelector(`#section-${service} canvas`);
  }
  console.log('charts of ' + expected.join(', ') + ' are drawn');
  for (const service of ['compute', 'fanout', 'relay', 'eye', 'distribute']) {
    if (!expected.includes(service) && (await page.$(`#section-${service}`))) {
      problems.push(`section ${service} shown although that service is not running`);
    }
  }

  // Moving: the request chart's pixels change from one snapshot to the next ones.
  const pixels = () => page.$eval('#chart-http-rps canvas', (canvas) => canvas.toDataURL());
  const before = await pixels();
  const received = await page.evaluate(() => window.dashboard.received);
  await page.waitForFunction((n) => window.dashboard.received >= n + 2, received);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const after = await pixels();
  if (before === after) {
    problems.push('the request chart did not change while snapshots arrived');
  } else {
    console.log('the request chart moves');
  }

  if (expected.includes('distribute')) {
    await page.waitForSelector('#section-distribute table.workers tr:nth-child(2)');
    console.log('distribute workers are listed');
  }

  // Let the charts fill a little for a useful picture, then keep it.
  const shown = await page.evaluate(() => window.dashboard.received);
  await page.waitForFunction((n) => window.dashboard.received >= n + 3, shown);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('screenshot: ' + screenshot);
} catch (error) {
  problems.push(error.message.split('\n')[0]);
} finally {
  await browser.close();
}

if (problems.length) {
  problems.forEach((p) => console.error('FAIL: ' + p));
  process.exit(1);
}
console.log('OK');
