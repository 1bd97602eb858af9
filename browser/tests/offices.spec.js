// School offices (issue 19): the union forwards a complaint to 后勤处, 后勤处's liaison answers
// it on a phone, and the office's public page and the student's timeline show it.
const { test, expect } = require('@playwright/test');
const { DEMO, loggedIn, registerStudent, shot, expectAccessible } = require('./helpers');

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

test('7 forwarded to 后勤处, the liaison answers on a phone, the office page updates', async ({ page, browser }, testInfo) => {
  await registerStudent(page, '宋同学');
  const title = `北区浴室热水时有时无 ${testInfo.project.name}`;
  await page.goto('/complaints/new');
  await page.getByLabel('类别').selectOption('logistics');
  await page.locator('#f-title').fill(title);
  await page.locator('#f-location').fill('北区浴室');
  await page.locator('#f-description').fill('这一周晚上九点以后热水时有时无，洗到一半就变冷水。');
  await page.locator('input[name=visibility][value=public]').check();
  await page.locator('main form button[type=submit]').click();
  await expect(page).toHaveURL(/\/complaints\/[0-9A-Z-]+$/);
  const trackingNo = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());

  // The rights department accepts it and forwards it to 后勤处.
  const { context: staffContext, page: staff } = await loggedIn(browser, testInfo, DEMO.rightsMember);
  await staff.goto(`/d/rights/complaints/${trackingNo}`);
  for (const [to, body] of [['accepted', '已受理。'], ['forwarded', '已转交后勤处。']]) {
    const form = staff.locator('form[action$="/transition"]');
    await form.locator(`input[name=to][value=${to}]`).check();
    if (to === 'forwarded') await form.locator('select[name=office_id]').selectOption({ label: '后勤处' });
    await form.locator('textarea[name=body]').fill(body);
    await form.locator('button[type=submit]').click();
    await expect(staff.locator('.flash')).toBeVisible();
  }
  await staffContext.close();

  // The office's page lists it as waiting.
  await page.goto('/offices/logistics');
  await expect(page.locator('main')).toContainText(title);

  // 后勤处's liaison, on a phone: the desk, the case (no reporter), a public answer.
  const { context: liaisonContext, page: liaison } = await loggedIn(browser, testInfo, DEMO.logisticsLiaison, PHONE);
  await liaison.goto('/office');
  await liaison.getByRole('link', { name: trackingNo }).click();
  await expect(liaison.locator('main')).toContainText(title);
  await expect(liaison.locator('main')).not.toContainText('宋同学');
  await expectAccessible(liaison, 'office-desk-case');
  await liaison.locator('#f-answer_body').fill('已更换北区浴室的恒温阀，热水恢复正常。');
  await liaison.locator('form[action$="/answer"] button[type=submit]').click();
  await expect(liaison.locator('.flash')).toBeVisible();
  await shot(liaison, testInfo, 'office-desk-answered');
  await liaisonContext.close();

  // The student reads the office's answer; the office page no longer lists it as waiting.
  await page.goto(`/complaints/${trackingNo}`);
  await expect(page.locator('main')).toContainText('已更换北区浴室的恒温阀');
  await expect(page.locator('main')).toContainText('后勤处');
  await page.goto('/offices/logistics');
  await expect(page.locator('main')).not.toContainText(title);
  await expectAccessible(page, 'office-page');
  await shot(page, testInfo, 'office-page');
});
