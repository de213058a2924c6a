import { api, outcome } from './api.ts';
import { h } from './dom.ts';

/** How many sessions the desk's pickers list: one page of the schedule. */
export const upcomingPageLimit = 200;
const ahead = 14 * 24 * 60 * 60 * 1000;

/** The sessions the desk can pick from (quote, roster): the next two weeks by the browser's clock. */
export function upcomingSessions() {
  const from = new Date();
  return outcome(
    api.GET('/v1/sessions', {
      params: {
        query: {
          from: from.toISOString(),
          to: new Date(from.getTime() + ahead).toISOString(),
          limit: String(upcomingPageLimit),
        },
      },
    }),
  );
}

/** Said under a picker when the schedule had more sessions than one page. */
export const upcomingHint = (next: string | null | undefined) =>
  next
    ? h('p', { class: 'hint' }, `The first ${upcomingPageLimit} sessions of the next two weeks are listed.`)
    : null;
