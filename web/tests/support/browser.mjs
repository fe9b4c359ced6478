// Headless Chromium as the browser tests drive it: Debian's `chromium`
// (CHROMIUM to use another), software WebGL, no background traffic.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

// A page in a window of `viewport`, with the script errors it raises
// collected in `errors` (every test asserts there are none).
export async function openPage(browser, viewport = { width: 1400, height: 1100 }) {
  const page = await (await browser.newContext({ viewport })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}
