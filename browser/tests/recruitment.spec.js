// Issue 24's journeys at a phone's width. Recruitment: a verified student of the demo's events
// pool (赵梓轩, 2022880041, who joins no department otherwise, so no other test sees a new member) applies to two
// departments in order of preference (answering 权益服务部's own question), books an interview,
// the rights head offers a place, the student accepts it and appears in the department's
// member list for the term. Questionnaires: the student answers the anonymous 宿舍热水供应调研
// and reads the published results of the 毕业晚会问卷.
const { test, expect } = require('@playwright/test');
const { DEMO, loggedIn, shot } = require('./helpers');

/// A verified student of the demo's events pool (src/cli/demo/events.rs), with the demo password.
const APPLICANT = '2022880041';

/// The position of the department named `dept` on /recruitment (its link text starts with the name).
async function openPosition(page, dept) {
  await page.goto('/recruitment');
  await page.locator('main a[href^="/recruitment/positions/"]', { hasText: dept }).first().click();
  await expect(page.locator('h1')).toContainText(dept);
}

test('9 a student applies to two departments, books an interview and accepts an offer', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'a student on a phone');
  const [head, student] = await Promise.all([DEMO.rightsHead, APPLICANT].map((no) => loggedIn(browser, testInfo, no)));
  const page = student.page;

  await openPosition(page, '权益服务部');
  await page.locator('#f-preference').selectOption('1');
  await page.locator('#f-statement').fill('我想参与食堂开放日的组织，也愿意值班受理投诉。');
  await page.locator('fieldset.question').first().locator('input[type=radio]').first().check();
  await shot(page, testInfo, 'recruitment-apply');
  await page.locator('form.survey-form button[type=submit]').click();
  await expect(page).toHaveURL(/\/me\/applications$/);

  await openPosition(page, '宣传部');
  // The first preference is taken: the form says so beside the field and keeps the text.
  await page.locator('#f-preference').selectOption('1');
  await page.locator('#f-statement').fill('会用 PS 和剪映，做过班级公众号。');
  await page.locator('form.survey-form button[type=submit]').click();
  await expect(page.locator('#e-preference')).toBeVisible();
  await expect(page.locator('#f-statement')).toHaveValue('会用 PS 和剪映，做过班级公众号。');
  await page.locator('#f-preference').selectOption('2');
  await page.locator('form.survey-form button[type=submit]').click();
  await expect(page).toHaveURL(/\/me\/applications$/);

  const rights = page.locator('section.application', { hasText: '权益服务部' });
  await rights.locator('select[name=slot_id]').selectOption({ index: 0 });
  await rights.locator('form[action$="/slot"] button[type=submit]').click();
  await expect(page.locator('section.application', { hasText: '权益服务部' })).toContainText('学生活动中心201');
  await shot(page, testInfo, 'recruitment-mine');

  await head.page.goto('/d/rights/recruitment');
  const row = head.page.locator('main tr', { hasText: APPLICANT });
  const name = (await row.locator('a').innerText()).trim();
  await row.locator('a').click();
  await expect(head.page.locator('main')).toContainText('我想参与食堂开放日的组织');
  await head.page.locator('input[name=decision][value=offered]').check();
  await head.page.locator('#f-message').fill('欢迎加入权益服务部！第一次例会在周三晚。');
  await head.page.locator('form[action$="/decide"] button[type=submit]').click();
  await expect(head.page.locator('.flash')).toBeVisible();

  await page.goto('/me/applications');
  const offered = page.locator('section.application', { hasText: '权益服务部' });
  await expect(offered).toContainText('第一次例会在周三晚');
  await offered.locator('form[action$="/accept"] button[type=submit]').click();
  await expect(page.locator('.flash')).toBeVisible();
  await expect(page.locator('section.application', { hasText: '宣传部' })).toContainText('已撤回');

  await head.page.goto('/d/rights/members');
  await expect(head.page.locator('main')).toContainText(name);
});

test('10 a student answers an anonymous questionnaire and reads published results', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'a student on a phone');
  const { page } = await loggedIn(browser, testInfo, DEMO.studentWitness);
  await page.goto('/surveys');
  await page.locator('main a', { hasText: '宿舍热水供应调研' }).click();
  await expect(page.locator('.identity-notice')).toBeVisible();
  const questions = page.locator('fieldset.question');
  await questions.nth(0).locator('input[type=radio]').nth(2).check();
  await questions.nth(1).locator('input[type=radio]').nth(3).check();
  await page.locator('form.survey-form button[type=submit]').click();
  await expect(page.locator('.flash')).toBeVisible();
  await expect(page.locator('form.survey-form')).toHaveCount(0);

  await page.goto('/surveys');
  await page.locator('main a[href$="/results"]').first().click();
  await expect(page.locator('h1')).toContainText('毕业晚会问卷');
  await expect(page.locator('main')).toContainText('260');
  await shot(page, testInfo, 'survey-results');
});
