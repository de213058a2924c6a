import { api, outcome } from '../api.ts';
import { confirmChange } from '../confirm.ts';
import { announce, h, message, render, when } from '../dom.ts';
import { actionRefusal, refusalText } from '../refusal.ts';
import type { ScheduledSession } from '../shapes.ts';
import { upcomingHint, upcomingSessions } from '../upcoming.ts';
import { creditStateText } from '../words.ts';
import { clientPicker, nameOf } from './household.ts';

const params = () => new URLSearchParams(location.hash.split('?')[1] ?? '');
const sessionText = (s: ScheduledSession) =>
  `${s.itemName} · ${when(s.startsAt)}${s.canceledAt ? ' (canceled by the studio)' : ''}`;
const held = (units: number, purchaseId: string | null) =>
  units > 0 && purchaseId ? `${units} credit${units === 1 ? '' : 's'} held from ${purchaseId}` : 'None';

/**
 * A session's roster and waitlist (issue 20): who is booked, who waits in order with
 * the credit held for them, and the desk's two actions, join and remove
 * (`/v1/sessions/{id}/waitlist`). Reads `GET /v1/sessions/{id}/attendees` and
 * `GET /v1/sessions/{id}/waitlist`.
 */
export async function sessionsScreen(main: HTMLElement) {
  render(main, h('h1', {}, 'Sessions'));
  const schedule = await upcomingSessions();

  if (!schedule.ok)
    return main.append(message('error', refusalText(schedule, 'The schedule could not be loaded')));
  const sessions = schedule.data.sessions;
  if (sessions.length === 0) return main.append(h('p', {}, 'No session starts in the next two weeks.'));
  const wanted = params().get('id');
  const select = h(
    'select',
    { id: 'roster-session' },
    sessions.map((s) => h('option', { value: s.id, selected: s.id === wanted }, sessionText(s))),
  );
  const out = h('div', { id: 'roster' });
  const show = () => {
    const s = sessions.find((x) => x.id === select.value);
    if (s) void showRoster(s, out);
  };
  main.append(
    h(
      'form',
      {
        class: 'card inline-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          show();
        },
      },
      h('div', {}, h('label', { for: 'roster-session' }, 'Session'), select),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Show roster')),
      upcomingHint(schedule.data.next),
    ),
    out,
  );
  if (wanted && sessions.some((s) => s.id === wanted)) show();
}

async function showRoster(s: ScheduledSession, out: HTMLElement, notice?: HTMLElement) {
  const [roster, line] = await Promise.all([
    outcome(api.GET('/v1/sessions/{id}/attendees', { params: { path: { id: s.id } } })),
    outcome(api.GET('/v1/sessions/{id}/waitlist', { params: { path: { id: s.id } } })),
  ]);
  if (!roster.ok) return render(out, message('error', refusalText(roster, 'The roster could not be loaded')));
  if (!line.ok) return render(out, message('error', refusalText(line, 'The waitlist could not be loaded')));
  const { capacity, taken, waiting } = line.data;
  const names = new Map(roster.data.attendees.map((a) => [a.clientId, a.clientName]));
  for (const w of waiting) if (!names.has(w.clientId)) names.set(w.clientId, await nameOf(w.clientId));
  const nameFor = (id: string) => names.get(id) ?? id;
  const title = sessionText(s);
  const note = h('div', { id: 'roster-note' }, notice ?? null);
  const again = (shown: HTMLElement) => showRoster(s, out, shown);
  const picker = clientPicker('waitlist-join', 'Client to add');
  const join = async () => {
    const c = picker.chosen();
    if (!c) return render(note, message('error', 'Find a client first, then add them to the waitlist.'));
    const joined = await outcome(
      api.POST('/v1/sessions/{id}/waitlist', { params: { path: { id: s.id } }, body: { clientId: c.id } }),
    );
    if (!joined.ok)
      return render(note, message('error', actionRefusal(joined, `${c.name} not added to the waitlist`)));
    const e = joined.data;
    announce(`${c.name} joined the waitlist`);
    await again(
      message(
        'ok',
        `${c.name} joined the waitlist at position ${e.position}; ${e.heldUnits > 0 ? held(e.heldUnits, e.purchaseId) : 'no credit held'}.`,
      ),
    );
  };
  const remove = async (clientId: string) => {
    const name = nameFor(clientId);
    const go = await confirmChange({
      title: `Remove ${name} from the waitlist?`,
      intro: `${name} stops waiting for ${title}; a credit held for them comes back to their purchase.`,
      confirm: 'Remove',
    });
    if (!go) return;
    const left = await outcome(
      api.DELETE('/v1/sessions/{id}/waitlist/{clientId}', { params: { path: { id: s.id, clientId } } }),
    );
    if (!left.ok) return render(note, message('error', actionRefusal(left, `${name} not removed`)));
    announce(`${name} left the waitlist`);
    await again(message('ok', `${name} left the waitlist of ${title}.`));
  };
  render(
    out,
    h('h2', { id: 'roster-title', tabindex: -1 }, title),
    h(
      'p',
      { id: 'roster-seats' },
      capacity === null
        ? `Unlimited seats; ${taken} taken.`
        : `${taken} of ${capacity} seat${capacity === 1 ? '' : 's'} taken${taken >= capacity ? ': full' : ''}.`,
    ),
    note,
    h('h3', { id: 'booked-title' }, 'Booked'),
    roster.data.attendees.length === 0
      ? h('p', {}, 'Nobody is booked.')
      : h(
          'table',
          { class: 'booked', 'aria-labelledby': 'booked-title' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Client', 'Status', 'Credit', 'Paid by'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            roster.data.attendees.map((a) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, a.clientName),
                h('td', {}, a.status.replace('_', ' ')),
                h('td', {}, creditStateText(a.credit.state)),
                h('td', {}, a.purchaseId ?? '—'),
              ),
            ),
          ),
        ),
    h('h3', { id: 'waiting-title' }, 'Waitlist'),
    waiting.length === 0
      ? h('p', {}, 'Nobody is waiting.')
      : h(
          'table',
          { class: 'waiting', 'aria-labelledby': 'waiting-title' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Place', 'Client', 'Joined', 'Credit held', ''].map((t) =>
                h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Remove')),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            waiting.map((w) =>
              h(
                'tr',
                { 'data-waiting': w.clientId },
                h('td', {}, w.position),
                h('th', { scope: 'row' }, nameFor(w.clientId)),
                h('td', {}, when(w.joinedAt)),
                h('td', {}, held(w.heldUnits, w.purchaseId)),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    { type: 'button', onclick: () => void remove(w.clientId) },
                    `Remove ${nameFor(w.clientId)}`,
                  ),
                ),
              ),
            ),
          ),
        ),
    s.canceledAt
      ? null
      : h(
          'div',
          { class: 'card' },
          picker.element,
          h(
            'button',
            { type: 'button', class: 'primary', onclick: () => void join() },
            'Add to the waitlist',
          ),
        ),
  );
  (out.querySelector('#roster-title') as HTMLElement | null)?.focus();
}
