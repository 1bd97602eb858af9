// Campus sign-in (统一身份认证) in Chromium: from the portal's login page to the school's CAS
// server (the real django-cas-server that scripts/browser-test starts) and back, signed in.
const { test, expect } = require('@playwright/test');
const { shot, expectAccessible } = require('./helpers');

test('a student signs in through the school\'s CAS server and comes back verified', async ({ page }, testInfo) => {
  test.skip(!process.env.PORTAL_CAS_URL, 'no CAS server configured');
  await page.goto('/login?next=%2Fme');
  const campus = page.locator('#campus-sign-in');
  await expect(campus).toBeVisible();
  await expectAccessible(page);
  await campus.click();

  // At the CAS server: its own login form; the portal never sees this password.
  await expect(page).toHaveURL(new RegExp('^' + process.env.PORTAL_CAS_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/login'));
  await page.locator('#id_username').fill('2024010001');
  await page.locator('#id_password').fill('campus-pass-1');
  await shot(page, testInfo, 'campus-cas-login');
  await page.locator('form button[type=submit], form input[type=submit]').first().click();

  await expect(page).toHaveURL(/\/me$/);
  await expect(page.locator('.flash')).toBeVisible();
  await expect(page.locator('main')).toContainText('林晓雨');
  await shot(page, testInfo, 'campus-signed-in');
});
