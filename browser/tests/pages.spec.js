// Every page type, public and staff, in both languages: axe-core finds no serious or
// critical violation; the HTML is kept for the Nu Html Checker (last test of this file);
// HTML + CSS + JavaScript weigh at most 60 KB compressed (written to artifacts/page-weight.md).
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const http = require('http');
const { test, expect } = require('@playwright/test');
const { DEMO, ARTIFACTS, login, newContext, expectAccessible, chineseInterfaceText } = require('./helpers');

const WEIGHT_LIMIT = 60 * 1024;

/// The first link on `from` whose href matches `pattern` (demo content gives every list some).
const firstLink = (from, pattern) => async (page) => {
  await page.goto(from);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => pattern.test(h.split('?')[0]));
  if (!href) throw new Error(`no link matching ${pattern} on ${from}`);
  return href;
};

/// The demo event titled `title` (found on /events): its page, a page under it (`suffix`),
/// or with `dept` its organisers' page in that department.
const anEvent = (title, suffix = '', dept = null) => async (page) => {
  await page.goto('/events');
  const hrefs = await page.locator('main a[href^="/events/"]').evaluateAll(
    (as, t) => as.filter((a) => a.textContent.trim() === t).map((a) => a.getAttribute('href')),
    title,
  );
  if (!hrefs.length) throw new Error(`no event titled ${title} on /events`);
  return `${dept ? `/d/${dept}` : ''}${hrefs[0]}${suffix}`;
};
/// The first floor of this week's round, as its inspector sees it (the rooms in walking order).
const aFloor = async (page) => {
  await page.goto(await firstLink('/inspect', /^\/inspect\/rounds\/\d+$/)(page));
  const hrefs = await page.locator('main a[href*="?building="]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  if (!hrefs.length) throw new Error('no floor on the round page');
  return hrefs[0];
};

// The demo's events (src/cli/demo/events.rs): drawn, and taking applications.
const DRAWN = '第一届食堂开放日';
const OPEN = '第二届食堂开放日';

// [name, who (a DEMO key, or null for a visitor), URL or a function finding it]
const PAGES = [
  ['home', null, '/'],
  ['login', null, '/login'],
  ['register', null, '/register'],
  ['password-reset', null, '/password-reset'],
  ['complaints', null, '/complaints'],
  ['complaints-search', null, '/complaints?q=%E7%99%BD%E8%9A%81'],
  ['complaint', null, firstLink('/complaints', /^\/complaints\/(?!new$)[^/]+$/)],
  ['lost-found', null, '/lost-found'],
  ['found-item', null, firstLink('/lost-found', /^\/lost-found\/items\/\d+$/)],
  ['point-poster', null, firstLink('/lost-found', /^\/lost-found\/points\/\d+\/poster$/)],
  ['bulletins', null, '/lost-found/bulletins'],
  ['bulletin', 'rightsMember', async (page) => aBulletin(page)],
  ['bulletin-print', 'rightsMember', async (page) => `${await aBulletin(page)}/print`],
  ['reception', null, '/reception'],
  ['reception-day', null, firstLink('/reception', /^\/reception\/[^/]+$/)],
  ['reception-poster', null, async (page) => `${await firstLink('/reception', /^\/reception\/[^/]+$/)(page)}/poster`],
  ['commitments', null, '/commitments'],
  ['commitment', null, firstLink('/commitments', /^\/commitments\/\d+$/)],
  ['plans', null, '/plans'],
  ['plan', null, firstLink('/plans', /^\/plans\/\d+$/)],
  ['plan-public-print', null, async (page) => `${await firstLink('/plans', /^\/plans\/\d+$/)(page)}/print`],
  ['stats', null, '/stats'],
  ['offices', null, '/offices'],
  ['api-docs', null, '/api'],
  ['office', null, '/offices/logistics'],
  ['office-report', null, '/offices/logistics/report'],
  ['office-desk', 'logisticsLiaison', '/office'],
  ['office-desk-case', 'logisticsLiaison', firstLink('/office', /^\/office\/complaints\/[^/]+$/)],
  ['events', null, '/events'],
  ['event', null, anEvent(DRAWN)],
  ['event-draw', null, anEvent(DRAWN, '/draw')],
  ['event-poster', null, anEvent(OPEN, '/poster')],
  // The demo student's own application in the drawn event: its number and place on the waiting list.
  ['event-mine', 'student', anEvent(DRAWN)],
  ['event-apply', 'student', anEvent(OPEN)],
  // A witness who has not committed yet: the commitment form and its script.
  ['event-witness', 'studentWitness', anEvent(OPEN)],
  ['inspections', null, '/inspections'],
  ['inspection-rankings', null, '/inspections/rankings?period=term'],
  ['inspection-rankings-print', null, '/inspections/rankings/print?period=week'],
  ['inspection-averages', null, '/inspections/averages?period=term'],
  ['inspection-civilised', null, '/inspections/civilised'],
  // The demo student lives in 北区24栋 305: its published results and the appeal decided.
  ['me-room', 'student', '/me/room'],
  ['inspect', 'lifeMember', '/inspect'],
  ['inspect-round', 'lifeMember', aFloor],
  ['inspect-sheet', 'lifeMember', async (page) => firstLink(await aFloor(page), /^\/inspect\/rounds\/\d+\/rooms\/\d+$/)(page)],
  ['dept-inspections', 'lifeHead', '/d/life/inspections'],
  ['dept-inspection-rooms', 'lifeHead', '/d/life/inspections/rooms'],
  ['dept-inspection-rubric', 'lifeHead', '/d/life/inspections/rubric'],
  ['dept-inspection-appeals', 'lifeHead', '/d/life/inspections/appeals'],
  ['dept-inspection-round', 'lifeHead', firstLink('/d/life/inspections', /^\/d\/life\/inspections\/rounds\/\d+$/)],
  ['dept-inspection-round-print', 'lifeHead', async (page) => `${await firstLink('/d/life/inspections', /^\/d\/life\/inspections\/rounds\/\d+$/)(page)}/print`],
  ['not-found', null, '/no-such-page'],
  ['me', 'student', '/me'],
  ['notifications', 'student', '/me/notifications'],
  ['password', 'student', '/account/password'],
  ['complaint-new', 'student', '/complaints/new'],
  // The demo student's own complaint: its receipt to save or print.
  ['complaint-receipt', 'student', async (page) => `${await firstLink('/me', /^\/complaints\/(?!new$)[^/]+$/)(page)}/receipt`],
  ['lost-report-new', 'student', '/lost-found/lost/new'],
  ['lost-report', 'student', firstLink('/me', /^\/me\/lost\/\d+$/)],
  ['found-offer-new', 'student', '/lost-found/found/new'],
  ['found-offer', 'student', firstLink('/me', /^\/me\/found\/\d+$/)],
  ['departments', 'rightsHead', '/d'],
  ['dept-dashboard', 'rightsHead', '/d/rights'],
  ['dept-members', 'rightsHead', '/d/rights/members'],
  ['dept-audit', 'rightsHead', '/d/rights/audit'],
  ['dept-robots', 'rightsHead', '/d/rights/robots'],
  ['queue', 'rightsMember', '/d/rights/complaints'],
  ['queue-overdue', 'rightsMember', '/d/rights/complaints?overdue=1'],
  ['case', 'rightsMember', firstLink('/d/rights/complaints', /^\/d\/rights\/complaints\/[^/]+$/)],
  ['complaint-setup', 'presidium', '/admin/complaint-setup'],
  ['intake', 'rightsMember', '/d/rights/lost-found'],
  ['staff-item', 'rightsMember', firstLink('/d/rights/lost-found', /^\/d\/rights\/lost-found\/items\/\d+$/)],
  ['points', 'rightsHead', '/d/rights/lost-found/points'],
  ['register-book', 'rightsMember', '/d/rights/lost-found/register'],
  ['expired', 'rightsMember', '/d/rights/lost-found/expired'],
  ['lost-reports', 'rightsMember', '/d/rights/lost-found/lost-reports'],
  ['found-offers', 'rightsMember', '/d/rights/lost-found/offers'],
  ['next-bulletin', 'rightsMember', '/d/rights/lost-found/bulletins'],
  ['organise-list', 'rightsHead', '/d/rights/reception'],
  ['organise', 'rightsHead', firstLink('/d/rights/reception', /^\/d\/rights\/reception\/\d+$/)],
  ['commitment-organiser', 'rightsHead', firstLink('/commitments', /^\/commitments\/\d+$/)],
  ['dept-events', 'rightsHead', '/d/rights/events'],
  ['event-manage', 'rightsHead', anEvent(DRAWN, '', 'rights')],
  ['event-manage-open', 'rightsHead', anEvent(OPEN, '', 'rights')],
  // The demo's applicant A001 (2022880001), given a place by the demo's draw: found at the door.
  ['event-attendance', 'rightsMember', anEvent(DRAWN, '/attendance?q=2022880001', 'rights')],
  ['dept-plans', 'rightsHead', '/d/rights/plans'],
  ['plan-editor', 'rightsHead', firstLink('/d/rights/plans', /^\/d\/rights\/plans\/\d+$/)],
  ['plan-history', 'rightsHead', async (page) => `${await firstLink('/d/rights/plans', /^\/d\/rights\/plans\/\d+$/)(page)}/history`],
  ['plan-print', 'rightsHead', async (page) => `${await firstLink('/d/rights/plans', /^\/d\/rights\/plans\/\d+$/)(page)}/print`],
  ['presidium-plans', 'presidium', '/presidium/plans'],
  ['presidium-escalations', 'presidium', '/presidium/escalations'],
  ['presidium-offices', 'presidium', '/presidium/offices'],
  ['complaint-on-behalf', 'rightsMember', '/d/rights/complaints/new'],
  ['admin', 'presidium', '/admin'],
  ['admin-users', 'presidium', '/admin/users'],
  ['admin-departments', 'presidium', '/admin/departments'],
  ['admin-memberships', 'presidium', '/admin/memberships'],
  ['admin-holidays', 'presidium', '/admin/holidays?year=2026'],
  ['admin-audit', 'presidium', '/admin/audit'],
  ['surveys', null, '/surveys'],
  ['dept-surveys', 'rightsHead', '/d/rights/surveys'],
  // Questionnaires of the demo (src/cli/demo/surveys.rs): one to answer, published results, the builder and results.
  ['survey', 'student', firstLink('/surveys', /^\/surveys\/\d+$/)],
  ['survey-results', null, firstLink('/surveys', /^\/surveys\/\d+\/results$/)],
  ['dept-survey-builder', 'rightsHead', firstLink('/d/rights/surveys', /^\/d\/rights\/surveys\/\d+$/)],
  ['dept-survey-results', 'rightsHead', firstLink('/d/rights/surveys', /^\/d\/rights\/surveys\/\d+\/results$/)],
  // Recruitment (src/cli/demo/recruitment.rs): the round, a position with its questions, one's applications,
  // the department's desk and an applicant, the presidium's figures.
  ['recruitment', null, '/recruitment'],
  ['recruitment-position', 'student', firstLink('/recruitment', /^\/recruitment\/positions\/\d+$/)],
  ['my-applications', 'studentWitness', '/me/applications'],
  ['dept-recruitment', 'rightsHead', '/d/rights/recruitment'],
  ['dept-recruitment-application', 'rightsHead', firstLink('/d/rights/recruitment', /^\/d\/rights\/recruitment\/applications\/\d+$/)],
  ['presidium-recruitment', 'presidium', '/presidium/recruitment'],
  // Lending (爱心伞, src/cli/demo/lending.rs): the stations, an umbrella's page behind its QR tag, one's loans, the desk.
  ['umbrellas', null, '/umbrellas'],
  ['umbrella-item', 'student', '/umbrellas/i/XQ0001'],
  ['my-loans', 'student', '/me/loans'],
  ['dept-lending', 'rightsHead', '/d/rights/lending'],
  ['dept-lending-labels', 'rightsHead', '/d/rights/lending/labels'],
  // The demo's first station (北区图书馆) and the umbrella's rules, with their forms.
  ['dept-lending-station', 'rightsHead', '/d/rights/lending/stations/1'],
  ['dept-lending-kind', 'rightsHead', '/d/rights/lending/kinds/umbrella'],
];

/// The newest bulletin; an officer publishes one first when there is none yet.
async function aBulletin(page) {
  await page.goto('/lost-found/bulletins');
  if (!(await page.locator('main a[href^="/lost-found/bulletins/"]').count())) {
    await page.goto('/d/rights/lost-found/bulletins');
    await page.locator('form[action$="/bulletins/publish"] button[type=submit]').click();
    await expect(page).toHaveURL(/\/lost-found\/bulletins\/\d+$/);
  }
  return firstLink('/lost-found/bulletins', /^\/lost-found\/bulletins\/\d+$/)(page);
}

// Forms sent back with errors: the messages sit beside their fields.
const FORMS_WITH_ERRORS = [
  ['register-errors', null, '/register'],
  ['login-errors', null, '/login', async (page) => {
    await page.locator('#f-student_no').fill('2099000000');
    await page.locator('#f-password').fill('not the password');
  }],
  ['complaint-new-errors', 'student', '/complaints/new'],
  ['lost-report-new-errors', 'student', '/lost-found/lost/new'],
  ['intake-errors', 'rightsMember', '/d/rights/lost-found'],
  // The new event form, sent without its title and place.
  ['event-new-errors', 'rightsHead', '/d/rights/events'],
  // The new robot's form (the page's last), sent without its name and webhook.
  ['robot-new-errors', 'rightsHead', '/d/rights/robots'],
  // The last form of the page: the last office's invitation by mail, sent empty.
  ['presidium-offices-invite-errors', 'presidium', '/presidium/offices'],
];

const htmlDir = path.join(ARTIFACTS, 'html');
// One JSON line per page (a worker restarts after a failure, so nothing is kept in memory).
const weightsFile = path.join(ARTIFACTS, 'page-weight.jsonl');

/// One context per (who, language), logged in once and reused.
const contexts = new Map();
async function pageFor(browser, testInfo, who, lang) {
  const key = `${who}/${lang}`;
  if (!contexts.has(key)) {
    const context = await newContext(browser, testInfo);
    await context.addCookies([{ name: 'lang', value: lang, url: testInfo.project.use.baseURL }]);
    const page = await context.newPage();
    if (who) await login(page, DEMO[who]);
    contexts.set(key, page);
  }
  return contexts.get(key);
}

/// Bytes on the wire for `url` as a browser asks for it (compressed), with the page's cookies.
function wireBytes(url, cookie) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'accept-encoding': 'br, gzip', cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
  });
}

/// Load `url`; its weight is the compressed document plus every stylesheet and script it
/// loads, as on a first visit with an empty cache.
async function visit(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  const assets = await page.evaluate(() => [
    ...[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.href),
    ...[...document.querySelectorAll('script[src]')].map((s) => s.src),
  ]);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  let bytes = 0;
  for (const u of [page.url(), ...assets]) bytes += await wireBytes(u, cookie);
  return { response, bytes };
}

function keepHtml(testInfo, name, lang, html) {
  fs.mkdirSync(htmlDir, { recursive: true });
  fs.writeFileSync(path.join(htmlDir, `${testInfo.project.name}-${name}.${lang}.html`), html);
}

for (const lang of ['zh-CN', 'en']) {
  for (const [name, who, where] of PAGES) {
    test(`${name} (${lang})`, async ({ browser }, testInfo) => {
      const page = await pageFor(browser, testInfo, who, lang);
      const url = typeof where === 'function' ? await where(page) : where;
      const { response, bytes } = await visit(page, url);
      expect(response.status(), url).toBe(name === 'not-found' ? 404 : 200);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      keepHtml(testInfo, name, lang, await response.text());
      await expectAccessible(page, `${url} (${lang}, ${testInfo.project.name})`);
      if (lang === 'en') {
        const leftovers = await chineseInterfaceText(page);
        expect(leftovers, `Chinese interface text on ${url} in English`).toEqual([]);
      }
      if (testInfo.project.name === 'desktop' && lang === 'zh-CN') {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        fs.appendFileSync(weightsFile, `${JSON.stringify({ name, url, bytes })}\n`);
      }
      expect(bytes, `compressed HTML + CSS + JS of ${url}`).toBeLessThanOrEqual(WEIGHT_LIMIT);
    });
  }
  for (const [name, who, url, fill] of FORMS_WITH_ERRORS) {
    test(`${name} (${lang})`, async ({ browser }, testInfo) => {
      const page = await pageFor(browser, testInfo, who, lang);
      await page.goto(url);
      const form = page.locator('main form:has(button[type=submit])').last();
      if (fill) await fill(page);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        form.locator('button[type=submit]').click(),
      ]);
      expect([400, 401, 422]).toContain(response.status());
      await page.waitForLoadState('load');
      // Every error message is tied to a field that points at it.
      const errors = await page.locator('p.error[id], [role=alert][id]').evaluateAll((ps) => ps.map((p) => p.id));
      expect(errors.length, `error messages on ${url}`).toBeGreaterThan(0);
      for (const id of errors) {
        const described = page.locator(`[aria-describedby~="${id}"]`);
        expect(await described.count(), `a field described by #${id} on ${url}`).toBeGreaterThan(0);
      }
      keepHtml(testInfo, name, lang, await response.text());
      await expectAccessible(page, `${url} with errors (${lang}, ${testInfo.project.name})`);
    });
  }
}

test('keyboard alone: a visible focus ring and every control reachable', async ({ browser }, testInfo) => {
  const page = await pageFor(browser, testInfo, 'student', 'zh-CN');
  await page.goto('/complaints/new');
  const seen = new Set();
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        id: el.id || el.name || el.textContent.trim().slice(0, 20),
        tag: el.tagName,
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (focus.tag === 'BODY') continue;
    expect(focus.ring, `focus ring on ${focus.tag} ${focus.id}`).toBe(true);
    seen.add(focus.id);
  }
  for (const id of ['f-category', 'f-title', 'f-description', 'f-photos']) expect(seen).toContain(id);
});

test('Nu Html Checker: no errors on any page', async ({}, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the HTML is the same at every viewport');
  // A page known to be invalid goes along, so a checker that silently checks nothing fails.
  const canary = path.join(ARTIFACTS, 'vnu-canary.html');
  fs.writeFileSync(canary, '<!doctype html><html lang="en"><head><title>canary</title></head><body><p><div></p></body></html>');
  const run = spawnSync('java', ['-jar', require('vnu-jar'), '--errors-only', '--format', 'json', '--exit-zero-always', htmlDir, canary], {
    encoding: 'utf8',
  });
  const report = JSON.parse(run.stderr.trim() || run.stdout);
  const messages = report.messages.filter((m) => m.type === 'error');
  const file = (m) => path.basename(decodeURIComponent(m.url || ''));
  expect(messages.some((m) => file(m) === 'vnu-canary.html'), 'the checker reports the invalid canary').toBe(true);
  const checked = fs.readdirSync(htmlDir).length;
  expect(checked).toBeGreaterThan(100);
  const errors = messages.filter((m) => file(m) !== 'vnu-canary.html').map((m) => `${file(m)}:${m.lastLine}: ${m.message}`);
  fs.writeFileSync(path.join(ARTIFACTS, 'vnu.txt'), errors.join('\n'));
  expect(errors).toEqual([]);
});

test.afterAll(async () => {
  for (const page of contexts.values()) await page.context().close();
  contexts.clear();
});

test('page weight table', async ({}, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'weighed once');
  const weights = fs.readFileSync(weightsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const latest = new Map(weights.map((w) => [w.name, w]));
  expect(latest.size).toBeGreaterThanOrEqual(PAGES.length);
  const rows = [...latest.values()].map((w) => `| ${w.name} | \`${w.url}\` | ${(w.bytes / 1024).toFixed(1)} |`);
  const table = ['| page | URL | HTML + CSS + JS, KB compressed |', '|---|---|---|', ...rows].join('\n');
  fs.writeFileSync(path.join(ARTIFACTS, 'page-weight.md'), `${table}\n`);
});
