// The page's first view as a reader gets it: bytes transferred (bodies and
// headers, as Chromium counts them) and the time until the map is ready,
// from a running server.
//
//   node bench/first_view.mjs http://127.0.0.1:8080
//
// Needs web/node_modules (npm ci in web/) and Chromium (CHROMIUM, default
// /usr/bin/chromium).
import { chromium } from '../web/node_modules/playwright-core/index.mjs';

const url = process.argv[2] || 'http://127.0.0.1:8080';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
const sizes = [];
page.on('requestfinished', (r) => sizes.push(r.sizes().then((s) => [new URL(r.url()).pathname, s.responseBodySize + s.responseHeadersSize])));
const t0 = Date.now();
await page.goto(url + '/', { waitUntil: 'load' });
await page.waitForSelector('#map[data-ready="true"]', { timeout: 60_000 });
const ready = Date.now() - t0;
// Let the charts and tables of the first view finish loading.
await page.waitForLoadState('networkidle');
const all = await Promise.all(sizes);
const total = all.reduce((n, [, b]) => n + b, 0);
console.log(`map ready ${ready} ms; first view ${total} bytes in ${all.length} responses`);
for (const [path, b] of all.sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${b}\t${path}`);
const inPage = await page.evaluate(() => document.querySelector('#map').dataset.readyMs);
console.log(`map ready ${inPage} ms after navigation start, as the page measures it`);

// The slider: ten moves to days not shown before, each timed by the page
// from the request to the map idle again (data-redraw-ms).
const max = Number(await page.locator('#slider').getAttribute('max'));
const redraws = [];
for (let k = 1; k <= 10 && max > 0; k++) {
  const i = Math.max(0, max - 7 * k);
  const day = await page.evaluate((i) => {
    const s = document.querySelector('#slider');
    s.value = String(i);
    s.dispatchEvent(new Event('input'));
    return document.querySelector('#date-label').textContent;
  }, i);
  await page.waitForFunction((d) => document.querySelector('#map').dataset.date === d, day, { timeout: 30_000 });
  redraws.push(Number(await page.locator('#map').getAttribute('data-redraw-ms')));
}
redraws.sort((a, b) => a - b);
if (redraws.length) console.log(`slider redraw: median ${redraws[Math.floor(redraws.length / 2)]} ms, max ${redraws.at(-1)} ms over ${redraws.length} moves`);
await browser.close();
