import { api, outcome } from '../api.ts';
import { h, message, render, when } from '../dom.ts';
import { refusalText } from '../refusal.ts';
import type { ScheduledSession } from '../shapes.ts';
import { upcomingHint, upcomingSessions } from '../upcoming.ts';
import { countsText, creditStateText, explainText } from '../words.ts';

const sessionText = (s: ScheduledSession) =>
  `${s.itemName} · ${when(s.startsAt)}${s.canceledAt ? ' (canceled by the studio)' : ''}`;

/**
 * "Which credit would pay if this client booked it now" (POST /v1/reservations/quote):
 * the desk picks an upcoming session by name and time and reads the paying plan, its
 * label, the counts after and why, before anything is booked. Nothing is written.
 */
export async function quoteSection(
  client: { id: string; name: string },
  planOf: (purchaseId: string) => string,
): Promise<HTMLElement> {
  const out = h('div', { id: 'quote', 'aria-live': 'polite' });
  const section = h(
    'section',
    { 'aria-labelledby': 'quote-title' },
    h('h2', { id: 'quote-title' }, 'Which credit would pay'),
  );
  const schedule = await upcomingSessions();

  if (!schedule.ok) {
    section.append(message('error', refusalText(schedule, 'The schedule could not be loaded')));
    return section;
  }
  const sessions = schedule.data.sessions;
  if (sessions.length === 0) {
    section.append(h('p', {}, 'No session starts in the next two weeks.'));
    return section;
  }
  const select = h(
    'select',
    { id: 'quote-session' },
    sessions.map((s) => h('option', { value: s.id }, sessionText(s))),
  );
  const channel = h(
    'select',
    { id: 'quote-channel' },
    h('option', { value: 'in_store' }, 'At the desk'),
    h('option', { value: 'online' }, 'Online'),
  );
  const ask = async () => {
    const session = sessions.find((s) => s.id === select.value);
    if (!session) return;
    render(out, h('p', { role: 'status' }, 'Asking…'));
    const quoted = await outcome(
      api.POST('/v1/reservations/quote', {
        body: {
          clientId: client.id,
          sessionId: session.id,
          channel: channel.value === 'online' ? 'online' : 'in_store',
        },
      }),
    );
    const booking = `${session.itemName} on ${when(session.startsAt)}`;
    if (!quoted.ok)
      // A conflict here is the session itself (canceled by the studio, already
      // booked…), not a race with another change: say what the service said.
      return render(
        out,
        message(
          'error',
          quoted.status === 409
            ? `No quote for ${booking}: ${quoted.problem.detail}. Nothing was booked.`
            : refusalText(quoted, `No quote for ${booking}`),
        ),
      );
    const q = quoted.data;
    const paying = q.purchaseId ? planOf(q.purchaseId) : null;
    render(
      out,
      message(
        'info',
        h(
          'p',
          { class: 'quote-answer' },
          paying
            ? `If ${client.name} books ${booking} now, ${paying} pays: credit ${creditStateText(q.credit.state)}.`
            : `If ${client.name} books ${booking} now, no purchase pays: the booking is made without a credit.`,
        ),
        q.label ? h('p', {}, 'Label: ', h('strong', { class: 'quote-label' }, q.label)) : null,
        q.counts
          ? h('p', {}, 'After booking: ', h('strong', { class: 'quote-counts' }, countsText(q.counts)))
          : null,
        h('p', {}, 'Why:'),
        h(
          'ul',
          {},
          explainText(q.explain, planOf).map((x) => h('li', {}, x)),
        ),
        h('p', { class: 'hint' }, 'Nothing was booked; a booking made later decides again.'),
      ),
    );
  };
  section.append(
    h(
      'form',
      {
        class: 'card inline-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void ask();
        },
      },
      h('div', {}, h('label', { for: 'quote-session' }, 'Session'), select),
      h('div', {}, h('label', { for: 'quote-channel' }, 'Booked from'), channel),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Quote')),
      upcomingHint(schedule.data.next),
    ),
    out,
  );
  return section;
}
