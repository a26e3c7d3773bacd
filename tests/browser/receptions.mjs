// Receptions planned and moved from the dashboard, run by run.mjs with its harness: the
// helpers come in as one object, so this file stays one concern.

/** `YYYY-MM-DDTHH:MM` on the Kazakhstan clock (UTC+5), `hours` from now. */
function kzInput(hours) {
  return new Date(Date.now() + (5 + hours) * 3600_000).toISOString().slice(0, 16);
}

export async function receptionTests({ test, signIn, byTestId, expectText, waitUntil, assert, WAIT, EMAIL, PASSWORD, skip }) {
  /** The reception page's status, once it reads `status`. */
  async function receptionStatus(page, status) {
    await waitUntil(async () => (await byTestId(page, 'reception-status').getAttribute('data-status')) === status, `status ${status}`);
  }

  await test('receptions: plan one from the dashboard, not held before it starts, postponed, planned again and held', async (page) => {
    await signIn(page, EMAIL, PASSWORD);
    await byTestId(page, 'user-card').waitFor(WAIT);
    await byTestId(page, 'nav-receptions').click();
    await byTestId(page, 'plan-reception').click();
    await byTestId(page, 'plan-form').waitFor(WAIT);
    const title = `Сарыкемерге сапар ${Date.now()}`;
    await byTestId(page, 'plan-title').fill(title);
    const organiser = page.locator('[data-testid="plan-organiser"]');
    await organiser.locator('[data-testid="territory-level-0"] option', { hasText: 'Жамбыл облысы' }).waitFor({ state: 'attached', ...WAIT });
    await organiser.locator('[data-testid="territory-level-0"]').selectOption({ label: 'Жамбыл облысы' });
    await organiser.locator('[data-testid="territory-level-1"] option', { hasText: 'Байзақ ауданы' }).waitFor({ state: 'attached', ...WAIT });
    await organiser.locator('[data-testid="territory-level-1"]').selectOption({ label: 'Байзақ ауданы' });
    // The places picker starts inside the organiser.
    const places = byTestId(page, 'plan-places');
    await places.locator('[data-testid="territory-level-0"] option', { hasText: 'Сарыкемерский с.о.' }).waitFor({ state: 'attached', ...WAIT });
    await places.locator('[data-testid="territory-level-0"]').selectOption({ label: 'Сарыкемерский с.о.' });
    await byTestId(page, 'plan-add-place').click();
    await expectText(byTestId(page, 'plan-place'), 'Сарыкемер');
    await byTestId(page, 'plan-start').fill(kzInput(24));
    await byTestId(page, 'plan-end').fill(kzInput(28));
    await byTestId(page, 'plan-venue').fill('Ауылдық клуб');
    await byTestId(page, 'plan-agenda').fill('Ауыз су\nЖол жөндеу');
    const deputies = await byTestId(page, 'plan-deputy').count();
    if (deputies > 0) await byTestId(page, 'plan-deputy').first().check();
    await byTestId(page, 'plan-submit').dblclick();
    await waitUntil(async () => /^\/receptions\/\d+$/.test(new URL(page.url()).pathname), 'the new reception\'s page');
    await expectText(byTestId(page, 'reception-title'), title);
    await receptionStatus(page, 'planned');
    await expectText(byTestId(page, 'reception-places'), 'Сарыкемер');
    await waitUntil(async () => (await byTestId(page, 'agenda-topic').count()) === 2, 'two agenda topics');
    if (deputies > 0) await byTestId(page, 'participants').waitFor(WAIT);

    // Tomorrow's reception cannot be recorded as held today: the dashboard says so (in
    // Kazakh, the server's own wording for the same rule) and offers no confirmation.
    await byTestId(page, 'move-held').click();
    await expectText(byTestId(page, 'move-not-started'), 'әлі басталған жоқ');
    await byTestId(page, 'move-heard').fill('25');
    assert(await byTestId(page, 'move-confirm').isDisabled(), 'held before it started');
    await byTestId(page, 'move-cancel').click();

    // Postponed for a reason, with no new dates yet.
    await byTestId(page, 'move-postponed').click();
    assert(await byTestId(page, 'move-confirm').isDisabled(), 'postponed without a reason');
    await byTestId(page, 'move-comment').fill('Жол жабық');
    await byTestId(page, 'move-confirm').click();
    await receptionStatus(page, 'postponed');

    // Planned again for today (it started two hours ago), then held with its report.
    await byTestId(page, 'move-planned').click();
    await byTestId(page, 'move-start').fill(kzInput(-2));
    await byTestId(page, 'move-end').fill(kzInput(1));
    await byTestId(page, 'move-confirm').click();
    await receptionStatus(page, 'planned');
    await byTestId(page, 'move-held').click();
    await expectText(byTestId(page, 'move-participants'), String(deputies > 0 ? 1 : 0));
    await byTestId(page, 'move-heard').fill('25');
    await byTestId(page, 'move-summary').fill('Ауыз су мен жол мәселелері көтерілді');
    await byTestId(page, 'move-issues').fill('Ауыз су\nЖол жөндеу');
    await byTestId(page, 'move-confirm').click();
    await receptionStatus(page, 'held');
    await byTestId(page, 'open-report').click();
    await expectText(byTestId(page, 'report-summary'), 'Ауыз су мен жол');

    // The calendar shows it today.
    await byTestId(page, 'nav-receptions').click();
    await byTestId(page, 'open-calendar').click();
    await byTestId(page, 'calendar').waitFor(WAIT);
    await page.locator('[data-testid="calendar-item"]', { hasText: title }).waitFor(WAIT);
  }, { skip });
}
