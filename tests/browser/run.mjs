// Browser tests of the Baqylau dashboard and API docs, in headless Chromium.
//
// Started by `cargo xtask test`, which runs the real server and passes:
//   BASE_URL                 e.g. http://127.0.0.1:41234 (required)
//   CHROMIUM_PATH            default /usr/bin/chromium
//   BAQYLAU_DEMO_EMAIL, BAQYLAU_DEMO_PASSWORD
//                            the demo admin; without them the sign-in tests are skipped
//   SCREENSHOT_DIR           optional: a PNG of every test's last page goes there
//
// Every request that is not for 127.0.0.1 is blocked: the dashboard and the docs must work
// on a server without internet access.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { receptionTests } from './receptions.mjs';

const BASE_URL = process.env.BASE_URL;
if (!BASE_URL) {
  console.error('BASE_URL is not set (run this through `cargo xtask test`)');
  process.exit(2);
}
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const EMAIL = process.env.BAQYLAU_DEMO_EMAIL;
const PASSWORD = process.env.BAQYLAU_DEMO_PASSWORD;
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const WAIT = { timeout: 15_000 };

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});

const results = { passed: 0, failed: 0, skipped: 0 };

/** Runs `fn(page, ctx)` in a fresh browser context (own storage, own cookies). */
// `intercept: false` watches for off-host requests instead of routing every request
// through Playwright: routing pauses each one over the DevTools protocol, which is not
// what a user's browser does and costs the timed 3G load about half a second.
async function test(name, fn, { skip, locale = 'kk-KZ', intercept = true } = {}) {
  if (skip) {
    results.skipped += 1;
    console.log(`skip - ${name}: ${skip}`);
    return;
  }
  const context = await browser.newContext({ locale });
  const blocked = [];
  const pageErrors = [];
  const offHost = (href) => new URL(href).hostname !== '127.0.0.1' && !href.startsWith('data:');
  if (intercept) {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (!offHost(url)) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
  } else {
    context.on('request', (request) => {
      if (offHost(request.url())) pageErrors.push(`an off-host request: ${request.url()}`);
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  // A refusal by the Content-Security-Policy is only a console message; it fails the
  // test like an uncaught error, so the dashboard and the docs are held to the policy.
  page.on('console', (msg) => {
    if (/Content.Security.Policy/i.test(msg.text())) pageErrors.push(`CSP: ${msg.text()}`);
  });
  try {
    await fn(page, context);
    if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join('; ')}`);
    results.passed += 1;
    console.log(`ok   - ${name}`);
  } catch (err) {
    results.failed += 1;
    console.log(`FAIL - ${name}\n       ${String(err.message || err).split('\n').join('\n       ')}`);
  } finally {
    if (blocked.length) console.log(`       (blocked off-host requests: ${blocked.join(', ')})`);
    if (SCREENSHOT_DIR) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    }
    await context.close();
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

async function expectText(locator, expected) {
  await locator.first().waitFor(WAIT);
  const deadline = Date.now() + WAIT.timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.first().innerText()).trim();
    if (text.includes(expected)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${JSON.stringify(expected)}, saw ${JSON.stringify(text)}`);
}

/** Polls `probe` (an async function) until it returns a truthy value. */
async function waitUntil(probe, what) {
  const deadline = Date.now() + WAIT.timeout;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const rowCount = (page) => byTestId(page, 'appeal-row').count();

/** The number of appeals the list says match (`include_total`). */
async function listedTotal(page) {
  await byTestId(page, 'appeals-total').waitFor(WAIT);
  return Number((await byTestId(page, 'appeals-total').innerText()).trim());
}

/** A PNG of the page as it is now, for checks that pass through several pages. */
async function snapshot(page, name) {
  if (!SCREENSHOT_DIR) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function signIn(page, email, password) {
  await page.goto(`${BASE_URL}/login`);
  await byTestId(page, 'email').fill(email);
  await byTestId(page, 'password').fill(password);
  await byTestId(page, 'sign-in').click();
}

// ---------------------------------------------------------------------------------------

// The acceptance budget of issue #13: a cold load over a 3G-like link (1.6 Mbit/s down,
// 150 ms round trip) shows a usable sign-in form within 3 s. Timings are otherwise never
// asserted in these tests; this one is the criterion itself. It runs first, in a browser
// that has done nothing else yet, as a phone opening the dashboard would: after the
// thirty other tests the same load measured ~0.4 s slower in this browser, with the same
// bytes on the wire.
await test('slow link: a cold load to a usable sign-in form within 3 s over 3G', async (page, context) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1000 * 1000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  });
  const modules = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) modules.push(new URL(r.url()).pathname); });
  const started = Date.now();
  await page.goto(`${BASE_URL}/login`, { waitUntil: 'commit' });
  await byTestId(page, 'email').waitFor({ state: 'visible', timeout: 30_000 });
  await byTestId(page, 'sign-in').waitFor({ state: 'visible', timeout: 30_000 });
  assert(await byTestId(page, 'sign-in').isEnabled(), 'the sign-in button is disabled');
  const took = Date.now() - started;
  console.log(`       (3G cold load to a usable sign-in form: ${(took / 1000).toFixed(2)} s)`);
  // The sign-in screen's own bundle, not the dashboard's: the dashboard is only
  // prefetched once the form is there.
  assert(modules[0] === '/baqylau_sign_in_bg.wasm', `wasm asked for first: ${modules.join(', ')}`);
  assert(took <= 3000, `took ${took} ms, over the 3 s budget`);
}, { intercept: false });

await test('home renders the Yew app and server readiness', async (page) => {
  await page.goto(`${BASE_URL}/`);
  await expectText(byTestId(page, 'brand'), 'Бақылау');
  await byTestId(page, 'signed-out').waitFor(WAIT);
  await byTestId(page, 'server-ready').waitFor(WAIT);
  assert((await page.getAttribute('html', 'lang')) === 'kk', '<html lang> is not kk');
});

await test('language follows navigator.language (ru)', async (page) => {
  await page.goto(`${BASE_URL}/`);
  await expectText(byTestId(page, 'signed-out'), 'Войти');
}, { locale: 'ru-RU' });

await test('language switcher changes and remembers the language', async (page) => {
  await page.goto(`${BASE_URL}/login`);
  await expectText(byTestId(page, 'sign-in'), 'Кіру');
  await byTestId(page, 'lang-switcher').selectOption('en');
  await expectText(byTestId(page, 'sign-in'), 'Sign in');
  await page.reload();
  await expectText(byTestId(page, 'sign-in'), 'Sign in');
  await byTestId(page, 'lang-switcher').selectOption('ru');
  await expectText(byTestId(page, 'sign-in'), 'Войти');
});

await test('unknown paths show the dashboard\'s not-found page', async (page) => {
  await page.goto(`${BASE_URL}/no/such/page`);
  await expectText(byTestId(page, 'not-found'), 'Бет табылмады');
});

await test('/api/docs renders Swagger UI with operations, offline', async (page) => {
  await page.goto(`${BASE_URL}/api/docs`);
  // utoipa-swagger-ui serves /api/docs/ (trailing slash) and may redirect there.
  await page.locator('.swagger-ui .opblock').first().waitFor(WAIT);
  const operations = await page.locator('.swagger-ui .opblock').count();
  assert(operations >= 1, 'no operation listed');
  console.log(`       (${operations} operations listed)`);
});

const noCredentials = EMAIL && PASSWORD ? undefined : 'no demo credentials (BAQYLAU_DEMO_EMAIL/_PASSWORD)';

await test('a wrong password shows the server\'s problem detail', async (page) => {
  await signIn(page, EMAIL, `${PASSWORD}-wrong`);
  await byTestId(page, 'error').waitFor(WAIT);
  const text = (await byTestId(page, 'error').innerText()).trim();
  assert(text.length > 0, 'the error box is empty');
  assert(page.url().endsWith('/login'), `left the login page: ${page.url()}`);
  assert(!(await page.evaluate(() => sessionStorage.getItem('baqylau.session'))), 'a session was stored');
}, { skip: noCredentials });

await test('the demo admin signs in, survives a reload and signs out', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  assert(new URL(page.url()).pathname === '/', `not redirected home: ${page.url()}`);
  await expectText(byTestId(page, 'user-email'), EMAIL);
  await expectText(byTestId(page, 'user-role'), 'Әкімші');
  const stored = await page.evaluate(() => sessionStorage.getItem('baqylau.session'));
  assert(stored && JSON.parse(stored).access_token, 'no access token in sessionStorage');

  await page.reload();
  await byTestId(page, 'user-card').waitFor(WAIT);

  await byTestId(page, 'sign-out').click();
  await byTestId(page, 'signed-out').waitFor(WAIT);
  assert(!(await page.evaluate(() => sessionStorage.getItem('baqylau.session'))), 'the session outlived sign-out');
}, { skip: noCredentials });

await test('an expired access token is renewed once, even by several requests at once', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  // Stand-in for expiry: the server answers 401 to a token it cannot verify. The list
  // page then loads the appeals and the categories at the same time, and both get 401.
  const spoilt = await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem('baqylau.session'));
    s.access_token = 'expired.' + s.access_token;
    sessionStorage.setItem('baqylau.session', JSON.stringify(s));
    return s;
  });
  await page.goto(`${BASE_URL}/appeals`);
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  await page.locator('[data-testid="filter-category"] option[value="UTIL_WATER"]').waitFor({ state: 'attached', ...WAIT });
  const renewed = await waitUntil(async () => {
    const s = JSON.parse(await page.evaluate(() => sessionStorage.getItem('baqylau.session')) || 'null');
    return s && s.refresh_token !== spoilt.refresh_token && s;
  }, 'a renewed token pair in sessionStorage');
  assert(renewed.access_token !== spoilt.access_token, 'the access token was not replaced');
  // Had two renewals spent the same refresh token, the server would have revoked the
  // family and this reload would sign the person out.
  await page.goto(`${BASE_URL}/`);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/appeals`);
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  assert(await byTestId(page, 'header-user').isVisible(), 'signed out after the renewal');
}, { skip: noCredentials });

// The demo has 12 appeals (`baqylau seed --demo`); the district staff user sees Baizak only.
const DISTRICT_EMAIL = 'baizak@baqylau.kz';
const ABAI = 'Абай ауылында ауыз су жоқ';

await test('appeals: the list, its total, search for «су» and the Russian status names', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-appeals').click();
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  const total = await listedTotal(page);
  const rows = await rowCount(page);
  assert(total >= 12, `total ${total}, expected the 12 demo appeals or more`);
  assert(rows >= 12 || rows === 25, `only ${rows} rows for ${total} appeals`);
  await expectText(byTestId(page, 'appeals-table'), 'Бақылауға алынды');

  await byTestId(page, 'search-q').fill('су');
  await byTestId(page, 'search-submit').click();
  await waitUntil(async () => new URL(page.url()).searchParams.get('q') === 'су', 'q=су in the URL');
  await waitUntil(async () => {
    const n = await rowCount(page);
    return n > 0 && n < rows && (await listedTotal(page)) === n;
  }, 'the search results');
  await expectText(byTestId(page, 'appeals-table'), ABAI);
  const text = await byTestId(page, 'appeals-table').innerText();
  assert(!text.includes('Нет уличного освещения'), 'the search kept an appeal without «су»');

  // The filter lives in the URL: a reload keeps it.
  await page.reload();
  await expectText(byTestId(page, 'appeals-table'), ABAI);
  assert((await byTestId(page, 'search-q').inputValue()) === 'су', 'the search box lost its text');

  await byTestId(page, 'lang-switcher').selectOption('ru');
  await expectText(byTestId(page, 'appeals-table'), 'В работе');
}, { skip: noCredentials });

await test('a signed-out visit to a filtered list signs in and returns to it', async (page) => {
  await page.goto(`${BASE_URL}/appeals?q=${encodeURIComponent('су')}`);
  await byTestId(page, 'login-form').waitFor(WAIT);
  assert(new URL(page.url()).searchParams.get('next') === `/appeals?q=${encodeURIComponent('су')}`,
    `the page was not remembered: ${page.url()}`);
  await byTestId(page, 'email').fill(EMAIL);
  await byTestId(page, 'password').fill(PASSWORD);
  await byTestId(page, 'sign-in').click();
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  const url = new URL(page.url());
  assert(url.pathname === '/appeals' && url.searchParams.get('q') === 'су', `not returned: ${page.url()}`);
  assert((await byTestId(page, 'search-q').inputValue()) === 'су', 'the search box lost its text');

  // A session the server no longer accepts (both tokens spoilt) sends the person back to
  // sign in from the page they were on, as any 401 after the one renewal attempt does.
  const appealUrl = `${BASE_URL}/appeals/${await byTestId(page, 'appeal-row').first().getAttribute('data-id')}`;
  await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem('baqylau.session'));
    s.access_token = 'expired.' + s.access_token;
    s.refresh_token = 'revoked.' + s.refresh_token;
    sessionStorage.setItem('baqylau.session', JSON.stringify(s));
  });
  await page.goto(appealUrl);
  await byTestId(page, 'login-form').waitFor(WAIT);
  assert(new URL(page.url()).searchParams.get('next') === new URL(appealUrl).pathname,
    `the appeal page was not remembered: ${page.url()}`);
}, { skip: noCredentials });

await test('appeals: every filter, overdue rows, the working-day countdown, export with the filters', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-appeals').click();
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  const all = await listedTotal(page);

  // Every open appeal has a countdown; an overdue one is highlighted and counts back.
  const rows = byTestId(page, 'appeal-row');
  await waitUntil(async () => (await page.locator('[data-testid="days-left"] [data-days]').count()) > 0,
    'the working-day countdown');
  for (let i = 0; i < await rows.count(); i += 1) {
    const row = rows.nth(i);
    const overdue = ((await row.getAttribute('class')) || '').includes('overdue');
    // A closed appeal has no countdown: count first, as waiting for it would time out.
    const counter = row.locator('[data-days]');
    const days = (await counter.count()) ? await counter.getAttribute('data-days') : null;
    if (overdue) assert(days !== null && Number(days) < 0, `an overdue row counts ${days} days`);
    else if (days !== null) assert(Number(days) >= 0, `a row on time counts ${days} days`);
  }

  await byTestId(page, 'filter-overdue').check();
  await waitUntil(async () => new URL(page.url()).searchParams.get('overdue') === 'true', 'overdue=true in the URL');
  await waitUntil(async () => (await byTestId(page, 'appeals-loading').count()) === 0, 'the overdue list');
  const overdue = await rowCount(page);
  for (let i = 0; i < overdue; i += 1) {
    assert(((await rows.nth(i).getAttribute('class')) || '').includes('overdue'), 'a row on time in the overdue list');
  }
  console.log(`       (${overdue} overdue of ${all})`);
  await byTestId(page, 'filters-clear').click();

  // Channel and dates reach the API: a channel narrows the list, a future date empties it.
  await byTestId(page, 'filter-channel').selectOption('phone');
  await waitUntil(async () => new URL(page.url()).searchParams.get('channel') === 'phone', 'channel in the URL');
  await waitUntil(async () => (await byTestId(page, 'appeals-empty').count()) > 0
    || ((await byTestId(page, 'appeals-total').count()) > 0 && (await listedTotal(page)) < all), 'the phone appeals');
  await byTestId(page, 'filters-clear').click();
  await byTestId(page, 'filter-received-from').fill('2099-01-01');
  await byTestId(page, 'filter-received-from').dispatchEvent('change');
  await waitUntil(async () => new URL(page.url()).searchParams.get('received_from') === '2099-01-01', 'received_from in the URL');
  await byTestId(page, 'appeals-empty').waitFor(WAIT);
  await page.goto(`${BASE_URL}/appeals?received_from=2000-01-01&received_to=2099-12-31&reception_id=999999`);
  await byTestId(page, 'appeals-empty').waitFor(WAIT);
  assert((await byTestId(page, 'filter-reception').inputValue()) === '999999', 'the reception filter is not shown');

  // The export asks for what the list shows.
  await page.goto(`${BASE_URL}/appeals?q=${encodeURIComponent('су')}`);
  await expectText(byTestId(page, 'appeals-table'), ABAI);
  const [download] = await Promise.all([
    page.waitForEvent('download', WAIT),
    byTestId(page, 'export-csv').click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert(download.suggestedFilename().endsWith('.csv'), download.suggestedFilename());
  assert(csv.includes(ABAI), 'the export lacks the Abai appeal');
  assert(!csv.includes('Нет уличного освещения'), 'the export ignored the search');
  await byTestId(page, 'export-done').waitFor(WAIT);
}, { skip: noCredentials });

await test('appeals: the Abai water appeal with its history', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/appeals?q=${encodeURIComponent('ауыз су')}`);
  await page.getByRole('link', { name: ABAI }).click();
  await waitUntil(async () => /\/appeals\/\d+$/.test(new URL(page.url()).pathname), 'the appeal page');
  await expectText(byTestId(page, 'appeal-subject'), ABAI);
  await expectText(byTestId(page, 'appeal-status'), 'Орындалуда');
  await expectText(byTestId(page, 'appeal-category'), 'Сумен жабдықтау');
  await expectText(byTestId(page, 'citizen-full-name'), 'Әбдірахманов Нұрлан');
  await byTestId(page, 'history-entry').first().waitFor(WAIT);
  const entries = await byTestId(page, 'history-entry').count();
  assert(entries === 4, `${entries} history entries, expected 4 (created and three moves)`);
  await expectText(byTestId(page, 'appeal-history'), '«Парасат» пікірталас клубында көтерілді');
  await expectText(byTestId(page, 'appeal-history'), 'Келес ауданы әкімдігі');
  // in_progress → resolved, explained, rejected, forwarded, assigned
  const buttons = await page.locator('[data-testid^="transition-"]').count();
  assert(buttons === 5, `${buttons} transition buttons, expected 5`);
}, { skip: noCredentials });

await test('a viewer reads, and is neither offered registration nor the server\'s details', async (page) => {
  await signIn(page, 'viewer@baqylau.kz', PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'server-ready').waitFor(WAIT);
  assert((await byTestId(page, 'server-details').count()) === 0, 'a viewer sees the database and version');
  assert((await byTestId(page, 'nav-new-appeal').count()) === 0, 'a viewer is offered registration');
  // A registration link typed in says why instead of showing a form.
  await page.goto(`${BASE_URL}/appeals/new`);
  await expectText(byTestId(page, 'not-permitted'), 'рұқсат');
  assert((await byTestId(page, 'field-subject').count()) === 0, 'a viewer got the registration form');
}, { skip: noCredentials });

await test('district staff see their territory by name; the admin sees the server\'s details', async (page) => {
  await signIn(page, DISTRICT_EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await expectText(byTestId(page, 'user-territory'), 'Байзақ');
  await byTestId(page, 'server-ready').waitFor(WAIT);
  assert((await byTestId(page, 'server-details').count()) === 0, 'district staff see the database and version');
  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'server-details').waitFor(WAIT);
}, { skip: noCredentials });

await test('appeals: district staff see their district only, with personal data masked', async (page) => {
  await signIn(page, DISTRICT_EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/appeals`);
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  const total = await listedTotal(page);
  assert(total >= 2 && total < 12, `district staff see ${total} appeals`);
  await expectText(byTestId(page, 'appeals-table'), 'Байтерек ауылын газдандыру');
  assert(!(await byTestId(page, 'appeals-table').innerText()).includes(ABAI), 'another region\'s appeal is listed');
  await page.getByRole('link', { name: 'Байтерек ауылын газдандыру' }).click();
  await expectText(byTestId(page, 'citizen-iin'), '*');
  await byTestId(page, 'citizen-masked').waitFor(WAIT);
  assert(!(await page.content()).includes('880412300200'), 'the full IIN reached the page');

  // Their form starts inside their district, and the district itself will do.
  await byTestId(page, 'nav-new-appeal').click();
  await expectText(byTestId(page, 'territory-root'), 'Байзақ ауданы');
  await page.locator('[data-testid="territory-level-0"] option', { hasText: 'Сарыкемерский с.о.' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'field-channel').selectOption('mobile_reception');
  await page.locator('[data-testid="field-category"] option[value="ROADS"]').waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'field-category').selectOption('ROADS');
  await byTestId(page, 'field-full-name').fill('Петрова Анна');
  await byTestId(page, 'field-iin').fill('850715300122');
  await byTestId(page, 'field-subject').fill('Аудан жолдарының жөндеуі');
  await byTestId(page, 'field-description').fill('Аудан орталығына баратын жол бұзылған, жөндеу қажет.');
  await byTestId(page, 'submit-appeal').click();
  await waitUntil(async () => /^\/appeals\/\d+$/.test(new URL(page.url()).pathname), 'the new appeal\'s page');
  await expectText(byTestId(page, 'appeal-territory'), 'Байзақ ауданы');
  await expectText(byTestId(page, 'citizen-iin'), '*');
}, { skip: noCredentials });

await test('appeals: register one (IIN error first), land on it, take it under control', async (page, context) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-appeals').click();
  const before = await listedTotal(page);

  await byTestId(page, 'nav-new-appeal').click();
  await byTestId(page, 'new-appeal-form').waitFor(WAIT);
  await byTestId(page, 'field-channel').selectOption('reception_room');
  await page.locator('[data-testid="field-category"] option[value="STREET_LIGHT"]').waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'field-category').selectOption('STREET_LIGHT');
  await page.locator('[data-testid="territory-level-0"] option', { hasText: 'Жамбыл облысы' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-0').selectOption({ label: 'Жамбыл облысы' });
  await page.locator('[data-testid="territory-level-1"] option', { hasText: 'Байзақ ауданы' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-1').selectOption({ label: 'Байзақ ауданы' });
  await page.locator('[data-testid="territory-level-2"] option', { hasText: 'Сарыкемерский с.о.' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-2').selectOption({ label: 'Сарыкемерский с.о.' });
  await byTestId(page, 'field-full-name').fill('Серікбаев Асхат');
  await byTestId(page, 'field-iin').fill('850715300123');
  await byTestId(page, 'field-phone').fill('8 701 111 22 33');
  const subject = 'Сарыкемер: көше шамдары жанбайды';
  await byTestId(page, 'field-subject').fill(subject);
  await byTestId(page, 'field-description').fill('Мектеп жанындағы көшеде бір айдан бері шамдар жанбайды, балалар қараңғыда жүреді.');

  await byTestId(page, 'submit-appeal').click();
  await byTestId(page, 'error-citizen.iin').waitFor(WAIT);
  await expectText(byTestId(page, 'error-citizen.iin'), 'бақылау цифры');
  assert(new URL(page.url()).pathname === '/appeals/new', `left the form: ${page.url()}`);
  assert((await page.locator('.field-errors').count()) === 1, 'fields other than the IIN were marked');
  assert((await byTestId(page, 'field-subject').inputValue()) === subject, 'the form lost its input');

  await byTestId(page, 'field-iin').fill('850715300122');
  // A double click sends the same Idempotency-Key twice: one appeal, not two.
  await byTestId(page, 'submit-appeal').dblclick();
  await waitUntil(async () => /^\/appeals\/\d+$/.test(new URL(page.url()).pathname), 'the new appeal\'s page');
  await expectText(byTestId(page, 'appeal-subject'), subject);
  await expectText(byTestId(page, 'appeal-status'), 'Тіркелді');
  await expectText(byTestId(page, 'appeal-territory'), 'Сарыкемерский с.о.');
  await expectText(byTestId(page, 'appeal-reg-number'), 'ZHA-');
  await byTestId(page, 'history-entry').first().waitFor(WAIT);
  const appealUrl = page.url();

  // A second tab still showing version 1, for the 412 below. sessionStorage is per tab,
  // so it gets a copy of the session.
  const session = await page.evaluate(() => sessionStorage.getItem('baqylau.session'));
  const stale = await context.newPage();
  await stale.addInitScript((value) => sessionStorage.setItem('baqylau.session', value), session);
  await stale.goto(appealUrl);
  await byTestId(stale, 'transition-under_control').waitFor(WAIT);

  // 422 on a move: rejecting needs a resolution text.
  await byTestId(page, 'transition-rejected').click();
  await byTestId(page, 'transition-confirm').click();
  await byTestId(page, 'error-resolution').waitFor(WAIT);
  await byTestId(page, 'transition-cancel').click();

  await byTestId(page, 'transition-under_control').click();
  await byTestId(page, 'move-comment').fill('Филиал бақылауына алынды');
  await byTestId(page, 'transition-confirm').click();
  await waitUntil(async () => (await byTestId(page, 'appeal-status').getAttribute('data-status')) === 'under_control', 'status under_control');
  await expectText(byTestId(page, 'appeal-status'), 'Бақылауға алынды');
  await waitUntil(async () => (await byTestId(page, 'history-entry').count()) === 2, 'two history entries');
  await expectText(byTestId(page, 'appeal-history'), 'Филиал бақылауына алынды');

  await byTestId(stale, 'transition-under_control').click();
  await byTestId(stale, 'transition-confirm').click();
  await byTestId(stale, 'stale-appeal').waitFor(WAIT);
  await byTestId(stale, 'reload-appeal').click();
  await waitUntil(async () => (await byTestId(stale, 'appeal-status').getAttribute('data-status')) === 'under_control', 'the reloaded status');

  await byTestId(page, 'nav-appeals').click();
  await waitUntil(async () => (await listedTotal(page)) === before + 1, `${before + 1} appeals after registering one`);
}, { skip: noCredentials });

// Deputies (`baqylau seed --demo`): one deputy for every Zhambyl okrug but a few
// deliberate gaps, and last month's ratings with every fourth deputy below the recall
// threshold.

await test('deputies: the registry, filtered by mandate status and level', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-deputies').click();
  await byTestId(page, 'deputy-row').first().waitFor(WAIT);
  await byTestId(page, 'deputies-total').waitFor(WAIT);
  const total = Number((await byTestId(page, 'deputies-total').innerText()).trim());
  assert(total >= 50, `only ${total} deputies, expected one per Zhambyl okrug`);
  assert((await byTestId(page, 'deputy-row').count()) === 25, 'the first page is not 25 rows');
  await expectText(byTestId(page, 'deputies-table'), 'Аудандық мәслихат');
  await expectText(byTestId(page, 'deputies-table'), 'Өкілеттігі бар');

  await byTestId(page, 'filter-level').selectOption('city');
  await waitUntil(async () => new URL(page.url()).searchParams.get('level') === 'city', 'level=city in the URL');
  const cities = await waitUntil(async () => {
    const n = Number((await byTestId(page, 'deputies-total').innerText().catch(() => '')).trim() || NaN);
    return n > 0 && n < total && n;
  }, 'the city deputies');
  const levels = await page.locator('[data-testid="deputy-row"] td:nth-child(2)').allInnerTexts();
  assert(levels.every((l) => l.trim() === 'Қалалық мәслихат'), `not only city deputies: ${levels}`);
  console.log(`       (${total} deputies, ${cities} in Taraz's city maslikhat)`);
  await snapshot(page, 'deputies-registry-city');

  await byTestId(page, 'filter-mandate-status').selectOption('recalled');
  await byTestId(page, 'deputies-empty').waitFor(WAIT);
  await byTestId(page, 'filters-clear').click();
  await waitUntil(async () => (await byTestId(page, 'deputy-row').count()) === 25, 'the unfiltered list');

  // The maslikhat's territory, chosen level by level: Baizak's district maslikhat.
  await page.locator('[data-testid="territory-level-0"] option', { hasText: 'Жамбыл облысы' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-0').selectOption({ label: 'Жамбыл облысы' });
  await page.locator('[data-testid="territory-level-1"] option', { hasText: 'Байзақ ауданы' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-1').selectOption({ label: 'Байзақ ауданы' });
  await expectText(byTestId(page, 'filter-territory-name'), 'Байзақ ауданы');
  const baizak = await waitUntil(async () => {
    const n = Number((await byTestId(page, 'deputies-total').innerText().catch(() => '')).trim() || NaN);
    return n > 0 && n < total && n;
  }, 'Baizak\'s deputies');
  await waitUntil(async () => {
    const places = await page.locator('[data-testid="deputy-row"] td:nth-child(3)').allInnerTexts();
    return places.length > 0 && places.every((p) => p.trim() === 'Байзақ ауданы');
  }, 'only Baizak\'s maslikhat listed');
  console.log(`       (${baizak} deputies in Baizak's maslikhat)`);
  await byTestId(page, 'filters-clear').click();
  await waitUntil(async () => (await byTestId(page, 'deputy-row').count()) === 25, 'the unfiltered list again');
}, { skip: noCredentials });

await test('deputies: a deputy with their okrugs and last month\'s rating components', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/deputies?level=district`);
  const row = byTestId(page, 'deputy-row').first();
  await row.waitFor(WAIT);
  const name = (await row.locator('a').innerText()).trim();
  await row.locator('a').click();
  await waitUntil(async () => /^\/deputies\/\d+$/.test(new URL(page.url()).pathname), 'the deputy page');
  await expectText(byTestId(page, 'deputy-name'), name);
  await expectText(byTestId(page, 'deputy-mandate-status'), 'Өкілеттігі бар');
  await expectText(byTestId(page, 'deputy-level'), 'Аудандық мәслихат');

  // The okrug over time: since the demo term's start, open, in force today.
  await byTestId(page, 'assignment-row').first().waitFor(WAIT);
  await expectText(byTestId(page, 'assignment-starts-on'), '01.01.2025');
  await expectText(byTestId(page, 'assignment-ends-on'), 'қазірге дейін');
  await byTestId(page, 'assignment-current').first().waitFor(WAIT);
  await waitUntil(async () => !(await byTestId(page, 'assignments-table').innerText()).includes('…'), 'the okrug names');
  const okrug = (await byTestId(page, 'assignment-row').first().locator('td').first().innerText()).trim();
  assert(okrug.length > 3 && !okrug.startsWith('#'), `no okrug name: ${okrug}`);

  // Last month's rating: six components, points = value × weight, and the score their sum.
  await byTestId(page, 'rating-component').first().waitFor(WAIT);
  const components = await byTestId(page, 'rating-component').count();
  assert(components === 6, `${components} rating components, expected 6`);
  assert((await byTestId(page, 'component-bar').count()) === 6, 'a component has no bar');
  await expectText(byTestId(page, 'rating-components'), 'Мерзімінде шешілген өтініштер');
  const cells = await page.locator('[data-testid="rating-component"]').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td.num')].map((td) => Number(td.innerText.trim()))));
  for (const [value, weight, points] of cells) {
    assert(Math.abs(value * weight - points) < 0.011, `points ${points} are not ${value} × ${weight}`);
  }
  const score = Number((await byTestId(page, 'rating-score').innerText()).trim());
  const sum = cells.reduce((acc, [, , points]) => acc + points, 0);
  assert(Math.abs(score - sum) < 0.05, `score ${score} is not the sum of the points ${sum}`);
  await expectText(byTestId(page, 'rating-source'), 'сақталған');
  await snapshot(page, 'deputies-deputy-kk');

  await byTestId(page, 'lang-switcher').selectOption('ru');
  await expectText(byTestId(page, 'rating-components'), 'Обращения, решённые в срок');
  await expectText(byTestId(page, 'assignment-ends-on'), 'по настоящее время');
}, { skip: noCredentials });

await test('deputies: okrug coverage of a district shows the deliberate gaps', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/deputies`);
  await byTestId(page, 'tab-coverage').click();
  await byTestId(page, 'coverage-choose').waitFor(WAIT);
  await page.locator('[data-testid="territory-level-0"] option', { hasText: 'Жамбыл облысы' }).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-0').selectOption({ label: 'Жамбыл облысы' });
  await byTestId(page, 'coverage-gap').first().waitFor(WAIT);
  const regionGaps = await byTestId(page, 'coverage-gap').evaluateAll((rows) => rows.map((r) => r.dataset.territoryId));
  const regionTotal = Number(await byTestId(page, 'coverage-total').innerText());
  assert(regionGaps.length >= 2, `only ${regionGaps.length} gaps in the region`);
  assert(Number(await byTestId(page, 'coverage-covered').innerText()) === regionTotal - regionGaps.length,
    'covered + uncovered is not the total');

  // The district of the first gap, as the API knows it.
  const district = (await apiGet(page, `/api/v1/territories/${regionGaps[0]}`)).parent_id;
  await page.locator(`[data-testid="territory-level-1"] option[value="${district}"]`).waitFor({ state: 'attached', ...WAIT });
  await byTestId(page, 'territory-level-1').selectOption(String(district));
  const districtGaps = await waitUntil(async () => {
    const total = Number(await byTestId(page, 'coverage-total').innerText().catch(() => 'NaN'));
    if (!(total > 0 && total < regionTotal)) return null;
    return byTestId(page, 'coverage-gap').evaluateAll((rows) => rows.map((r) => r.dataset.territoryId));
  }, 'the district\'s coverage');
  assert(districtGaps.includes(regionGaps[0]), 'the district lost its gap');
  assert(districtGaps.every((id) => regionGaps.includes(id)), 'a district gap the region does not have');
  await expectText(byTestId(page, 'coverage-gaps'), 'Ауылдық округ');
  console.log(`       (${regionGaps.length} gaps in the region, ${districtGaps.length} in district ${district})`);
  await snapshot(page, 'deputies-coverage-district');

  // Before the demo term started no okrug had a deputy.
  await byTestId(page, 'coverage-on').fill('2024-12-31');
  await byTestId(page, 'coverage-on').dispatchEvent('change');
  await waitUntil(async () => Number(await byTestId(page, 'coverage-covered').innerText().catch(() => 'NaN')) === 0,
    'no coverage before the term');
}, { skip: noCredentials });

await test('deputies: last month\'s ratings, best first, with the recall-risk list', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/deputies/ratings`);
  await byTestId(page, 'recall-risk-table').waitFor(WAIT);
  await byTestId(page, 'ratings-table').waitFor(WAIT);
  const threshold = Number(await byTestId(page, 'recall-threshold').innerText());
  const risky = await page.locator('[data-testid="recall-risk-table"] [data-testid="rating-row-score"]').allInnerTexts();
  assert(risky.length >= 1, 'nobody at risk of recall');
  assert(risky.every((s) => Number(s) < threshold), `a score at risk is not below ${threshold}: ${risky}`);
  const scores = (await page.locator('[data-testid="ratings-table"] [data-testid="rating-row-score"]').allInnerTexts()).map(Number);
  assert(scores.every((s, i) => i === 0 || scores[i - 1] >= s), `not best first: ${scores}`);
  // The full list highlights those at risk: show pages until the worst ones are there.
  await waitUntil(async () => {
    if (await page.locator('[data-testid="ratings-table"] tr.at-risk').count()) return true;
    if (await byTestId(page, 'ratings-more').isVisible().catch(() => false)) await byTestId(page, 'ratings-more').click();
    return false;
  }, 'a highlighted row in the full list');
}, { skip: noCredentials });

/** GET an API path as the page's signed-in person. */
async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const s = JSON.parse(sessionStorage.getItem('baqylau.session'));
    const r = await fetch(p, { headers: { Authorization: `Bearer ${s.access_token}` } });
    return r.json();
  }, path);
}

await test('field mode: three appeals typed offline survive a reload and reach the server once', async (page, context) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  const planned = await apiGet(page, '/api/v1/receptions?status=planned&limit=1');
  const reception = planned.items[0].id;
  const count = async () => (await apiGet(page, `/api/v1/appeals?reception_id=${reception}&include_total=true&limit=1`)).total;
  const before = await count();
  await page.goto(`${BASE_URL}/receptions/${reception}`);
  await byTestId(page, 'open-capture').click();
  await byTestId(page, 'capture-form').waitFor(WAIT);
  await page.locator('[data-testid="capture-category"] option[value="UTIL_WATER"]').waitFor({ state: 'attached', ...WAIT });
  // The service worker has the app shell once it controls the page.
  await waitUntil(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker');

  await context.setOffline(true);
  for (let i = 1; i <= 3; i += 1) {
    await byTestId(page, 'capture-category').selectOption('UTIL_WATER');
    await byTestId(page, 'capture-name').fill(`Тұрғын ${i}`);
    await byTestId(page, 'capture-subject').fill(`Ауыз су мәселесі ${i}`);
    await byTestId(page, 'capture-description').fill('Ауылда ауыз су жоқ, құбыр тозған.');
    await byTestId(page, 'capture-keep').click();
    await waitUntil(async () => (await byTestId(page, 'waiting-appeal').count()) === i, `${i} waiting`);
  }
  await expectText(byTestId(page, 'connection'), 'Желі жоқ');
  await page.reload();
  await byTestId(page, 'capture-form').waitFor(WAIT);
  await waitUntil(async () => (await byTestId(page, 'waiting-appeal').count()) === 3, '3 waiting after the reload');
  assert((await count().catch(() => null)) === null, 'the API answered while offline');

  await context.setOffline(false);
  await waitUntil(async () => (await byTestId(page, 'waiting-appeal').count()) === 0, 'the queue to empty');
  await expectText(byTestId(page, 'sent'), '3');
  assert((await count()) === before + 3, `the server has ${(await count()) - before} new appeals, expected 3`);
  // Nothing is sent twice: another reload online leaves the count as it is.
  await page.reload();
  await byTestId(page, 'capture-form').waitFor(WAIT);
  await new Promise((r) => setTimeout(r, 500));
  assert((await count()) === before + 3, 'an appeal was sent twice');
}, { skip: noCredentials });

await test('field mode: a refused appeal stays to be corrected and never holds up the others', async (page, context) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  const planned = await apiGet(page, '/api/v1/receptions?status=planned&limit=1');
  const reception = planned.items[0].id;
  const count = async () => (await apiGet(page, `/api/v1/appeals?reception_id=${reception}&include_total=true&limit=1`)).total;
  const before = await count();
  await page.goto(`${BASE_URL}/receptions/${reception}/capture`);
  await byTestId(page, 'capture-form').waitFor(WAIT);
  await page.locator('[data-testid="capture-category"] option[value="UTIL_WATER"]').waitFor({ state: 'attached', ...WAIT });
  await waitUntil(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker');

  await context.setOffline(true);
  // The second one has a phone number no one can call: the server refuses it.
  const phones = ['+7 701 555 12 34', '12345', '8 702 555 43 21'];
  for (let i = 1; i <= 3; i += 1) {
    await byTestId(page, 'capture-category').selectOption('UTIL_WATER');
    await byTestId(page, 'capture-name').fill(`Тұрғын ${i}`);
    await byTestId(page, 'capture-phone').fill(phones[i - 1]);
    await byTestId(page, 'capture-subject').fill(`Су құбыры ${i}`);
    await byTestId(page, 'capture-description').fill('Ауылдағы су құбыры тозған.');
    await byTestId(page, 'capture-keep').click();
    await waitUntil(async () => (await byTestId(page, 'waiting-appeal').count()) === i, `${i} waiting`);
  }
  await context.setOffline(false);
  await waitUntil(async () => (await byTestId(page, 'waiting-appeal').count()) === 0, 'the queue to be worked through');
  await waitUntil(async () => (await byTestId(page, 'sent-appeal').count()) === 2, 'two sent');
  assert((await byTestId(page, 'refused-appeal').count()) === 1, 'one refused');
  assert((await count()) === before + 2, `the server has ${(await count()) - before} new appeals, expected 2`);
  // The reason in the person's language, under the appeal it belongs to.
  await expectText(byTestId(page, 'refused-appeal'), 'Су құбыры 2');
  await expectText(byTestId(page, 'refused-appeal'), 'Телефон нөмірі қате');

  // Still there after a reload, and editable: corrected, it goes through.
  await page.reload();
  await byTestId(page, 'capture-form').waitFor(WAIT);
  await waitUntil(async () => (await byTestId(page, 'refused-appeal').count()) === 1, 'the refused appeal after a reload');
  await byTestId(page, 'refused-correct').click();
  await byTestId(page, 'capture-correcting').waitFor(WAIT);
  assert((await byTestId(page, 'capture-subject').inputValue()) === 'Су құбыры 2', 'the form did not take the refused appeal');
  await byTestId(page, 'capture-phone').fill('+7 705 555 00 11');
  await byTestId(page, 'capture-keep').click();
  await waitUntil(async () => (await byTestId(page, 'sent-appeal').count()) === 3, 'the correction sent');
  assert((await byTestId(page, 'refused-appeal').count()) === 0, 'the refusal stayed after the correction');
  assert((await count()) === before + 3, 'the correction did not reach the server exactly once');
  await byTestId(page, 'clear-sent').click();
  await waitUntil(async () => (await byTestId(page, 'sent-appeal').count()) === 0, 'the sent ones cleared');
}, { skip: noCredentials });

// --- the office dashboard: overview, receptions, road maps, exports, language, 3G ------

await test('overview: the region in figures and charts', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-overview').click();
  await byTestId(page, 'kpi-received').waitFor(WAIT);
  const received = Number((await byTestId(page, 'kpi-received').innerText()).trim());
  assert(received >= 1, `received ${received}`);
  await byTestId(page, 'chart-status').waitFor(WAIT);
  const bars = await page.locator('[data-testid="chart-status"] rect.bar').count();
  assert(bars >= 2, `${bars} status bars`);
  await byTestId(page, 'chart-category').waitFor(WAIT);
  // "914 planned / 888 done — 97.2%": the demo road map's completion in words and bars.
  await expectText(byTestId(page, 'roadmap-line'), '%');
  await expectText(byTestId(page, 'roadmap-line'), 'жоспарланған');
  // The demo road map is 2021's: 914 planned, 888 done.
  await byTestId(page, 'overview-year').selectOption('2021');
  await expectText(byTestId(page, 'roadmap-line'), '914 жоспарланған / 888 орындалды — 97.2%');
  await byTestId(page, 'overview-receptions').waitFor(WAIT);
  // The same figures the API gives.
  const api = await page.evaluate(async () => {
    const s = JSON.parse(sessionStorage.getItem('baqylau.session'));
    const r = await fetch('/api/v1/stats/overview', { headers: { Authorization: `Bearer ${s.access_token}` } });
    return r.json();
  });
  assert(api.appeals.received === received, `page ${received}, API ${api.appeals.received}`);
  await byTestId(page, 'lang-switcher').selectOption('ru');
  await expectText(page.locator('h1'), 'Обзор ситуации');
  await byTestId(page, 'lang-switcher').selectOption('kk');
  await expectText(page.locator('h1'), 'Жағдай шолуы');
}, { skip: noCredentials });

await test('receptions: a held reception, its participants and its report, exported as XLSX', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-receptions').click();
  await byTestId(page, 'reception-row').first().waitFor(WAIT);
  await page.getByRole('link', { name: /Байзақ ауданы: Сарыкемер/ }).first().click();
  await expectText(byTestId(page, 'reception-title'), 'Байзақ ауданы');
  await byTestId(page, 'open-report').click();
  await byTestId(page, 'reception-report').waitFor(WAIT);
  const taken = Number((await byTestId(page, 'report-taken').innerText()).trim());
  assert(taken >= 1, `${taken} appeals taken`);
  await byTestId(page, 'report-summary').waitFor(WAIT);
  const [download] = await Promise.all([
    page.waitForEvent('download', WAIT),
    byTestId(page, 'export-xlsx').click(),
  ]);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  assert(bytes.subarray(0, 2).toString() === 'PK', 'the XLSX is not a zip');
  assert(download.suggestedFilename().endsWith('.xlsx'), download.suggestedFilename());
  await byTestId(page, 'export-done').waitFor(WAIT);
  console.log(`       (reception report XLSX: ${bytes.length} bytes)`);
}, { skip: noCredentials });

await receptionTests({ test, signIn, byTestId, expectText, waitUntil, assert, WAIT, EMAIL, PASSWORD, skip: noCredentials });

await test('road maps: the summary with sections, indicators and districts', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-roadmaps').click();
  await byTestId(page, 'roadmap-row').first().waitFor(WAIT);
  await byTestId(page, 'open-summary').first().click();
  await byTestId(page, 'roadmap-summary').waitFor(WAIT);
  await expectText(byTestId(page, 'summary-line'), '%');
  await byTestId(page, 'indicator-row').first().waitFor(WAIT);
  const progressBars = await page.locator('[data-testid="roadmap-summary"] [role="progressbar"]').count();
  assert(progressBars >= 3, `${progressBars} progress bars`);
}, { skip: noCredentials });

await test('road maps: progress on an indicator, refused field by field, then recorded', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-roadmaps').click();
  await byTestId(page, 'open-summary').first().click();
  await byTestId(page, 'indicator-row').first().waitFor(WAIT);
  const row = page.locator('[data-testid="indicator-row"]:not([data-status="cancelled"]):not([data-status="done"])').first();
  const id = await row.getAttribute('data-id');
  const kind = await row.getAttribute('data-kind');
  await row.locator('[data-testid="record-progress"]').click();
  const form = byTestId(page, 'progress-form');
  await form.waitFor(WAIT);

  // Nothing filled in, and a link that is not one: each complaint under its field.
  await byTestId(page, 'progress-evidence').fill('not a link');
  await byTestId(page, 'progress-submit').click();
  await byTestId(page, 'progress-invalid').waitFor(WAIT);
  await byTestId(page, kind === 'event' ? 'error-done' : 'error-value').waitFor(WAIT);
  await byTestId(page, 'error-evidence_urls').waitFor(WAIT);

  if (kind === 'event') await byTestId(page, 'progress-done').selectOption('true');
  else await byTestId(page, 'progress-value').fill('1');
  await byTestId(page, 'progress-evidence').fill('https://example.kz/photo.jpg');
  await byTestId(page, 'progress-comment').fill('Браузер сынағы');
  await byTestId(page, 'progress-submit').click();
  await byTestId(page, 'progress-saved').waitFor(WAIT);
  await page.locator(`[data-testid="indicator-row"][data-id="${id}"]`).waitFor(WAIT);
  console.log(`       (indicator ${id}, ${kind})`);
}, { skip: noCredentials });

await test('road maps: an import with bad rows lists every problem by line and column', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await byTestId(page, 'nav-roadmaps').click();
  await byTestId(page, 'open-summary').first().click();
  await byTestId(page, 'open-import').click();
  await byTestId(page, 'roadmap-import').waitFor(WAIT);
  const csv = 'section,title,kind,territory_kato,due_on,unit,baseline,target,weight,deputy_id,council_member_id\n'
    + 'Сынақ,Бірінші,event,,2026-12-31,,,,,,\n'
    + 'Сынақ,Екінші,quantitative,,not-a-date,,,бес,,,\n';
  await byTestId(page, 'import-file').setInputFiles({ name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await byTestId(page, 'import-submit').click();
  await byTestId(page, 'import-errors').waitFor(WAIT);
  const lines = await page.locator('[data-testid="import-error"] td:first-child').allInnerTexts();
  assert(lines.length >= 2, `${lines.length} problems listed`);
  assert(lines.includes('3'), `no problem on line 3 (the second row): ${lines.join(', ')}`);
  await expectText(byTestId(page, 'import-errors'), 'due_on');
}, { skip: noCredentials });

await test('appeals: a second and third move (assigned, in progress)', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  await page.goto(`${BASE_URL}/appeals?status=under_control`);
  await byTestId(page, 'appeal-row').first().waitFor(WAIT);
  await byTestId(page, 'appeal-row').first().locator('a').first().click();
  await byTestId(page, 'transition-assigned').click();
  await byTestId(page, 'move-assigned_body').fill('Байзақ ауданы әкімдігі');
  await byTestId(page, 'transition-confirm').click();
  await waitUntil(async () => (await byTestId(page, 'appeal-status').getAttribute('data-status')) === 'assigned', 'status assigned');
  await byTestId(page, 'transition-in_progress').click();
  await byTestId(page, 'transition-confirm').click();
  await waitUntil(async () => (await byTestId(page, 'appeal-status').getAttribute('data-status')) === 'in_progress', 'status in_progress');
  await expectText(byTestId(page, 'appeal-status'), 'Орындалуда');
}, { skip: noCredentials });

// Every dashboard file carries a validator and `no-cache`: a browser asks again and gets
// a 304, not the file. The wasm is sent as the build compressed it.
/** Every page of the dashboard, with ids of the demo data where a page needs one. */
async function everyPage(page) {
  const first = async (path) => (await apiGet(page, path)).items[0].id;
  const appeal = await first('/api/v1/appeals?limit=1');
  const deputy = await first('/api/v1/deputies?limit=1');
  const reception = await first('/api/v1/receptions?status=held&limit=1');
  const planned = await first('/api/v1/receptions?status=planned&limit=1');
  const roadmap = await first('/api/v1/roadmaps?limit=1');
  return [
    ['overview', '/overview', 'kpi-received'],
    ['appeals', '/appeals', 'appeal-row'],
    ['appeal-new', '/appeals/new', 'field-subject'],
    ['appeal', `/appeals/${appeal}`, 'appeal-subject'],
    ['deputies', '/deputies', 'deputy-row'],
    ['deputy', `/deputies/${deputy}`, 'deputy-card'],
    ['deputy-coverage', '/deputies/coverage', 'coverage'],
    ['deputy-ratings', '/deputies/ratings', 'ratings-filters'],
    ['receptions', '/receptions', 'reception-row'],
    ['receptions-coverage', '/receptions/coverage', 'coverage'],
    ['reception', `/receptions/${reception}`, 'reception-title'],
    ['reception-planned', `/receptions/${planned}`, 'reception-moves'],
    ['reception-new', '/receptions/new', 'plan-form'],
    ['reception-calendar', '/receptions/calendar', 'calendar'],
    ['reception-capture', `/receptions/${reception}/capture`, 'capture-form'],
    ['reception-report', `/receptions/${reception}/report`, 'report-summary'],
    ['roadmaps', '/roadmaps', 'roadmap-row'],
    ['roadmap', `/roadmaps/${roadmap}`, 'roadmap-summary'],
    ['roadmap-import', `/roadmaps/${roadmap}/import`, 'import-file'],
  ];
}

await test('phone and desktop: no page is wider than the screen, and each is photographed', async (page) => {
  await signIn(page, EMAIL, PASSWORD);
  await byTestId(page, 'user-card').waitFor(WAIT);
  const pages = await everyPage(page);
  const wide = [];
  for (const [width, height] of [[390, 844], [1366, 768]]) {
    await page.setViewportSize({ width, height });
    for (const [name, url, ready] of pages) {
      await page.goto(`${BASE_URL}${url}`);
      await page.locator(`[data-testid="${ready}"]`).first().waitFor({ state: 'attached', ...WAIT })
        .catch(() => wide.push(`${name} at ${width}px: [data-testid=${ready}] never appeared`));
      // Layout settles after the data arrives.
      await new Promise((r) => setTimeout(r, 300));
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (over > 0) wide.push(`${name} at ${width}px: ${over}px wider than the screen`);
      await snapshot(page, `page-${name}-${width}x${height}`);
    }
  }
  assert(wide.length === 0, wide.join('\n'));
}, { skip: noCredentials });

await test('assets: precompressed brotli, revalidated with 304', async () => {
  const html = await fetch(`${BASE_URL}/`);
  assert(html.headers.get('cache-control') === 'no-cache', `index: ${html.headers.get('cache-control')}`);
  const url = `${BASE_URL}/baqylau_frontend_bg.wasm`;
  const first = await fetch(url, { headers: { 'Accept-Encoding': 'br, gzip' } });
  // fetch decodes the body; the header tells what crossed the wire.
  const brBytes = Number(first.headers.get('content-length'));
  await first.arrayBuffer();
  assert(first.status === 200, `status ${first.status}`);
  assert(first.headers.get('content-encoding') === 'br', `encoding ${first.headers.get('content-encoding')}`);
  assert(first.headers.get('content-type') === 'application/wasm', first.headers.get('content-type'));
  const etag = first.headers.get('etag');
  assert(etag, 'no ETag');
  const again = await fetch(url, { headers: { 'Accept-Encoding': 'br, gzip', 'If-None-Match': etag } });
  assert(again.status === 304, `revalidation answered ${again.status}`);
  const gz = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
  assert(gz.headers.get('content-encoding') === 'gzip', 'no gzip variant');
  const plain = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  const raw = (await plain.arrayBuffer()).byteLength;
  const gzBytes = Number(gz.headers.get('content-length')) || (await gz.arrayBuffer()).byteLength;
  console.log(`       (wasm served: ${(raw / 1024).toFixed(0)} KiB raw, ${(gzBytes / 1024).toFixed(0)} KiB gzip, ${(brBytes / 1024).toFixed(0)} KiB brotli)`);
});


await browser.close();
if (SCREENSHOT_DIR) console.log(`screenshots of every page: ${SCREENSHOT_DIR}`);
console.log(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed ? 1 : 0);
