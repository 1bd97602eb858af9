// An XSS corpus typed into every text field users and staff can fill, through the real
// forms, then every page, feed and export that shows those fields, in Chromium: no payload
// runs (window.__xss stays unset, no dialog), nothing the page did violates the CSP (no
// `securitypolicyviolation` event, no CSP console error, no report in the portal's log),
// no active element or foreign request came out of the text, and every marker is shown as
// text, so each field really was rendered. A positive control injects a real inline script
// under the portal's own CSP and must produce a report: the checks can fail.
//
// Runs in its own project after the others (playwright.config.js): what it stores would
// otherwise show up on the pages the other specs check.
const fs = require('fs');
const zlib = require('zlib');
const { test, expect } = require('@playwright/test');
const { DEMO, PHOTO, login, newContext, newStudentNo } = require('./helpers');

test.describe.configure({ mode: 'serial' });

// The payloads: each would set window.__xss (or load something foreign) if the portal
// let it through as markup, in a template, an attribute, a textarea, markdown, XML or a feed.
const LONG = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=1">',
  "'><svg onload=window.__xss=1>",
  'javascript:window.__xss=1',
  '</textarea><script>window.__xss=1</script>',
  '</title><script>window.__xss=1</script>',
  '{{7*7}} ${7*7} {% if 1 %}x{% endif %}',
  '<a href="javascript:window.__xss=1">x</a>',
  '[x](javascript:window.__xss=1)',
  '![x](x" onerror="window.__xss=1)',
  '![x](http://127.0.0.2/track.png)',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  "<style>@import 'http://127.0.0.2/x.css'</style>",
  '&lt;script&gt;window.__xss=1&lt;/script&gt;',
  '\u202Egnp.exe',
  ']]><script>window.__xss=1</script><![CDATA[',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<details open ontoggle=window.__xss=1>',
  '<base href="http://127.0.0.2/">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  '<form action="javascript:window.__xss=1"><button>x</button></form>',
  '<object data="javascript:window.__xss=1"></object>',
  '"onmouseover="window.__xss=1" x="',
  "';window.__xss=1;//",
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
];
/// What fits in a name of 30 characters, with its marker.
const SHORT = [
  '<svg/onload=__xss=1>',
  '"><b onclick=__xss=1>',
  '<img src onerror=__xss=1>',
  '{{7*7}}{%if 1%}x{%endif%}',
  'javascript:__xss=1',
  '</title><script>',
  '\u202E<svg/onload=__xss=1>',
];
/// Lines that would add an event to the calendar if a line break got through.
const ICS_BREAK = '\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected-event';

/// Every value typed: { marker, value, field }.
const seeded = [];
let counter = 0;

/// A value for a field of at most `max` characters: its marker first, then as many
/// payloads as fit (one line or several), starting at a different one for each field.
function corpus(field, max, { multiLine = false, extra = [] } = {}) {
  counter += 1;
  const marker = `xq${String(counter).padStart(3, '0')}`;
  const pool = [...extra, ...LONG.slice(counter % LONG.length), ...LONG.slice(0, counter % LONG.length), ...SHORT];
  let value = marker;
  for (const p of pool) {
    const next = `${value}${multiLine ? '\n' : ' '}${p}`;
    if ([...next].length <= max) value = next;
  }
  seeded.push({ marker, value, field });
  return value;
}

/// A value without spaces (a reception leader's name, a quota's college).
function word(field, max) {
  counter += 1;
  const marker = `xq${String(counter).padStart(3, '0')}`;
  const value = `${SHORT.find((p) => !p.includes(' ') && [...p].length + 5 <= max)}${marker}`;
  seeded.push({ marker, value, field });
  return value;
}

const days = (n) => new Date(Date.now() + n * 864e5);
const day = (n) => days(n).toISOString().slice(0, 10);
/// `YYYY-MM-DDTHH:MM` in Shanghai, for datetime-local fields.
const local = (n) => new Date(days(n).getTime() + 8 * 3600e3).toISOString().slice(0, 16);

// ---- submitting real forms ----------------------------------------------------------

/// Fill the form whose action ends with `action` (on `url`, or the current page) and send it.
async function submit(page, url, action, fields, expected = [303]) {
  if (url) await page.goto(url);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const form = page.locator(`form[action$="${action}"]`).first();
  for (const [name, value] of Object.entries(fields)) {
    const el = form.locator(`[name="${name}"]`);
    const kind = await el.first().evaluate((e) => `${e.tagName}:${e.type || ''}`);
    if (kind.startsWith('SELECT')) await el.first().selectOption(value);
    else if (kind === 'INPUT:radio') await form.locator(`[name="${name}"][value="${value}"]`).check();
    else if (kind === 'INPUT:checkbox') await (value ? el.first().check() : el.first().uncheck());
    else if (kind === 'INPUT:file') await el.first().setInputFiles(value);
    else await el.first().fill(value);
  }
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(action)),
    form.locator('button[type=submit], button:not([type])').first().click(),
  ]);
  await page.waitForLoadState('load');
  expect(expected, `POST …${action} answered ${response.status()}`).toContain(response.status());
  return response;
}

// ---- the checks on every page -------------------------------------------------------

const problems = [];
const seenText = [];
const guarded = new WeakSet();

/// Listen on a context for everything a payload could do: violations, dialogs, errors,
/// requests leaving the portal.
async function guard(context, who) {
  const origin = new URL(process.env.PORTAL_URL).origin;
  await context.exposeBinding('__xssTestViolation', ({ page }, v) => {
    problems.push(`${who}: CSP violation on ${page.url()}: ${v}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__xssTestViolation(`${e.effectiveDirective} blocked ${e.blockedURI}`);
    });
  });
  context.on('page', (page) => watch(page, who));
  for (const page of context.pages()) watch(page, who);
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (!['http:', 'https:'].includes(u.protocol) || u.origin === origin) return;
    problems.push(`${who}: a request left the portal: ${r.url()}`);
  });
}

function watch(page, who) {
  if (guarded.has(page)) return;
  guarded.add(page);
  page.on('dialog', async (d) => {
    problems.push(`${who}: a ${d.type()} dialog on ${page.url()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`${who}: a script error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`${who}: ${page.url()}: ${m.text()}`);
  });
}

/// Visit `url` (or look at the page as it is, `url` null) and check it: nothing ran,
/// nothing active in the DOM; its text is kept for the markers.
async function check(page, url, { status = 200 } = {}) {
  if (url) {
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response.status(), url).toBe(status);
  }
  const where = url || `${page.url()} (as sent back)`;
  // Handlers a payload might have attached get a chance: hover, focus and click once.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('body *')) {
      for (const type of ['mouseover', 'focus', 'toggle', 'click']) {
        if (type === 'click' && el.closest('a[href], button, form, summary, label, input, select, textarea')) continue;
        el.dispatchEvent(new Event(type));
      }
    }
  });
  await page.waitForTimeout(50);
  const found = await page.evaluate(() => {
    const bad = [];
    if (window.__xss !== undefined) bad.push('window.__xss was set');
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) bad.push(`<${el.localName} ${a.name}>`);
        if (['href', 'src', 'action', 'data', 'formaction', 'srcdoc'].includes(a.name) && /^\s*(javascript|vbscript|data:text)/i.test(a.value)) {
          bad.push(`<${el.localName} ${a.name}="${a.value}">`);
        }
      }
    }
    // The layout's own <link>s (style sheet, icons, feeds, the web app manifest) are allowed, and only
    // from the portal's origin (checked below); any other <link> came from a field.
    const ownLinks = ['stylesheet', 'icon', 'alternate', 'manifest', 'apple-touch-icon'].map((r) => `:not([rel=${r}])`).join('');
    const active = `iframe, object, embed, base, meta[http-equiv], style, script:not([src]), link${ownLinks}`;
    for (const el of document.querySelectorAll(active)) bad.push(`<${el.localName}> in the page`);
    for (const el of document.querySelectorAll('body link')) bad.push(`<link rel=${el.getAttribute('rel')}> in the body`);
    for (const el of document.querySelectorAll('script[src], link, img[src]')) {
      const u = new URL(el.getAttribute('src') || el.getAttribute('href'), location.href);
      if (u.origin !== location.origin && u.protocol !== 'data:') bad.push(`<${el.localName}> from ${u.origin}`);
    }
    const values = [...document.querySelectorAll('input, textarea')].map((e) => e.value);
    const options = [...document.querySelectorAll('option')].map((o) => o.textContent);
    return { bad, text: [document.title, document.body.innerText, ...values, ...options].join('\n') };
  });
  seenText.push({ url: where, text: normalise(found.text) });
  // Collected, not thrown: one run lists every page at fault (each test ends by checking).
  for (const b of found.bad) problems.push(`${where}: ${b}`);
  return found.text;
}

const normalise = (s) => s.replace(/\s+/g, ' ').trim();

/// The warn lines the portal logged for CSP reports (scripts/browser-test sets PORTAL_LOG).
function cspReportsLogged() {
  const file = process.env.PORTAL_LOG;
  if (!file) throw new Error('PORTAL_LOG is not set: run the browser tests through scripts/browser-test');
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('csp violation reported'));
}

// ---- the test -----------------------------------------------------------------------

const state = {};
const contexts = {};

async function as(browser, testInfo, who) {
  if (!contexts[who]) {
    const context = await newContext(browser, testInfo);
    await guard(context, who);
    const page = await context.newPage();
    if (who !== 'visitor' && who !== 'xssStudent') await login(page, DEMO[who]);
    contexts[who] = page;
  }
  return contexts[who];
}

test.afterAll(async () => {
  for (const page of Object.values(contexts)) await page.context().close();
});

test('the corpus goes into every text field through the real forms', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const startReports = cspReportsLogged().length;
  expect(startReports, 'no CSP report from the specs that ran before').toBe(0);

  // The administration: a category, a school office, a department.
  const admin = await as(browser, testInfo, 'presidium');
  await submit(admin, '/admin/complaint-setup', '/categories/add', {
    slug: 'xsscat', name_zh: corpus('category name_zh', 30), name_en: corpus('category name_en', 60), dept: 'rights',
  });
  await submit(admin, '/admin/complaint-setup', '/offices/add', {
    name_zh: corpus('office name_zh', 30), name_en: corpus('office name_en', 60),
  });
  await submit(admin, '/admin/departments', '/departments/add', {
    slug: 'xssdept', name_zh: corpus('department name_zh', 30), name_en: corpus('department name_en', 60),
  });

  // A student registers with a hostile name and college, files a complaint and more.
  const context = await newContext(browser, testInfo);
  await guard(context, 'xssStudent');
  const student = await context.newPage();
  contexts.xssStudent = student;
  await registerStudentWith(student, corpus('user name', 50), corpus('user college', 60));
  // A form sent back with its errors keeps what was typed: in a value and in a textarea.
  await submit(student, '/complaints/new', '/complaints/new', {
    category: 'xsscat', title: '', location: corpus('complaint location (form with errors)', 100),
    description: corpus('complaint description (form with errors)', 5000, { multiLine: true }),
  }, [422]);
  await check(student, null);
  await submit(student, null, '/complaints/new', {
    category: 'xsscat',
    title: corpus('complaint title', 80),
    location: corpus('complaint location', 100),
    description: corpus('complaint description', 5000, { multiLine: true }),
    photos: PHOTO,
    visibility: 'public',
  });
  state.trackingNo = decodeURIComponent(new URL(student.url()).pathname.split('/').pop());
  await submit(student, null, '/reply', { body: corpus('complaint reporter reply', 2000, { multiLine: true }) });

  await submit(student, '/lost-found/lost/new', '/lost-found/lost/new', {
    category: 'umbrella',
    what: corpus('lost report what', 80),
    place: corpus('lost report place', 100),
    description: corpus('lost report description', 1000, { multiLine: true }),
    contact: corpus('lost report contact', 100),
  });
  await student.goto('/me');
  state.lostReport = await student.locator('main a[href^="/me/lost/"]').first().getAttribute('href');

  // The complaint's handling: steps, a reply, an internal note.
  const member = await as(browser, testInfo, 'rightsMember');
  const casePath = `/d/rights/complaints/${state.trackingNo}`;
  await submit(member, casePath, '/transition', { to: 'accepted', body: corpus('complaint step accepted', 5000, { multiLine: true }) });
  await submit(member, casePath, '/reply', { body: corpus('complaint staff reply', 5000, { multiLine: true }) });
  await submit(member, casePath, '/note', { body: corpus('complaint internal note', 5000, { multiLine: true }) });
  await submit(member, casePath, '/transition', { to: 'responded', body: corpus('complaint step responded', 5000, { multiLine: true }) });
  await submit(member, casePath, '/transition', { to: 'resolved', body: corpus('complaint step resolved', 5000, { multiLine: true }) });
  await submit(student, `/complaints/${state.trackingNo}`, '/confirm', {
    rating: '4', body: corpus('complaint confirmation', 2000, { multiLine: true }),
  });

  // Lost and found: a collection point, two found items (one claimed), a bulletin.
  const head = await as(browser, testInfo, 'rightsHead');
  await submit(head, '/d/rights/lost-found/points', '/points/add', {
    name_zh: corpus('point name_zh', 40),
    name_en: corpus('point name_en', 80),
    address: corpus('point address', 120),
    opening_hours: corpus('point opening hours', 120),
  });
  // Cells a spreadsheet would run as formulas, for the register's exports.
  const formula = (field, start, max) => {
    const v = corpus(field, max - start.length - 1);
    seeded[seeded.length - 1].value = `${start} ${v}`;
    return `${start} ${v}`;
  };
  for (const n of [1, 2]) {
    await member.goto('/d/rights/lost-found');
    await member.locator('#f-point').selectOption({ index: 1 });
    await submit(member, null, '/lost-found/items', {
      category: 'umbrella',
      photo: PHOTO,
      description: formula(`found item ${n} description`, '=HYPERLINK("http://127.0.0.2","x")', 200),
      colour: formula(`found item ${n} colour`, '@SUM(1)', 30),
      found_place: formula(`found item ${n} place`, n === 1 ? "+cmd|' /C calc'!A0" : '-2+3', 100),
      found_on: day(0),
    });
  }
  await member.goto('/d/rights/lost-found');
  const itemLinks = await member.locator('main a[href^="/d/rights/lost-found/items/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  state.staffItem = itemLinks[0];
  state.claimedItem = itemLinks[1];
  await submit(member, itemLinks[1], '/claim', {
    claimant_student_no: DEMO.student, claimant_name: corpus('claimant name', 50), note: corpus('claim note', 200),
  });
  await submit(member, '/d/rights/lost-found/bulletins', '/bulletins/publish', {});
  state.bulletin = new URL(member.url()).pathname;

  // A reception day with hostile place, topic, leaders and quotas; a delegate; a question;
  // minutes with a commitment; an update on it.
  await submit(head, '/d/rights/reception', '/reception/new', {
    kind: 'leaders',
    starts_at: local(7),
    ends_at: local(7.1),
    place: corpus('reception place', 100),
    topic: corpus('reception topic', 1000, { multiLine: true, extra: [ICS_BREAK] }),
    leaders: `${word('reception leader name', 30)} ${corpus('reception leader title', 60)}`,
    open_seats: '20',
    quotas: `${word('reception quota college', 40)} 3`,
    signup_opens_at: local(-1),
    signup_closes_at: local(6),
  });
  state.organise = new URL(head.url()).pathname;
  expect(state.organise).toMatch(/^\/d\/rights\/reception\/\d+$/);
  state.receptionCode = (await head.locator('main a[href^="/reception/"]').first().getAttribute('href'));
  const quotaCollege = seeded.find((s) => s.field === 'reception quota college').value;
  await submit(head, state.organise, '/delegates/add', {
    college: quotaCollege, student_no: '2026999001', name: corpus('delegate name', 50),
  });
  // A tracking number that is not one: the form comes back with it.
  await submit(student, state.receptionCode, '/questions', {
    body: corpus('question (form with errors)', 1000, { multiLine: true }), complaint: corpus('question complaint no', 30),
  }, [422]);
  await check(student, null);
  await submit(student, state.receptionCode, '/questions', { body: corpus('reception question', 1000, { multiLine: true }) });
  await submit(head, state.organise, '/minutes', {
    asked_by: corpus('minute asked by', 50),
    question: corpus('minute question', 2000, { multiLine: true }),
    answered_by: corpus('minute answered by', 60),
    answer: corpus('minute answer', 5000, { multiLine: true }),
    commitment: corpus('commitment', 500, { multiLine: true }),
    office_id: { index: 1 },
    due_on: day(14),
  });
  await head.goto(state.organise);
  state.commitment = await head.locator('main a[href^="/commitments/"]').first().getAttribute('href');
  await submit(head, state.commitment, '/update', {
    body: corpus('commitment update', 2000, { multiLine: true }), status: 'in_progress',
  });

  // A plan: header, goal (markdown), action, returned with a comment, approved, progress, public.
  await submit(head, '/d/rights/plans', '/plans/new', { title: corpus('plan title', 80), period: corpus('plan period', 40) });
  state.plan = new URL(head.url()).pathname;
  await submit(head, state.plan, '/header', {
    title: corpus('plan title (edited)', 80),
    period: corpus('plan period (edited)', 40),
    review_achievements: corpus('plan achievements (markdown)', 20_000, { multiLine: true }),
    review_shortcomings: corpus('plan shortcomings (markdown)', 20_000, { multiLine: true }),
  });
  await submit(head, state.plan, '/goals/add', {
    title: corpus('goal title', 80), description: corpus('goal description (markdown)', 20_000, { multiLine: true }),
  });
  await submit(head, state.plan, '/actions/add', { title: corpus('action title', 200), due_on: day(30) });
  await submit(head, state.plan, '/steps/submit', {});
  await submit(admin, state.plan, '/steps/return', { comment: corpus('plan return comment', 5000, { multiLine: true }) });
  // The comment is shown while the plan is returned (later only in the audit log, clipped).
  await check(head, state.plan);
  await submit(head, state.plan, '/steps/submit', {});
  await submit(admin, state.plan, '/steps/approve', {});
  await submit(head, state.plan, '/progress', {
    status: 'in_progress', progress: '40', notes: corpus('action progress notes', 5000, { multiLine: true }),
  });
  await submit(head, state.plan, '/public', {});
  state.publicPlan = state.plan.replace('/d/rights', '');

  expect(seeded.length).toBeGreaterThan(50);
  expect(problems).toEqual([]);
});

/// Register through the form with the given name and college, then log in.
async function registerStudentWith(page, name, college) {
  const studentNo = newStudentNo();
  const password = 'lantern orchard 42 library';
  await submit(page, '/register', '/register', {
    student_no: studentNo, name, college, email: `${studentNo}@stu.example.edu`, password, password_confirm: password,
  });
  await login(page, studentNo, password);
  await expect(page.locator('header .who')).toHaveText(name);
}

const q = (s) => encodeURIComponent(s);
/// Reflected: a search term or a `next` that is a payload.
const REFLECTED = '"><svg onload=window.__xss=1><script>window.__xss=1</script>xqsearch';

test('every page that shows the fields, for every role', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const itemId = state.staffItem.split('/').pop();
  const pages = {
    visitor: [
      '/', '/complaints', `/complaints?q=${q(REFLECTED)}`, `/complaints/${state.trackingNo}`,
      '/lost-found', `/lost-found?q=${q(REFLECTED)}`, `/lost-found/items/${itemId}`,
      '/lost-found/bulletins', state.bulletin, `${state.bulletin}/print`,
      '/reception', state.receptionCode, '/commitments', state.commitment,
      '/plans', state.publicPlan, `${state.publicPlan}/print`, '/stats', '/register',
      `/login?next=${q('javascript:window.__xss=1')}`,
    ],
    xssStudent: [
      '/', '/me', '/me/notifications', state.lostReport, `/complaints/${state.trackingNo}`, state.receptionCode,
      '/complaints/new', '/lost-found/lost/new', '/commitments',
    ],
    rightsMember: [
      '/d/rights', '/d/rights/complaints', `/d/rights/complaints?q=${q(REFLECTED)}`,
      `/d/rights/complaints/${state.trackingNo}`, '/d/rights/lost-found', state.staffItem, state.claimedItem,
      '/d/rights/lost-found/expired', '/d/rights/lost-found/lost-reports', '/d/rights/lost-found/register',
      '/d/rights/lost-found/bulletins', '/me/notifications',
    ],
    rightsHead: [
      '/d/rights/members', '/d/rights/audit', '/d/rights/lost-found/points', '/d/rights/reception',
      state.organise, state.commitment, '/d/rights/plans', state.plan, `${state.plan}/history`, `${state.plan}/print`,
    ],
    presidium: [
      '/d', '/presidium/plans', state.plan, '/admin', '/admin/users', `/admin/users?q=${q(REFLECTED)}`,
      '/admin/departments', '/admin/memberships', '/admin/complaint-setup', '/admin/audit', '/d/xssdept', '/stats',
    ],
  };
  for (const [who, urls] of Object.entries(pages)) {
    const page = await as(browser, testInfo, who);
    for (const url of urls) await check(page, url);
  }
  // 404 pages do not echo the path.
  const visitor = await as(browser, testInfo, 'visitor');
  await check(visitor, `/no-such/${q('<script>window.__xss=1</script>')}`, { status: 404 });
  await check(visitor, `/complaints/${q('"><img src=x onerror=window.__xss=1>')}`, { status: 404 });
  // English shows the other half of every name.
  const english = await newContext(browser, testInfo);
  await english.addCookies([{ name: 'lang', value: 'en', url: process.env.PORTAL_URL }]);
  await guard(english, 'english visitor');
  const en = await english.newPage();
  for (const url of ['/complaints', `/complaints/${state.trackingNo}`, '/lost-found', '/commitments', state.commitment, '/stats']) {
    await check(en, url);
  }
  await english.close();
  // Reflected search terms are shown, as text.
  expect(seenText.filter((s) => s.text.includes(normalise(REFLECTED))).length).toBeGreaterThanOrEqual(3);
  expect(problems).toEqual([]);
});

/// Parse XML (or HTML) in the browser; `null` when it is not well-formed.
async function parse(page, text, type) {
  return page.evaluate(({ text, type }) => {
    const doc = new DOMParser().parseFromString(text, type);
    if (doc.querySelector('parsererror')) return null;
    const html = [...doc.querySelectorAll('*')].filter((e) => e.getAttribute('type') === 'html').map((e) => e.textContent);
    return { text: doc.documentElement.textContent, html };
  }, { text, type });
}

test('the feeds are well-formed XML with the fields escaped, and harmless in the browser', async ({ browser }, testInfo) => {
  const page = await as(browser, testInfo, 'visitor');
  for (const url of ['/feeds/lost-found.atom', '/feeds/reception.atom']) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/atom\+xml/);
    const body = await response.text();
    await page.goto('/');
    const feed = await parse(page, body, 'application/xml');
    expect(feed, `${url} is well-formed XML`).not.toBeNull();
    seenText.push({ url, text: normalise(feed.text) });
    // HTML content (what a feed reader renders) is text once parsed: no element but lists.
    for (const html of feed.html) {
      const tags = await page.evaluate((h) => {
        const doc = new DOMParser().parseFromString(h, 'text/html');
        return [...doc.body.querySelectorAll('*')].map((e) => e.localName + [...e.attributes].map((a) => ` ${a.name}`).join(''));
      }, html);
      expect(tags.filter((t) => !['ul', 'li', 'p'].includes(t)), `markup inside ${url}'s HTML content`).toEqual([]);
    }
    // Opened in the browser: Chromium shows the XML; nothing runs.
    await page.goto(url);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(problems).toEqual([]);
  }
  // The claimed item has left the bulletin; the one still held is in it.
  const atom = seenText.find((s) => s.url === '/feeds/lost-found.atom').text;
  const held = seeded.filter((s) => /^found item \d description$/.test(s.field)).filter((s) => atom.includes(s.marker));
  expect(held.length, 'the item still held is in the feed').toBe(1);
  expect(seenText.find((s) => s.url === '/feeds/reception.atom').text).toContain(seeded.find((s) => s.field === 'reception place').marker);

  const ics = await page.request.get('/reception.ics');
  expect(ics.status()).toBe(200);
  const calendar = (await ics.text()).replace(/\r\n[ \t]/g, '');
  const lines = calendar.split('\r\n');
  expect(lines.filter((l) => l === 'BEGIN:VEVENT').length).toBe(lines.filter((l) => l === 'END:VEVENT').length);
  expect(lines.filter((l) => /^SUMMARY:injected-event/.test(l)), 'a line break in the topic starts no event').toEqual([]);
  expect(calendar).toContain(seeded.find((s) => s.field === 'reception place').marker);
  seenText.push({ url: '/reception.ics', text: normalise(calendar) });
});

test('the open data API gives the fields back as JSON data, and is harmless in the browser', async ({ browser }, testInfo) => {
  const page = await as(browser, testInfo, 'visitor');
  const urls = ['/api/v1/complaints', '/api/v1/lost-found/items', '/api/v1/reception/days', '/api/v1/commitments',
    '/api/v1/events', '/open311/v2/requests.json'];
  const strings = [];
  const collect = (v) => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const url of urls) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(200);
    expect(response.headers()['content-type'], url).toMatch(/^application\/json/);
    expect(response.headers()['x-content-type-options'], url).toBe('nosniff');
    collect(JSON.parse(await response.text()));
    // Opened in the browser: Chromium shows the text; nothing runs, nothing loads.
    await page.goto(url);
    expect(await page.evaluate(() => window.__xss), url).toBeUndefined();
    const active = await page.evaluate(() => document.querySelectorAll('script, img, iframe, svg, object, embed, style, base').length);
    expect(active, `${url}: elements out of the data`).toBe(0);
  }
  // A field the API shows comes back exactly as typed: data, neither escaped nor cut into markup.
  const shown = seeded.filter((s) => strings.some((t) => t.includes(s.marker)));
  expect(shown.length, 'the API shows some of the typed fields').toBeGreaterThan(0);
  for (const s of shown.filter((x) => !x.value.includes('\n') && [...x.value].length <= 100)) {
    expect(strings.some((t) => normalise(t).includes(normalise(s.value))), `${s.field} as typed in the API`).toBe(true);
  }
  expect(problems).toEqual([]);
});

/// The files of a zip archive (an .xlsx), by name.
function unzip(buffer) {
  const files = {};
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < buffer.readUInt16LE(end + 10); i += 1) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const skip = nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buffer.readUInt32LE(at + 42);
    const data = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const raw = buffer.subarray(data, data + size);
    files[name] = (method === 8 ? zlib.inflateRawSync(raw) : raw).toString('utf8');
    at += 46 + skip;
  }
  return files;
}

/// RFC 4180 rows.
function csvRows(text) {
  const rows = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rows[rows.length - 1].push(cell); cell = ''; } else if (c === '\n') { rows[rows.length - 1].push(cell); cell = ''; rows.push([]); } else if (c !== '\r') cell += c;
  }
  if (cell || rows[rows.length - 1].length) rows[rows.length - 1].push(cell);
  return rows.filter((r) => r.length > 1);
}

test('the exports: no cell a spreadsheet would run, the Markdown export is not a page', async ({ browser }, testInfo) => {
  const member = await as(browser, testInfo, 'rightsMember');
  const formulaFields = seeded.filter((s) => s.field.startsWith('found item'));
  const csv = await member.request.get('/d/rights/lost-found/register.csv');
  expect(csv.status()).toBe(200);
  const rows = csvRows((await csv.text()).replace(/^\uFEFF/, ''));
  const cells = rows.flat();
  for (const f of formulaFields) {
    const cell = cells.find((c) => c.includes(f.marker));
    expect(cell, `${f.field} in the CSV`).toBeDefined();
    expect(cell, `${f.field} is text in the CSV`).toBe(`'${f.value}`);
  }
  expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c)), 'CSV cells a spreadsheet would run').toEqual([]);

  const xlsx = await member.request.get('/d/rights/lost-found/register.xlsx');
  expect(xlsx.status()).toBe(200);
  const files = unzip(await xlsx.body());
  const sheets = Object.entries(files).filter(([name]) => /^xl\/worksheets\/.*\.xml$/.test(name));
  expect(sheets.length).toBeGreaterThan(0);
  for (const [name, xml] of sheets) expect(xml, `${name} has no formula`).not.toMatch(/<f[ >]/);
  const strings = files['xl/sharedStrings.xml'] || sheets.map(([, x]) => x).join('');
  for (const f of formulaFields) expect(strings, `${f.field} is a string in the workbook`).toContain(f.marker);

  const head = await as(browser, testInfo, 'rightsHead');
  const md = await head.request.get(`${state.plan}/export.md`);
  expect(md.status()).toBe(200);
  expect(md.headers()['content-type']).toMatch(/^text\/markdown/);
  expect(md.headers()['x-content-type-options']).toBe('nosniff');
  expect(await md.text()).toContain(seeded.find((s) => s.field === 'goal title').marker);
});

test('every field was rendered somewhere, as the text typed', async () => {
  const missing = seeded.filter((s) => !seenText.some((p) => p.text.includes(s.marker))).map((s) => `${s.marker} ${s.field}`);
  expect(missing, 'markers never shown').toEqual([]);
  const mangled = seeded
    .filter((s) => !seenText.some((p) => p.text.includes(normalise(s.value))))
    .map((s) => `${s.marker} ${s.field}: ${seenText.filter((p) => p.text.includes(s.marker)).map((p) => p.url).join(', ')}`);
  expect(mangled, 'fields never shown whole, as typed').toEqual([]);
});

test('the portal received no CSP report while the corpus was shown', async () => {
  // Reports are sent as the page loads; give the last ones time to arrive.
  await new Promise((r) => setTimeout(r, 1500));
  expect(cspReportsLogged()).toEqual([]);
});

test('positive control: an inline script under the portal\'s own CSP is blocked, seen and reported', async ({ browser }, testInfo) => {
  const before = cspReportsLogged().length;
  const context = await newContext(browser, testInfo);
  const violations = [];
  await context.exposeBinding('__xssTestViolation', (_, v) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.__xssTestViolation(e.effectiveDirective));
  });
  const page = await context.newPage();
  // The portal's home page with its own headers (the CSP), and a script injected into it.
  await page.route('**/xss-control', async (route) => {
    const real = await route.fetch({ url: `${process.env.PORTAL_URL}/` });
    const csp = real.headers()['content-security-policy'];
    expect(csp).toContain('report-uri /csp-report');
    const body = (await real.text()).replace('</main>', '<script>window.__xss=1</script></main>');
    await route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }, body });
  });
  await page.goto('/xss-control');
  expect(await page.evaluate(() => window.__xss), 'the CSP stopped the script').toBeUndefined();
  await expect.poll(() => violations, { message: 'the page saw the violation' }).toContain('script-src-elem');
  await expect.poll(() => cspReportsLogged().length, { message: 'the portal logged a report', timeout: 10_000 }).toBeGreaterThan(before);
  const line = cspReportsLogged().at(-1);
  expect(line).toContain('script-src-elem');
  expect(line).toContain('/xss-control');
  await context.close();
});
