import { api, outcome, problemText } from '../api.ts';
import { h, message, render, when } from '../dom.ts';
import type { LedgerEntry, Purchase } from '../shapes.ts';
import { creditStateText, explainText } from '../words.ts';

const balanceText = (p: Purchase) => (p.unlimited ? 'Unlimited' : `${p.remaining}/${p.total}`);

function deltaText(d: LedgerEntry['delta']) {
  const parts = Object.entries(d)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => `${k} ${n > 0 ? '+' : ''}${n}`);
  return parts.join(', ') || '—';
}

async function showLedger(p: Purchase, out: HTMLElement) {
  const ledger = await outcome(api.GET('/v1/purchases/{id}/ledger', { params: { path: { id: p.id } } }));
  if (!ledger.ok) return render(out, message('error', problemText(ledger.problem)));
  render(
    out,
    h('h3', { id: 'ledger-title', tabindex: -1 }, `Ledger of ${p.planName} (${p.id})`),
    h(
      'table',
      { 'aria-labelledby': 'ledger-title' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['When', 'Entry', 'Change', 'Reservation', 'By', 'Why'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ledger.data.entries.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, when(e.occurredAt)),
            h('td', {}, e.kind),
            h('td', {}, deltaText(e.delta)),
            h('td', {}, e.reservationId ?? '—'),
            h('td', {}, e.actor),
            h('td', {}, e.reason ?? ''),
          ),
        ),
      ),
    ),
  );
  (out.querySelector('#ledger-title') as HTMLElement | null)?.focus();
}

/** The front desk's view of one client: balances as `7/10`, a purchase's ledger, and why each booking is where it is. */
export async function clientsScreen(main: HTMLElement) {
  const id = new URLSearchParams(location.hash.split('?')[1] ?? '').get('id') ?? '';
  const input = h('input', { id: 'client-id', value: id, required: true, autocomplete: 'off' });
  const form = h(
    'form',
    {
      class: 'card inline-form',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        location.hash = `#/clients?id=${encodeURIComponent(input.value.trim())}`;
      },
    },
    h('div', {}, h('label', { for: 'client-id' }, 'Client id'), input),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Open client')),
  );
  render(main, h('h1', {}, id ? `Client ${id}` : 'Clients'), form);
  if (!id) return;

  const [balances, reservations] = await Promise.all([
    outcome(api.GET('/v1/clients/{id}/balances', { params: { path: { id } } })),
    // The newest 100, as before the history was paged.
    outcome(api.GET('/v1/clients/{id}/reservations', { params: { path: { id }, query: { limit: '100' } } })),
  ]);
  if (!balances.ok)
    return main.append(
      message(
        'error',
        balances.status === 404 ? `There is no client '${id}'.` : problemText(balances.problem),
      ),
    );
  const purchases = balances.data.purchases;
  const planOf = (purchaseId: string) => {
    const p = purchases.find((x) => x.id === purchaseId);
    return p ? `“${p.planName}” (${p.id})` : `purchase ${purchaseId}`;
  };
  const ledgerOut = h('div', { id: 'ledger' });

  main.append(
    h(
      'section',
      { 'aria-labelledby': 'purchases-title' },
      h('h2', { id: 'purchases-title' }, 'Purchases'),
      purchases.length
        ? h(
            'table',
            { class: 'balances' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Plan', 'Left', 'Held', 'Used', 'Label', 'Expires', 'Status', ''].map((t) =>
                  h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Ledger')),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              purchases.map((p) =>
                h(
                  'tr',
                  { 'data-purchase': p.id },
                  h('th', { scope: 'row' }, p.planName, h('div', { class: 'hint' }, p.id)),
                  h('td', { class: 'balance' }, balanceText(p)),
                  h('td', {}, p.held),
                  h('td', {}, p.used),
                  h('td', {}, p.label ?? '—'),
                  h('td', {}, p.expiresAt ? when(p.expiresAt) : 'Never'),
                  h('td', {}, p.status.replace('_', ' ')),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      { type: 'button', onclick: () => void showLedger(p, ledgerOut) },
                      `Ledger of ${p.id}`,
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', {}, 'This client has no purchases.'),
      ledgerOut,
    ),
    h(
      'section',
      { 'aria-labelledby': 'reservations-title' },
      h('h2', { id: 'reservations-title' }, 'Reservations'),
      !reservations.ok
        ? message('error', problemText(reservations.problem))
        : reservations.data.reservations.length === 0
          ? h('p', {}, 'This client has no reservations.')
          : h(
              'table',
              { class: 'reservations' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Session', 'Status', 'Credit', 'Why'].map((t) => h('th', { scope: 'col' }, t)),
                ),
              ),
              h(
                'tbody',
                {},
                reservations.data.reservations.map((r) =>
                  h(
                    'tr',
                    { 'data-reservation': r.id },
                    h(
                      'th',
                      { scope: 'row' },
                      r.session.item.name,
                      h('div', { class: 'hint' }, when(r.session.startsAt)),
                    ),
                    h('td', {}, r.status.replace('_', ' ')),
                    h(
                      'td',
                      {},
                      creditStateText(r.credit.state),
                      r.label ? h('div', { class: 'hint' }, r.label) : null,
                    ),
                    h(
                      'td',
                      { class: 'explain' },
                      h(
                        'ul',
                        {},
                        explainText(r.explain, planOf).map((s) => h('li', {}, s)),
                      ),
                    ),
                  ),
                ),
              ),
            ),
    ),
  );
}
