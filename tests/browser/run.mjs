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
async function test(name, fn, { skip, locale = 'kk-KZ' } = {}) {
  if (skip) {
    results.skipped += 1;
    console.log(`skip - ${name}: ${skip}`);
    return;
  }
  const context = await browser.newContext({ locale });
  const blocked = [];
  const pageErrors = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
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

async function signIn(page, email, password) {
  await page.goto(`${BASE_URL}/login`);
  await byTestId(page, 'email').fill(email);
  await byTestId(page, 'password').fill(password);
  await byTestId(page, 'sign-in').click();
}

// ---------------------------------------------------------------------------------------

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

await browser.close();
console.log(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed ? 1 : 0);
