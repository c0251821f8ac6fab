// Takes the screenshots of docs/images from the sample page (scripts/screenshots.sh starts the server and the page).
//   node scripts/screenshots.mjs PAGE_URL OUT_DIR LABEL SHOT...
// Uses the Playwright driver of the browser tests (PLAYWRIGHT_PACKAGE) with Debian's Chromium (OPENCONDUCT_CHROMIUM).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_PACKAGE);
const [url, out, label, ...shots] = process.argv.slice(2);

const browser = await chromium.launch({ executablePath: process.env.OPENCONDUCT_CHROMIUM, headless: true });

/** The sample page at this size, once the map and both dashboards have drawn. */
async function open(width, height, media = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US', reducedMotion: 'reduce', ...media });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  await page.locator('oc-map path.region').first().waitFor({ state: 'attached' });
  await page.locator('#types g[data-drill], #types g[role=img]').first().waitFor({ state: 'attached' });
  await page.locator('#time svg').first().waitFor({ state: 'attached' });
  return { context, page };
}

const file = (shot) => path.join(out, `${shot}-${label}.png`);

const take = {
  // "Complaints over time" on a desktop: the widget alone.
  'over-time': async () => {
    const { context, page } = await open(1280, 900);
    await page.locator('#time').screenshot({ path: file('over-time') });
    await context.close();
  },
  // The map and its chart on a 390-pixel phone: the whole width the page takes (wider than the phone if it scrolls
  // sideways, with the phone's edge marked).
  phone: async () => {
    const { context, page } = await open(390, 844);
    const box = await page.evaluate(() => {
      const doc = document.documentElement;
      const card = document.getElementById('where').closest('section').getBoundingClientRect();
      if (doc.scrollWidth > doc.clientWidth) {
        const edge = document.createElement('div');
        edge.style.cssText = `position:absolute;left:${doc.clientWidth}px;top:0;height:${doc.scrollHeight}px;border-left:3px dashed #d00;z-index:9`;
        document.body.append(edge);
      }
      return { x: 0, y: card.top + window.scrollY - 8, width: doc.scrollWidth, height: card.height + 16 };
    });
    await page.screenshot({ path: file('phone'), fullPage: true, clip: box });
    await context.close();
  },
  // A chart and the map in forced-colours (high-contrast) mode, dark: the map and its chart side by side.
  'forced-colors': async () => {
    const { context, page } = await open(1280, 900, { forcedColors: 'active', colorScheme: 'dark' });
    await page.locator('#where').locator('xpath=..').locator('.grid').screenshot({ path: file('forced-colors') });
    await context.close();
  },
};

for (const shot of shots) {
  if (!take[shot]) throw new Error(`unknown shot ${shot}: one of ${Object.keys(take).join(', ')}`);
  await take[shot]();
  console.log(file(shot));
}
await browser.close();
