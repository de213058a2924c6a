import { api, outcome, type Problem, session } from '../api.ts';
import { confirmChange } from '../confirm.ts';
import { announce, h, message, render, when } from '../dom.ts';
import { refusalText } from '../refusal.ts';
import type { ClientReservation, LedgerEntry, Purchase } from '../shapes.ts';
import { countsText, creditStateText, explainText } from '../words.ts';
import { freezePurchase, showFreezes } from './freeze.ts';
import { sharePurchase, transferPurchase } from './household.ts';
import { quoteSection } from './quote.ts';

const balanceText = (p: Purchase) => (p.unlimited ? 'Unlimited' : `${p.remaining}/${p.total}`);

/** Shared pools (issue 20): whose purchase this member may use, or whom the owner shares it with. */
function poolHint(p: Purchase) {
  const cap = (c: number | null, used: number) => (c === null ? `${used} in use` : `${used} of ${c} in use`);
  if (p.sharedBy)
    return h(
      'div',
      { class: 'hint' },
      `Shared by ${p.sharedBy.ownerId} (${cap(p.sharedBy.cap, p.sharedBy.used)})`,
    );
  if (p.members?.length)
    return h(
      'div',
      { class: 'hint' },
      `Shared with ${p.members.map((m) => `${m.clientId} (${cap(m.cap, m.used)})`).join(', ')}`,
    );
  return '';
}

function deltaText(d: LedgerEntry['delta']) {
  const parts = Object.entries(d)
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => `${k} ${n > 0 ? '+' : ''}${n}`);
  return parts.join(', ') || '—';
}

async function showLedger(p: Purchase, out: HTMLElement) {
  const ledger = await outcome(api.GET('/v1/purchases/{id}/ledger', { params: { path: { id: p.id } } }));
  if (!ledger.ok) return render(out, message('error', refusalText(ledger, 'The ledger could not be loaded')));
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

const params = () => new URLSearchParams(location.hash.split('?')[1] ?? '');

/** Search by the start of a name or email; each result opens the client. A page at a time. */
async function searchResults(q: string, out: HTMLElement, cursor?: string) {
  const found = await outcome(
    api.GET('/v1/clients', { params: { query: { q, ...(cursor ? { cursor } : {}) } } }),
  );
  if (!found.ok) return render(out, message('error', refusalText(found, 'The search failed')));
  const { clients, next } = found.data;
  const list =
    out.querySelector('ul.results') ?? h('ul', { class: 'results', 'aria-label': 'Clients found' });
  if (!cursor) {
    render(
      out,
      clients.length === 0
        ? h('p', { class: 'msg msg-info', role: 'status' }, `No client's name or email starts with “${q}”.`)
        : h('p', { role: 'status' }, q ? `Clients whose name or email starts with “${q}”:` : 'All clients:'),
      clients.length ? list : null,
    );
  }
  out.querySelector('.more')?.remove();
  for (const c of clients)
    list.append(
      h(
        'li',
        { 'data-client': c.id },
        h('a', { href: `#/clients?id=${encodeURIComponent(c.id)}` }, c.name),
        h('span', { class: 'hint' }, ` ${c.email ?? ''} · id ${c.id}`),
      ),
    );
  if (next)
    out.append(
      h(
        'button',
        { type: 'button', class: 'more', onclick: () => void searchResults(q, out, next) },
        'Show more clients',
      ),
    );
}

/**
 * B5 by hand: move a reservation's credit to another of the client's purchases,
 * after saying what moves where; the answer's explanation is then shown in words.
 */
async function changePurchase(
  r: ClientReservation,
  purchases: Purchase[],
  planOf: (purchaseId: string) => string,
  note: HTMLElement,
  reload: (notice: HTMLElement) => Promise<void>,
) {
  const choices = purchases.filter((p) => p.id !== r.purchaseId);
  if (choices.length === 0)
    return render(note, message('info', 'This client has no other purchase to move the reservation to.'));
  const select = h(
    'select',
    { id: `move-${r.id}` },
    choices.map((p) =>
      h('option', { value: p.id }, `${p.planName} (${p.id}): ${balanceText(p)} left, ${p.status}`),
    ),
  );
  const pick = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': `move-${r.id}-title` },
    h(
      'h2',
      { id: `move-${r.id}-title` },
      `Which purchase pays for ${r.session.item.name} on ${when(r.session.startsAt)}?`,
    ),
    h('label', { for: `move-${r.id}` }, 'Purchase'),
    select,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', autofocus: true, onclick: () => pick.close('cancel') }, 'Cancel'),
      h('button', { type: 'button', class: 'primary', onclick: () => pick.close('next') }, 'Next'),
    ),
  );
  document.body.append(pick);
  const picked = await new Promise<string>((resolve) => {
    pick.addEventListener('close', () => resolve(pick.returnValue));
    pick.showModal();
  });
  pick.remove();
  if (picked !== 'next') return;
  const target = select.value;
  const state = creditStateText(r.credit.state);
  const go = await confirmChange({
    title: 'Move this reservation to another purchase?',
    intro: `${r.session.item.name} on ${when(r.session.startsAt)} will be paid by ${planOf(target)} instead of ${r.purchaseId ? planOf(r.purchaseId) : 'no purchase'}.${r.credit.state === 'held' || r.credit.state === 'used' ? ` Its credit (${state}) is given back to the old purchase and taken from the new one, ${state} as before, each with a ledger entry.` : ' No credit has been taken yet, so no balance changes now.'}`,
    confirm: 'Move it',
  });
  if (!go) return;
  const moved = await outcome(
    api.PUT('/v1/reservations/{id}/purchase', {
      params: { path: { id: r.id } },
      body: { purchaseId: target },
    }),
  );
  if (!moved.ok) return render(note, message('error', refusalText(moved, 'Not moved')));
  announce(`Moved to ${target}`);
  await reload(
    message(
      'ok',
      h(
        'p',
        {},
        `Moved: ${r.session.item.name} on ${when(r.session.startsAt)} is now paid by ${planOf(target)}. Why:`,
      ),
      h(
        'ul',
        {},
        explainText(moved.data.explain, planOf, moved.data.manualPurchase).map((x) => h('li', {}, x)),
      ),
    ),
  );
}

/**
 * The front desk's view: find a client by name or email, then their balances as
 * `7/10`, a purchase's ledger, and why each booking is where it is.
 */
export async function clientsScreen(main: HTMLElement, notice?: HTMLElement) {
  const id = params().get('id') ?? '';
  const q = params().get('q') ?? '';
  const input = h('input', {
    id: 'client-search',
    type: 'search',
    value: q,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'client-search-hint',
  });
  const results = h('div', { id: 'client-results', 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'card inline-form',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        location.hash = `#/clients?q=${encodeURIComponent(input.value.trim())}`;
      },
    },
    h(
      'div',
      {},
      h('label', { for: 'client-search' }, 'Name or email'),
      input,
      h(
        'p',
        { class: 'hint', id: 'client-search-hint' },
        'The start of a first name, a full name or an email.',
      ),
    ),
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Find client')),
  );
  if (!id) {
    render(main, h('h1', {}, 'Clients'), form, results);
    if (params().has('q')) await searchResults(q, results);
    return;
  }

  const [client, balances, reservations] = await Promise.all([
    outcome(api.GET('/v1/clients/{id}', { params: { path: { id } } })),
    outcome(api.GET('/v1/clients/{id}/balances', { params: { path: { id } } })),
    // The newest 100, as before the history was paged.
    outcome(api.GET('/v1/clients/{id}/reservations', { params: { path: { id }, query: { limit: '100' } } })),
  ]);
  const notLoaded = (failed: { status: number; problem: Problem }) =>
    render(
      main,
      h('h1', {}, 'Clients'),
      form,
      message(
        'error',
        failed.status === 404
          ? `There is no client with the id “${id}”. Search by name or email above.`
          : refusalText(failed, 'The client could not be loaded'),
      ),
    );
  if (!client.ok) return notLoaded(client);
  if (!balances.ok) return notLoaded(balances);
  render(
    main,
    h('h1', {}, client.data.name),
    h('p', { class: 'lead' }, [client.data.email, `client id ${client.data.id}`].filter(Boolean).join(' · ')),
    form,
    h('div', { id: 'client-note' }, notice ?? null),
  );
  const note = main.querySelector('#client-note') as HTMLElement;
  const purchases = balances.data.purchases;
  const planOf = (purchaseId: string) => {
    const p = purchases.find((x) => x.id === purchaseId);
    return p ? `“${p.planName}” (${p.id})` : `purchase ${purchaseId}`;
  };
  const ledgerOut = h('div', { id: 'ledger' });
  const reload = async (shown: HTMLElement) => {
    render(main);
    await clientsScreen(main, shown);
    (main.querySelector('#client-note') as HTMLElement | null)?.scrollIntoView();
  };
  // The quote sits above the purchases: the desk asks it before booking.
  const quote = await quoteSection(client.data, planOf);

  main.append(
    quote,
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
                  h('th', { scope: 'row' }, p.planName, h('div', { class: 'hint' }, p.id), poolHint(p)),
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
                    p.status === 'active' || p.status === 'on_hold'
                      ? h(
                          'button',
                          { type: 'button', onclick: () => void freezePurchase(p, note, reload) },
                          `Freeze ${p.id}`,
                        )
                      : null,
                    p.sharedBy
                      ? null
                      : h(
                          'button',
                          { type: 'button', onclick: () => void showFreezes(p, ledgerOut, note, reload) },
                          `Freezes of ${p.id}`,
                        ),
                    p.sharedBy
                      ? null
                      : h(
                          'button',
                          { type: 'button', onclick: () => void sharePurchase(p, note, reload) },
                          `Share ${p.id}…`,
                        ),
                    p.sharedBy || session.role !== 'admin'
                      ? null
                      : h(
                          'button',
                          { type: 'button', onclick: () => void transferPurchase(p, note, reload) },
                          `Transfer ${p.id}…`,
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
        ? message('error', refusalText(reservations, 'The reservations could not be loaded'))
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
                  ['Session', 'Status', 'Credit', 'Why', ''].map((t) =>
                    h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Change')),
                  ),
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
                      r.counts ? h('div', { class: 'counts' }, countsText(r.counts)) : null,
                    ),
                    h(
                      'td',
                      { class: 'explain' },
                      h(
                        'ul',
                        {},
                        explainText(r.explain, planOf, r.manualPurchase).map((s) => h('li', {}, s)),
                      ),
                    ),
                    h(
                      'td',
                      {},
                      r.status === 'canceled'
                        ? null
                        : h(
                            'button',
                            {
                              type: 'button',
                              onclick: () => void changePurchase(r, purchases, planOf, note, reload),
                            },
                            'Change purchase',
                            h(
                              'span',
                              { class: 'visually-hidden' },
                              ` for ${r.session.item.name} on ${when(r.session.startsAt)}`,
                            ),
                          ),
                    ),
                  ),
                ),
              ),
            ),
    ),
  );
}
