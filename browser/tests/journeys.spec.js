// The six journeys of issue 7, at a phone and a desktop viewport (see playwright.config.js),
// in Chinese, against the real portal and the demo content.
const { test, expect } = require('@playwright/test');
const { DEMO, PHOTO, loggedIn, registerStudent, shot, unreadCount, login, chineseInterfaceText } = require('./helpers');

/// The staff step form on a complaint's case page: pick the next status, explain, submit.
async function step(staff, to, body) {
  const form = staff.locator('form[action$="/transition"]');
  await form.locator(`input[name=to][value=${to}]`).check();
  await form.locator('textarea[name=body]').fill(body);
  await form.locator('button[type=submit]').click();
  await expect(staff.locator('.flash')).toBeVisible();
}

test('1 a student files a complaint with a photo and follows it to the end', async ({ page, browser }, testInfo) => {
  await registerStudent(page, '许同学');
  await page.goto('/complaints/new');
  await page.getByLabel('类别').selectOption('canteen');
  await page.locator('#f-title').fill('二食堂晚餐窗口价格上涨未公示');
  await page.locator('#f-location').fill('二食堂一楼');
  await page.locator('#f-description').fill('本周起二食堂一楼晚餐窗口的套餐从12元涨到15元，没有任何公示，也没有说明原因。');
  await page.locator('#f-photos').setInputFiles(PHOTO);
  await page.locator('input[name=visibility][value=public]').check();
  await page.locator('main form button[type=submit]').click();

  await expect(page).toHaveURL(/\/complaints\/[0-9A-Z-]+$/);
  const trackingNo = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  await expect(page.locator('main')).toContainText(trackingNo);
  await expect(page.locator('main img').first()).toBeVisible();
  await shot(page, testInfo, 'complaint-filed');
  const unreadBefore = await unreadCount(page);

  const { context, page: staff } = await loggedIn(browser, testInfo, DEMO.rightsMember);
  await staff.goto(`/d/rights/complaints/${trackingNo}`);
  await step(staff, 'accepted', '已受理，已联系饮食服务中心核实。');
  const reply = staff.locator('form[action$="/reply"]');
  await reply.locator('textarea').fill('饮食服务中心答复：涨价系原材料成本上调，已补充公示并恢复12元套餐。');
  await reply.locator('button[type=submit]').click();
  await expect(staff.locator('.flash')).toBeVisible();
  await step(staff, 'responded', '已公开答复。');
  await step(staff, 'resolved', '价格已恢复并公示。');
  await shot(staff, testInfo, 'complaint-staff-case');
  await context.close();

  await page.reload();
  await expect(page.locator('main')).toContainText('已补充公示并恢复12元套餐');
  expect(await unreadCount(page)).toBeGreaterThan(unreadBefore);
  await page.locator('input[name=rating][value="5"]').check();
  await page.locator('#f-confirm-body').fill('处理很快，谢谢！');
  await page.locator('form[action$="/confirm"] button[type=submit]').click();
  await expect(page.locator('form[action$="/confirm"]')).toHaveCount(0);
  await expect(page.locator('main')).toContainText('处理很快，谢谢！');
  await shot(page, testInfo, 'complaint-timeline');
});

test('2 a found item meets its owner; the next bulletin is published and printed', async ({ page, browser }, testInfo) => {
  await registerStudent(page, '钱同学');
  await page.goto('/lost-found/lost/new');
  await page.locator('#f-category').selectOption('umbrella');
  await page.locator('#f-what').fill('蓝色折叠伞');
  await page.locator('#f-place').fill('图书馆三楼');
  await page.locator('#f-description').fill('深蓝色三折伞，伞柄有白色挂绳。');
  await page.locator('#f-contact').fill('13800001234');
  await page.locator('main form button[type=submit]').click();
  await expect(page.locator('.flash')).toBeVisible();
  const unreadBefore = await unreadCount(page);

  const { context, page: officer } = await loggedIn(browser, testInfo, DEMO.rightsMember);
  await officer.goto('/d/rights/lost-found');
  await officer.locator('#f-point').selectOption({ index: 1 });
  await officer.locator('input[name=category][value=umbrella]').check();
  await officer.locator('#f-photo').setInputFiles(PHOTO);
  await officer.locator('#f-description').fill('深蓝色三折伞，白色挂绳');
  await officer.locator('#f-colour').fill('蓝色');
  await officer.locator('#f-found_place').fill('图书馆三楼自习区');
  await shot(officer, testInfo, 'officer-intake');
  await officer.locator('form[action$="/lost-found/items"] button[type=submit]').click();
  await expect(officer.locator('.flash')).toBeVisible();

  await page.reload();
  expect(await unreadCount(page)).toBeGreaterThan(unreadBefore);
  await page.locator('header .bell').click();
  await page.locator('main a[href^="/lost-found/items/"]').first().click();
  await expect(page).toHaveURL(/\/lost-found\/items\/\d+$/);
  await expect(page.locator('main')).toContainText('深蓝色三折伞');
  await shot(page, testInfo, 'found-item');

  await officer.goto('/d/rights/lost-found/bulletins');
  await officer.locator('form[action$="/bulletins/publish"] button[type=submit]').click();
  await expect(officer).toHaveURL(/\/lost-found\/bulletins\/\d+$/);
  await expect(officer.locator('main')).toContainText('深蓝色三折伞');
  const printUrl = `${new URL(officer.url()).pathname}/print`;
  await officer.goto(printUrl);
  await expect(officer.locator('body')).toContainText('深蓝色三折伞');
  await shot(officer, testInfo, 'bulletin-print');
  await context.close();
});

test('3 a reception day: sign-up, a question, minutes with a commitment on the board', async ({ page, browser }, testInfo) => {
  // A seat is bound to a student number: the student signs in through the school's CAS server
  // (scripts/browser-test starts it), which verifies the number. One directory student per viewport.
  const [number, password] = testInfo.project.name === 'phone' ? ['2024010002', 'campus-pass-2'] : ['2024010003', 'campus-pass-3'];
  await page.goto('/login?next=%2Freception');
  await page.locator('#campus-sign-in').click();
  await page.locator('#id_username').fill(number);
  await page.locator('#id_password').fill(password);
  await page.locator('form button[type=submit]').first().click();
  await expect(page).toHaveURL(/\/reception$/);
  await page.locator('main a[href^="/reception/"]').first().click();
  const code = new URL(page.url()).pathname.split('/').pop();
  await page.locator(`form[action="/reception/${code}/signup"] button`).click();
  await expect(page.locator(`form[action="/reception/${code}/cancel"]`)).toBeVisible();
  const question = `自习室空调什么时候能修好？（${testInfo.project.name}）`;
  await page.locator('#f-body').fill(question);
  await page.locator(`form[action="/reception/${code}/questions"] button[type=submit]`).click();
  await expect(page.locator('main')).toContainText(question);
  await shot(page, testInfo, 'reception-day');

  const { context, page: organiser } = await loggedIn(browser, testInfo, DEMO.rightsHead);
  await organiser.goto('/d/rights/reception');
  const sessionLink = organiser.locator('main a[href^="/d/rights/reception/"]').filter({ hasText: code.replace(/\D/g, '') });
  await sessionLink.first().click();
  const minutes = organiser.locator('form[action$="/minutes"]');
  await minutes.locator('#f-question_id').selectOption({ label: question });
  await minutes.locator('#f-asked_by').fill('孙同学');
  await minutes.locator('#f-answered_by').fill('李明 后勤处处长');
  await minutes.locator('#f-answer').fill('两周内完成自习室空调检修。');
  const commitment = `两周内修好自习室空调（${testInfo.project.name}）`;
  await minutes.locator('#f-commitment').fill(commitment);
  await minutes.locator('#f-office_id').selectOption({ index: 1 });
  await minutes.locator('#f-due_on').fill(new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10));
  await minutes.locator('button[type=submit]').click();
  await expect(organiser.locator('.flash')).toBeVisible();
  await context.close();

  await page.goto('/commitments');
  await expect(page.locator('main')).toContainText(commitment);
  await shot(page, testInfo, 'commitments');
});

test('4 a head and a vice head edit one plan; the conflict keeps the second text; the presidium approves', async ({ browser }, testInfo) => {
  const head = await loggedIn(browser, testInfo, DEMO.rightsHead);
  await head.page.goto('/d/rights/plans');
  await head.page.locator('#f-title').fill('权益服务部工作计划');
  await head.page.locator('#f-period').fill(`2027–2028学年（${testInfo.project.name}）`);
  await head.page.locator('form[action$="/plans/new"] button').click();
  await expect(head.page).toHaveURL(/\/d\/rights\/plans\/\d+$/);
  const planUrl = new URL(head.page.url()).pathname;

  const vice = await loggedIn(browser, testInfo, DEMO.rightsViceHead);
  await vice.page.goto(planUrl);
  for (const p of [head.page, vice.page]) {
    await p.locator('form[action$="/header"]').locator('xpath=ancestor::details').locator('summary').click();
  }
  await head.page.locator('#h-ach').fill('完成宿舍白蚁防治跟进；投诉平均三天内受理。');
  await head.page.locator('form[action$="/header"] button').click();
  await expect(head.page.locator('.flash')).toBeVisible();

  const secondText = '建立“权益服务部”投诉台账，每周公开处理进度。';
  await vice.page.locator('#h-ach').fill(secondText);
  const [response] = await Promise.all([
    vice.page.waitForResponse((r) => r.url().endsWith('/header')),
    vice.page.locator('form[action$="/header"] button').click(),
  ]);
  expect(response.status()).toBe(409);
  // The conflict page keeps what the vice head typed, and shows what the head saved meanwhile.
  await expect(vice.page.locator('#f-review_achievements')).toHaveValue(secondText);
  await expect(vice.page.locator('main')).toContainText('投诉平均三天内受理');
  await shot(vice.page, testInfo, 'plan-conflict');
  await vice.page.locator('form:has(#f-review_achievements) button').click();
  await expect(vice.page.locator('.flash')).toBeVisible();
  await vice.context.close();

  await head.page.reload();
  await expect(head.page.locator('#h-ach')).toHaveValue(secondText);
  await head.page.locator('form[action$="/steps/submit"] button').click();
  await expect(head.page.locator('.flash')).toBeVisible();
  await head.context.close();

  const presidium = await loggedIn(browser, testInfo, DEMO.presidium);
  await presidium.page.goto(planUrl);
  await presidium.page.locator('form[action$="/steps/approve"] button').click();
  await expect(presidium.page.locator('.flash')).toBeVisible();
  await expect(presidium.page.locator('form[action$="/steps/approve"]')).toHaveCount(0);
  await shot(presidium.page, testInfo, 'plan-approved');
  await presidium.context.close();
});

test.describe('5 without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a student files a complaint and an officer registers an item', async ({ page, browser }, testInfo) => {
    await login(page, DEMO.student);
    await page.goto('/complaints/new');
    await page.locator('#f-category').selectOption('library');
    await page.locator('#f-title').fill('图书馆三楼插座大面积损坏');
    await page.locator('#f-location').fill('图书馆三楼自习区');
    await page.locator('#f-description').fill('三楼靠窗一排插座有一半没电，期末复习时很多同学没法充电。');
    await page.locator('#f-photos').setInputFiles(PHOTO);
    await page.locator('main form button[type=submit]').click();
    await expect(page).toHaveURL(/\/complaints\/[0-9A-Z-]+$/);
    await expect(page.locator('main')).toContainText('图书馆三楼插座大面积损坏');

    const officer = await loggedIn(browser, testInfo, DEMO.rightsMember, { javaScriptEnabled: false });
    await officer.page.goto('/d/rights/lost-found');
    await officer.page.locator('#f-point').selectOption({ index: 1 });
    await officer.page.locator('input[name=category][value=keys]').check();
    await officer.page.locator('#f-photo').setInputFiles(PHOTO);
    await officer.page.locator('#f-description').fill('一串钥匙，挂小熊挂件');
    await officer.page.locator('#f-found_place').fill('东区篮球场');
    await officer.page.locator('form[action$="/lost-found/items"] button[type=submit]').click();
    await expect(officer.page.locator('.flash')).toBeVisible();
    await officer.context.close();
  });
});

test('6 English replaces every string and is remembered', async ({ page, browser }, testInfo) => {
  await login(page, DEMO.student);
  for (const path of ['/', '/complaints/new', '/lost-found/lost/new', '/me']) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  }
  await page.goto('/');
  await shot(page, testInfo, 'home');
  await page.locator('form[action="/lang"] button').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  for (const path of ['/', '/complaints/new', '/lost-found/lost/new', '/me', '/commitments', '/stats']) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const leftovers = await chineseInterfaceText(page);
    expect(leftovers, `Chinese interface text on ${path} in English`).toEqual([]);
  }
  await shot(page, testInfo, 'english-home');
  // The choice survives the next visit: a new page in the same browser profile.
  const next = await page.context().newPage();
  await next.goto('/');
  await expect(next.locator('html')).toHaveAttribute('lang', 'en');
});
