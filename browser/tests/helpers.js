// Shared steps of the browser tests: logging in as a demo account, registering a new
// student, screenshots into artifacts/, and the per-page checks (axe-core).
const fs = require('fs');
const path = require('path');
const { expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const DEMO_PASSWORD = 'demo-xuesheng-2026';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const PHOTO = path.join(__dirname, '..', 'fixtures', 'dorm.jpg');

// Demo accounts made by `union-portal seed-demo` (README).
const DEMO = {
  presidium: '2023000001',
  rightsHead: '2023010001',
  rightsViceHead: '2024010002',
  rightsMember: '2025010003',
  // 生活卫生部: its head, and a member inspecting this week's round (src/cli/demo/inspections.rs).
  lifeHead: '2023020001',
  lifeMember: '2025020002',
  // 女生部's head: this week's inspector of 西区12栋.
  girlsHead: '2023030001',
  student: '2025990001',
  // 杨同学, a verified student: a witness of the demo's draws.
  studentWitness: '2025990002',
  // 后勤处's liaison (a staff number, 工号).
  logisticsLiaison: 'T20190001',
};

async function login(page, studentNo, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.locator('#f-student_no').fill(studentNo);
  await page.locator('#f-password').fill(password);
  await page.locator('main form button[type=submit]').click();
  await expect(page.locator('header .who')).toBeVisible();
}

/// A new context (its own cookies) like the test's project: viewport, locale, time zone.
function newContext(browser, testInfo, options = {}) {
  const { viewport, isMobile, hasTouch, locale, timezoneId, baseURL } = testInfo.project.use;
  return browser.newContext({ viewport, isMobile, hasTouch, locale, timezoneId, baseURL, ...options });
}

/// A new context logged in as a demo account.
async function loggedIn(browser, testInfo, studentNo, options = {}) {
  const context = await newContext(browser, testInfo, options);
  const page = await context.newPage();
  await login(page, studentNo);
  return { context, page };
}

let counter = 0;
/// A student number nobody has yet: 2026 + 6 digits from the clock and a counter.
function newStudentNo() {
  counter += 1;
  return `2026${String((Math.floor(Date.now() / 10) + counter) % 1e6).padStart(6, '0')}`;
}

async function registerStudent(page, name) {
  const studentNo = newStudentNo();
  const password = 'lantern orchard 42 library';
  await page.goto('/register');
  await page.getByLabel('学号').fill(studentNo);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('学院').fill('计算机学院');
  await page.getByLabel('电子邮箱').fill(`${studentNo}@stu.example.edu`);
  await page.locator('#f-password').fill(password);
  await page.locator('#f-password_confirm').fill(password);
  await page.locator('main form button[type=submit]').click();
  // The same answer whether or not the number was taken (no enumeration): log in next.
  await expect(page).toHaveURL(/\/login$/);
  await login(page, studentNo, password);
  await expect(page.locator('header .who')).toHaveText(name);
  return { studentNo, password };
}

async function shot(page, testInfo, name) {
  const dir = path.join(ARTIFACTS, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

/// The unread count on the bell in the header (0 when there is none).
async function unreadCount(page) {
  const count = page.locator('header .bell .count');
  return (await count.count()) ? Number(await count.textContent()) : 0;
}

/// axe-core on the current page: no violation of impact serious or critical.
async function expectAccessible(page, label) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `axe-core on ${label}`).toEqual([]);
}

/// The Chinese catalogue's values: plain ones, and parameterised ones as patterns.
function chineseCatalogue() {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'locales', 'zh-CN.yml'), 'utf8');
  const whole = new Set();
  const patterns = new Set();
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const line of text.split('\n')) {
    const m = line.match(/^[a-z0-9_.]+:\s*"(.*)"\s*$/);
    if (!m || !/[\u3400-\u9fff]/.test(m[1])) continue;
    const value = m[1].replace(/\\"/g, '"').trim();
    if (value.includes('%{')) patterns.add(`^${value.split(/%\{[a-z]+\}/).map(escape).join('.+')}$`);
    else whole.add(value);
  }
  return { whole: [...whole], patterns: [...patterns] };
}

/// Interface text left in Chinese on a page shown in English: a text node or label
/// attribute, or a part of one between separators, that is a value of the Chinese
/// catalogue (parameterised values with anything in their parameters). People's own words
/// (names, places, a plan titled 年度部门工作计划 篇1) stay as typed and are not values.
/// Text in the templates outside the catalogues is caught by tests/api/catalogue.rs.
async function chineseInterfaceText(page) {
  const catalogue = chineseCatalogue();
  return page.evaluate(({ whole, patterns }) => {
    const texts = [];
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    // Text marked as Chinese (lang="zh…", e.g. a robot message written for a Chinese group chat)
    // is content in that language, not interface text left untranslated.
    const markedChinese = (el) => el && el !== document.documentElement && /^zh/i.test(el.closest('[lang]')?.getAttribute('lang') || '');
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!markedChinese(n.parentElement)) texts.push(n.textContent);
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt], input[type=submit], input[type=button]')) {
      for (const a of ['placeholder', 'aria-label', 'title', 'alt', 'value']) if (el.getAttribute(a)) texts.push(el.getAttribute(a));
    }
    const exact = new Set(whole);
    const regexes = patterns.map((p) => new RegExp(p));
    const found = new Set();
    for (const raw of texts) {
      const text = raw.replace(/\s+/g, ' ').trim();
      if (!/[\u3400-\u9fff]/.test(text)) continue;
      for (const part of [text, ...text.split(/[·|:：()（）]/).map((p) => p.trim())]) {
        if (exact.has(part) || regexes.some((r) => r.test(part))) found.add(part);
      }
    }
    return [...found];
  }, catalogue);
}

module.exports = {
  chineseInterfaceText,
  DEMO, DEMO_PASSWORD, PHOTO, ARTIFACTS, login, newContext, loggedIn, registerStudent, newStudentNo, shot, unreadCount, expectAccessible,
};
