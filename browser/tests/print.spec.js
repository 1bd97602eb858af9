// The posters on paper: each prints as exactly one A4 page (Chromium's own PDF, as a
// union officer's "打印" gives it), with the QR code whole inside the printable area and the
// address beside it in text. Desktop only: printing does not depend on the viewport.
const { test, expect } = require('@playwright/test');

// A4 at CSS pixels (96 per inch), less the @page margin of 14 mm on each side.
const MM = 96 / 25.4;
const PRINTABLE = { width: (210 - 28) * MM, height: (297 - 28) * MM };

/// The first link on `from` whose path matches `pattern`, plus `suffix`.
async function linkOn(page, from, pattern, suffix = '') {
  await page.goto(from);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => pattern.test(h.split('?')[0]));
  if (!href) throw new Error(`no link matching ${pattern} on ${from}`);
  return `${href.split('?')[0]}${suffix}`;
}

const POSTERS = [
  ['reception day', (page) => linkOn(page, '/reception', /^\/reception\/[^/]+$/, '/poster')],
  ['event', (page) => linkOn(page, '/events', /^\/events\/\d+$/, '/poster')],
  ['collection point', (page) => linkOn(page, '/lost-found', /^\/lost-found\/points\/\d+\/poster$/)],
];

/// Pages in a PDF Chromium wrote: its page objects (`/Type /Page`, not the `/Pages` tree).
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

for (const [name, find] of POSTERS) {
  test(`the ${name} poster prints on one A4 page with its QR code whole`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'printing does not depend on the viewport');
    const url = await find(page);
    await page.goto(url);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPages(pdf), `${url} prints on one page`).toBe(1);

    // Laid out as print: the page as wide as A4's printable width.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: Math.floor(PRINTABLE.width), height: Math.floor(PRINTABLE.height) });
    const qr = page.locator('main figure.qr svg').first();
    await expect(qr).toBeVisible();
    const box = await qr.boundingBox();
    expect(box.width, 'the QR code is at least 25 mm wide').toBeGreaterThanOrEqual(25 * MM - 1);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PRINTABLE.width + 1);
    expect(box.y + box.height, 'the QR code ends inside the first page').toBeLessThanOrEqual(PRINTABLE.height + 1);
    // The address is on the paper in text too, for a phone without a scanner.
    const text = await page.locator('main').innerText();
    const origin = new URL(page.url()).origin;
    expect(text).toContain(origin);
    for (const hidden of ['header.site', 'footer.site', 'nav']) {
      for (const el of await page.locator(hidden).all()) await expect(el).toBeHidden();
    }
  });
}
