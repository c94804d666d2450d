// Opens a running serve's /docs in headless Chromium and checks that Swagger UI renders the served
// OpenAPI document: every operation of the document is listed, nothing is fetched from outside the
// server (no CDN), and no script fails.
//
//   node docs.test.mjs --url http://127.0.0.1:PORT --operations 47 --screenshot docs.png
//
// Exits 0 when all checks pass; prints one line per check and the reason of a failure.
import { chromium } from 'playwright-core';

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const base = option('url');
const operations = Number(option('operations', '1'));
const screenshot = option('screenshot', 'docs.png');
const chromiumPath = option('chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const timeout = Number(option('timeout-ms', '60000'));
if (!base) {
  console.error('usage: node docs.test.mjs --url http://127.0.0.1:PORT [--operations N] [--screenshot FILE]');
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

  await page.goto(base + '/docs');
  console.log('page loaded');
  await page.waitForSelector('.swagger-ui .info .title');
  console.log('the document is rendered: ' + (await page.textContent('.swagger-ui .info .title')).trim());
  await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations);
  console.log('operations listed: ' + (await page.$$('.opblock')).length);
  if (await page.$('.swagger-ui .errors-wrapper')) {
    problems.push('Swagger UI reports errors in the document: '
      + (await page.textContent('.swagger-ui .errors-wrapper')).trim().slice(0, 500));
  }
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log('screenshot: ' + screenshot);
} catch (error) {
  problems.push(String(error && error.message || error));
} finally {
  await browser.close();
}
if (problems.length > 0) {
  for (const problem of problems) console.log('FAIL ' + problem);
  process.exit(1);
}
console.log('all docs checks passed');
