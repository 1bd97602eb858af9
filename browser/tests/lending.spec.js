// Issue 25's journey at a phone's width: the rights head tags a new umbrella at 北区图书馆;
// the demo student opens the URL its QR label carries, borrows it, finds it on their own
// page and gives it back at 西区第一教学楼, whose count on /umbrellas goes up by one.
const { test, expect } = require('@playwright/test');
const { DEMO, loggedIn, shot } = require('./helpers');

/// The available count shown for the station named `name` on /umbrellas.
async function available(page, name) {
  await page.goto('/umbrellas');
  const text = await page.locator('li.station', { hasText: name }).locator('.available').innerText();
  return Number(text.replace(/\D+/g, ''));
}

test('8 an umbrella borrowed by its QR URL at one station and returned at another', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'a phone at the station');
  const [head, student] = await Promise.all([DEMO.rightsHead, DEMO.student].map((no) => loggedIn(browser, testInfo, no)));

  // The head tags one new umbrella at 北区图书馆; its code is the last of its prefix on the label sheet.
  await head.page.goto('/d/rights/lending');
  const items = head.page.locator('form[action$="/lending/items/new"]');
  await items.locator('#f-items_station').selectOption({ label: '北区图书馆' });
  await items.locator('#f-items_kind').selectOption('umbrella');
  await items.locator('#f-items_prefix').fill('JY');
  await items.locator('#f-items_count').fill('1');
  await items.locator('button[type=submit]').click();
  await expect(head.page.locator('.flash')).toBeVisible();
  await head.page.goto('/d/rights/lending/labels');
  const codes = await head.page.locator('.label strong').allInnerTexts();
  const code = codes.filter((c) => c.startsWith('JY')).sort().pop();
  expect(code).toBeTruthy();

  // The demo lends the demo student nothing, so the limit of one umbrella does not refuse.
  await student.page.goto('/me/loans');
  const before = await available(student.page, '西区第一教学楼');

  await student.page.goto(`/umbrellas/i/${code}`);
  await shot(student.page, testInfo, 'lending-item');
  await student.page.locator('form[action$="/borrow"] button[type=submit]').click();
  await expect(student.page).toHaveURL(/\/me\/loans$/);
  await expect(student.page.locator('main')).toContainText(code);

  await student.page.goto(`/umbrellas/i/${code}`);
  await student.page.locator('#f-return_station').selectOption({ label: '西区第一教学楼' });
  await student.page.locator('form[action$="/return"] button[type=submit]').click();
  await expect(student.page).toHaveURL(/\/me\/loans$/);
  await expect(student.page.locator('main')).not.toContainText(code);
  expect(await available(student.page, '西区第一教学楼')).toBe(before + 1);
});
