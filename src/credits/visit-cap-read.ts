import type { Row } from '../db/sql.ts';
import { type CapVisit, localDay } from './visit-cap.ts';

/**
 * The SQL that feeds visit caps, as columns of the purchase reads (alias `p` for
 * the purchase, `pl` for its plan, `$1` the tenant). An uncapped plan reads
 * nothing more: every column is a `case` on `pl.cap` that stops at null.
 */

/** A session's location zone, next to the session's columns (alias of the sessions table). */
export const sessionZoneColumn = (s: string) =>
  `(select lz.time_zone from locations lz where lz.tenant_id = ${s}.tenant_id and lz.id = ${s}.location_id) as s_time_zone`;

/**
 * The cap, the sale location's zone and the visits of a capped purchase, through
 * `punchcard_cap_visits` (migration 0013: it sees what committed while the read
 * waited for the client's lock). A booking names its session: then only when the
 * plan covers the session's item, and only the sessions near it and near now ($3:
 * what is due may be assigned too): its period and the previous one, whatever the
 * zone. Visits not read stay unknown (`capVisits` absent) and the purchase pays nothing.
 */
export function capColumns(booking?: { session: string }): string {
  const session = (column: string) =>
    booking
      ? `(select ${column} from sessions cs where cs.tenant_id = $1 and cs.id = ${booking.session})`
      : '';
  const capped = booking
    ? `pl.cap is not null and exists (select 1 from sessions cs where cs.tenant_id = $1 and cs.id = ${booking.session}
         and cs.item_id = any(pl.item_ids))`
    : 'pl.cap is not null';
  const near = booking
    ? `${session(`least(cs.starts_at, $3) - interval '64 days'`)}, ${session(`cs.starts_at + interval '33 days'`)}`
    : 'null, null';
  return `pl.cap as pl_cap,
  case when pl.cap is not null then
    (select lz.time_zone from locations lz where lz.tenant_id = p.tenant_id and lz.id = p.location_id) end as p_time_zone,
  case when ${capped} then punchcard_cap_visits(p.tenant_id, p.id, p.client_id, ${near}) end as cap_visits`;
}

/** A purchase row's cap fields: the sale zone and the visits dated in their sessions' zones. */
export function capOfRow(r: Row): { capVisits?: CapVisit[]; capZone?: string } {
  if (r.pl_cap == null) return {};
  const zone = { capZone: String(r.p_time_zone) };
  if (r.cap_visits == null) return zone;
  const raw = typeof r.cap_visits === 'string' ? JSON.parse(r.cap_visits) : r.cap_visits;
  const visits = (raw as [string, number | string, string][]).map(([id, at, zone]) => ({
    reservationId: String(id),
    date: localDay(new Date(Number(at)), zone),
  }));
  return { capVisits: visits, ...zone };
}
