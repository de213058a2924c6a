import { api, outcome, type RulesetBody } from '../api.ts';
import { announce, h, message, render, when } from '../dom.ts';
import { draftText } from '../draft.ts';
import { refusalText } from '../refusal.ts';
import { creditStateText } from '../words.ts';

const day = 86_400_000;
const dateInput = (d: Date) => d.toISOString().slice(0, 10);

const outcomeText = (o: { purchaseId: string | null; state: string }, plans: Map<string, string | null>) =>
  `${o.purchaseId ? `“${plans.get(o.purchaseId) ?? '?'}” (${o.purchaseId})` : 'no purchase'} · ${creditStateText(o.state)}`;

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([state, n]) => `${n} ${creditStateText(state)}`)
    .join(', ') || 'none';

/** Runs the editor's draft against the tenant's real reservations in a period; nothing is saved. */
export async function simulateScreen(main: HTMLElement) {
  const now = Date.now();
  const from = h('input', {
    id: 'sim-from',
    type: 'date',
    value: dateInput(new Date(now - 30 * day)),
    required: true,
  });
  const to = h('input', {
    id: 'sim-to',
    type: 'date',
    value: dateInput(new Date(now + 30 * day)),
    required: true,
  });
  const out = h('div', { id: 'simulation', 'aria-live': 'polite' });

  const run = async (event: Event) => {
    event.preventDefault();
    const text = await draftText();
    let ruleset: unknown;
    try {
      ruleset = JSON.parse(text ?? '');
    } catch {
      return render(out, message('error', 'The draft in the Rules editor is not valid JSON.'));
    }
    // Whole local days: from the start of the first to the end of the last.
    const body = {
      ruleset: ruleset as RulesetBody,
      from: new Date(`${from.value}T00:00:00`).toISOString(),
      to: new Date(new Date(`${to.value}T00:00:00`).getTime() + day).toISOString(),
    };
    render(out, h('p', {}, 'Simulating…'));
    const result = await outcome(api.POST('/v1/policy/simulate', { body }));
    if (!result.ok) {
      return render(
        out,
        message(
          'error',
          refusalText({ ...result, problem: { ...result.problem, errors: [] } }, 'Not simulated'),
        ),
        h(
          'ul',
          {},
          (result.problem.errors ?? []).map((e) => h('li', {}, `${e.path}: ${e.message}`)),
        ),
        h('p', {}, 'Fix the draft on the ', h('a', { href: '#/rules' }, 'Rules'), ' screen.'),
      );
    }
    const { changes, totals } = result.data;
    const rows = await Promise.all(
      changes.map(async (c) => {
        const r = await outcome(
          api.GET('/v1/reservations/{id}', { params: { path: { id: c.reservationId } } }),
        );
        const s = r.ok
          ? await outcome(api.GET('/v1/sessions/{id}', { params: { path: { id: r.data.sessionId } } }))
          : null;
        return { change: c, reservation: r.ok ? r.data : null, session: s?.ok ? s.data : null };
      }),
    );
    // People read names: each client once, by id.
    const clientIds = [...new Set(rows.flatMap((x) => (x.reservation ? [x.reservation.clientId] : [])))];
    const purchaseIds = [
      ...new Set(
        changes.flatMap((c) => [c.before.purchaseId, c.after.purchaseId]).filter((id) => id !== null),
      ),
    ];
    const plans = new Map(
      await Promise.all(
        purchaseIds.map(async (id) => {
          const found = await outcome(api.GET('/v1/purchases/{id}', { params: { path: { id } } }));
          return [id, found.ok ? found.data.planName : null] as const;
        }),
      ),
    );
    const clients = new Map(
      await Promise.all(
        clientIds.map(async (id) => {
          const found = await outcome(api.GET('/v1/clients/{id}', { params: { path: { id } } }));
          return [id, found.ok ? found.data.name : null] as const;
        }),
      ),
    );
    announce(`${totals.changed} of ${totals.reservations} reservations would change`);
    render(
      out,
      h(
        'p',
        { class: 'totals' },
        h('strong', {}, `${totals.changed} of ${totals.reservations} reservations would change.`),
        ` Before: ${countsText(totals.before)}. After: ${countsText(totals.after)}.`,
      ),
      changes.length
        ? h(
            'table',
            {},
            h('caption', {}, 'Decisions the draft would change'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Client', 'Session', 'Before', 'After'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              rows.map(({ change, reservation, session }) =>
                h(
                  'tr',
                  {},
                  h(
                    'td',
                    {},
                    reservation
                      ? h(
                          'a',
                          { href: `#/clients?id=${encodeURIComponent(reservation.clientId)}` },
                          clients.get(reservation.clientId) ?? reservation.clientId,
                        )
                      : '?',
                  ),
                  h(
                    'td',
                    {},
                    session
                      ? `${session.id} · ${when(session.startsAt)}`
                      : (reservation?.sessionId ?? change.reservationId),
                  ),
                  h('td', {}, outcomeText(change.before, plans)),
                  h('td', {}, h('strong', {}, '→ ', outcomeText(change.after, plans))),
                ),
              ),
            ),
          )
        : h('p', {}, 'The draft decides every reservation in this period as they were decided.'),
    );
  };

  render(
    main,
    h('h1', {}, 'Simulate'),
    h(
      'p',
      { class: 'lead' },
      'Run the rule set in the Rules editor, unsaved changes included, against the real reservations of sessions in a period, and see which decisions it would change. Nothing is saved or charged.',
    ),
    h(
      'form',
      { class: 'card inline-form', onsubmit: (e: Event) => void run(e) },
      h('div', {}, h('label', { for: 'sim-from' }, 'Sessions from'), from),
      h('div', {}, h('label', { for: 'sim-to' }, 'to (inclusive)'), to),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Simulate the draft')),
    ),
    out,
  );
}
