// Browser test: loads the page from a running Frontline server in headless
// Chromium (Debian's `chromium`, driven by playwright-core), moves the time
// slider, checks that the map and the charts rendered, and saves a
// screenshot.
//
//   FRONTLINE_URL=http://127.0.0.1:8080 node --test tests/
//
// CHROMIUM may point at another Chromium binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const url = process.env.FRONTLINE_URL || 'http://127.0.0.1:8080';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const shot = process.env.SCREENSHOT || 'screenshot.png';

test('map, slider and charts render', { timeout: 120_000 }, async () => {
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url + '/', { waitUntil: 'load' });

    // The map: MapLibre made its WebGL canvas and finished loading sources.
    await page.waitForSelector('#map canvas.maplibregl-canvas', { timeout: 30_000 });
    await page.waitForSelector('#map[data-ready="true"]', { timeout: 60_000 });

    // The daily series chart: uPlot drew a canvas.
    await page.waitForSelector('#chart-series[data-rendered="true"] canvas', { timeout: 30_000 });

    const hasSnapshots = (await page.locator('#slider').getAttribute('max')) !== '0';
    if (hasSnapshots) {
      const before = await page.locator('#date-label').textContent();
      await page.locator('#slider').fill('10');
      await page.waitForFunction((b) => document.querySelector('#map').dataset.date !== b, before, { timeout: 30_000 });
      const after = await page.locator('#date-label').textContent();
      assert.notEqual(after, before, 'moving the slider changes the date');
      assert.match(page.url(), new RegExp(`date=${after}`), 'the date is in the permalink');
      // The control layer is drawn for the new date.
      const rendered = await page.evaluate(() => {
        const canvas = document.querySelector('#map canvas');
        return canvas && canvas.width > 0 && canvas.height > 0;
      });
      assert.ok(rendered, 'map canvas has a size');
      await page.waitForSelector('#chart-area[data-rendered="true"] canvas', { timeout: 30_000 });
      // Occupied ground by oblast for the map date: Luhansk oblast is there.
      await page.waitForSelector('#table-units table tbody tr', { timeout: 60_000 });
      const oblasts = await page.locator('#table-units tbody tr td:nth-child(2)').allTextContents();
      assert.ok(oblasts.includes('UA-09'), `Luhansk oblast listed: ${oblasts}`);
    }

    // A table filled from the API.
    await page.waitForSelector('#table-records table tbody tr', { timeout: 30_000 });
    const records = await page.locator('#table-records tbody tr').count();
    assert.ok(records > 0, 'record days listed');

    // The claims ledger with verdict badges (data/claims/claims.csv).
    await page.waitForSelector('#table-claims table tbody tr', { timeout: 60_000 });
    const verdicts = await page.locator('#table-claims tbody .verdict').allTextContents();
    assert.ok(verdicts.includes('supported') && verdicts.includes('overstated'), `claims checked: ${verdicts}`);
    // An evidence count (Oryx's tanks, as CNN reported them) measured on
    // the bundled scrape, and the column of the check on the claim's day.
    const heads = await page.locator('#table-claims thead th').allTextContents();
    assert.ok(heads.includes('on its day'), `columns: ${heads}`);
    const cnn = await page.locator('#table-claims tbody tr', { hasText: '1,000 distinct Russian tank losses' }).locator('td.num').textContent();
    assert.equal(cnn.trim(), '1125', 'CNN claim measured on the bundled Oryx scrape');

    // Named lists by vintage: a line per vintage when the server holds
    // them (scripts/test.sh imports them from the shared data), else a
    // message saying none is imported — never a blank chart.
    const named = await fetch(url + '/api/v1/backfill?subject=Ukraine&period=month');
    if (named.ok) {
      await page.waitForSelector('#chart-backfill[data-rendered="true"] canvas', { timeout: 30_000 });
      const legend = await page.locator('#chart-backfill .u-legend').textContent();
      assert.ok(legend.includes('vintage 2025-08-21') && legend.includes('vintage 2025-10-28'), `vintages: ${legend}`);
      await page.waitForSelector('#chart-named[data-rendered="true"] canvas', { timeout: 30_000 });
    } else {
      await page.waitForSelector('#chart-backfill p.note', { timeout: 30_000 });
      assert.match(await page.locator('#chart-backfill').textContent(), /No named-list vintages imported/);
    }
    // The lag alerts, in words.
    await page.waitForSelector('#table-lag-alerts table tbody tr', { timeout: 30_000 });
    const causes = await page.locator('#table-lag-alerts tbody tr td:nth-child(2)').allTextContents();
    assert.ok(causes.includes('scraping gap'), `lag alert causes: ${causes}`);

    // The live sources' freshness: one row per source the server can sync.
    await page.waitForSelector('#table-health table tbody tr', { timeout: 30_000 });
    const health = await page.locator('#table-health tbody tr td:first-child').allTextContents();
    assert.deepEqual(health, ['deepstate', 'tallies', 'warspotting', 'oryx'], 'every synced source has a freshness row');

    // The map really painted something other than the sea colour.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: shot, fullPage: true });
    const png = await page.locator('#map').screenshot();
    console.log('map screenshot bytes', png.length);
    assert.ok(png.length > 10_000, 'map screenshot is not blank');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
  }
});
