import { query, type Row } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import {
  activeCached,
  type CachedActive,
  compilePolicy,
  type Ruleset,
  rememberActive,
} from '../policy/index.ts';
import type { CreditContext } from './context.ts';
import {
  itemOf,
  lineOf,
  purchaseBaseColumns,
  purchaseOf,
  reservationColumns,
  reservationFrom,
  reservationOf,
  sessionOf,
  ticketOf,
} from './snapshot.ts';
import type { ClientSnapshot, PurchaseSnap, ReservationExplain, ReservationSnap } from './types.ts';
import { explainOf } from './usage-dictionary.ts';
import { capColumns, sessionZoneColumn } from './visit-cap-read.ts';

/** A purchase that ended (used up, expired, voided) and holds nothing drops out of the lock this long after its sale. */
export const historyDays = 90;

/** How the operation names its client: directly, or through the reservation, purchase or ticket it acts on. */
export type ClientRef =
  | { clientId: string }
  | { reservationId: string }
  | { purchaseId: string }
  | { ticketId: string };

export interface ReadRequest {
  client: ClientRef;
  /** Reservations the operation acts on, read (and locked) with the due ones. */
  reservationIds?: string[];
  /** Purchases the operation acts on, locked with the live ones whatever their state. */
  purchaseIds?: string[];
  /** A ticket whose lines' reservations and purchases the operation acts on. */
  ticketId?: string;
  /** A booking: the session named, whether the client is already in it, whether the new id is taken. */
  booking?: { sessionId: string; reservationId: string };
  /** False for a read that answers only (GET): nothing is locked. */
  lock?: boolean;
}

const clientOf = (ref: ClientRef): { where: string; param: string } =>
  'clientId' in ref
    ? { where: 'c.id = $2', param: ref.clientId }
    : 'reservationId' in ref
      ? {
          where: 'c.id = (select x.client_id from reservations x where x.tenant_id = $1 and x.id = $2)',
          param: ref.reservationId,
        }
      : 'purchaseId' in ref
        ? {
            where: 'c.id = (select x.client_id from purchases x where x.tenant_id = $1 and x.id = $2)',
            param: ref.purchaseId,
          }
        : {
            where: 'c.id = (select x.client_id from tickets x where x.tenant_id = $1 and x.id = $2)',
            param: ref.ticketId,
          };

/**
 * The one locking read of a client's operation, in one round trip: the client row
 * FOR UPDATE (the first step of the global lock order), then — in the same
 * statement — its live purchases FOR UPDATE in id order, the reservations with a
 * time trigger due and those the request names FOR UPDATE, the session a booking
 * names, and the tenant's active policy version.
 *
 * One statement sees one snapshot, taken before it waited for the client lock, so
 * everything another holder of that lock may have changed is read FOR UPDATE:
 * PostgreSQL then returns each row's latest committed version (as an UPDATE
 * would). A row inserted meanwhile (a second booking of the same session) is caught
 * by a unique index instead.
 *
 * Every id set is filtered by the client (or its pools) where it is built, so the final reads go
 * by primary key. Live purchases: active or on hold with credits left (or unlimited), or holding
 * credits, or sold in the last `historyDays` days, or named by the request or by a
 * reservation read. What a client bought years ago and used up stays out of the
 * lock, so its cost does not grow with history (a partial index answers it).
 */
export async function readClient(ctx: CreditContext, req: ReadRequest): Promise<ClientSnapshot | null> {
  const client = clientOf(req.client);
  const lock = (alias: string) => (req.lock === false ? '' : ` for update of ${alias}`);
  // A booking shares the session's key lock (as its foreign key check does at commit):
  // a studio's class cancel, which takes the session FOR UPDATE, waits for bookings in
  // flight and is seen by the next ones.
  const share = (alias: string) => (req.lock === false ? '' : ` for key share of ${alias}`);
  // $1 tenant, $2 the client's reference, $3 now, $4 the history cutoff; the rest only
  // when the request names them: a smaller statement plans faster, and it is planned
  // on every call.
  const params: unknown[] = [
    ctx.tenantId,
    client.param,
    ctx.now,
    new Date(ctx.now.getTime() - historyDays * 86_400_000),
  ];
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const named = req.reservationIds?.length ? param(JSON.stringify(req.reservationIds), 'jsonb') : null;
  const namedPurchases = req.purchaseIds?.length ? param(JSON.stringify(req.purchaseIds), 'jsonb') : null;
  const ticket = req.ticketId ? param(req.ticketId, 'text') : null;
  const bookedSession = req.booking ? param(req.booking.sessionId, 'text') : null;
  const reservationIds = [
    `select r.id from reservations r join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
      where r.tenant_id = $1 and r.client_id = (select id from c) and not r.ended_applied
        and ((not r.started_applied and s.starts_at <= $3) or s.ends_at <= $3)`,
    named && `select jsonb_array_elements_text(${named})`,
    ticket &&
      `select tl.reservation_id from ticket_lines tl
        where tl.tenant_id = $1 and tl.ticket_id = ${ticket} and tl.reservation_id is not null`,
  ];
  const purchaseIds = [
    `select p.id from purchases p
      where p.tenant_id = $1 and p.client_id = (select id from c)
        and ((p.status in ('active', 'on_hold') and (p.unlimited or p.remaining > 0)) or p.held > 0)`,
    `select p.id from purchases p where p.tenant_id = $1 and p.client_id = (select id from c) and p.purchased_at > $4`,
    // Shared pools (issue 20): purchases the client is or was a member of, locked with its own
    // in id order, so two members booking at once wait on the pool's row and cannot overdraw it.
    `select p.id from purchases p
      where p.tenant_id = $1 and p.pool is not null and (p.pool -> 'used') ? (select id from c)`,
    `select r.purchase_id from reservations r
      where r.tenant_id = $1 and r.id = any(array(select id from rids)) and r.client_id = (select id from c)
        and r.purchase_id is not null`,
    // Every purchase a claim draws a share from (B10 across purchases): its credits move with the claim.
    `select s.value ->> 'purchaseId' from reservations r cross join jsonb_array_elements(r.shares) s
      where r.tenant_id = $1 and r.id = any(array(select id from rids)) and r.client_id = (select id from c)
        and r.shares is not null`,
    namedPurchases &&
      `select p.id from purchases p
        where p.tenant_id = $1 and p.id = any(array(select jsonb_array_elements_text(${namedPurchases})))
          and p.client_id = (select id from c)`,
    ticket &&
      `select tl.purchase_id from ticket_lines tl join tickets t on t.tenant_id = tl.tenant_id and t.id = tl.ticket_id
        where tl.tenant_id = $1 and tl.ticket_id = ${ticket} and t.client_id = (select id from c)
          and tl.purchase_id is not null`,
    ticket &&
      `select s.value ->> 'purchaseId' from ticket_lines tl join tickets t on t.tenant_id = tl.tenant_id and t.id = tl.ticket_id
        cross join jsonb_array_elements(tl.shares) s
        where tl.tenant_id = $1 and tl.ticket_id = ${ticket} and t.client_id = (select id from c)
          and tl.shares is not null`,
  ];
  // For the answer (B20 labels, explain): only for the reservations the request names.
  // The reservations the answer shows: those named, and those on the ticket named.
  const shown = [
    named && `select jsonb_array_elements_text(${named})`,
    ticket &&
      `select tl.reservation_id from ticket_lines tl where tl.tenant_id = $1 and tl.ticket_id = ${ticket}`,
  ]
    .filter(Boolean)
    .join(' union ');
  const answerColumns = shown
    ? `,
      case when r.credit_state = 'used' and r.id in (${shown}) then (
        select coalesce(sum(e.used), 0) from ledger_entries e
         where e.tenant_id = $1 and e.purchase_id = r.purchase_id
           and e.seq <= (select max(u.seq) from ledger_entries u where u.tenant_id = $1
                            and u.purchase_id = r.purchase_id and u.kind = 'use' and u.reservation_id = r.id))
      end as used_through,
      case when r.id in (${shown}) then ${explainOf('r')} end as explain`
    : '';
  const ticketColumns = ticket
    ? `,
      (select to_json(t) from (
         select t.id, t.client_id, t.location_id, t.manual, t.status, t.policy_version, t.void_reason, t.created_at,
                t.closed_at
           from tickets t where t.tenant_id = $1 and t.id = ${ticket} and t.client_id = c.id${lock('t')}) t) as ticket,
      (select coalesce(json_agg(q order by q.line_no), '[]') from (
         select l.ticket_id, l.line_no, l.item_id, l.reservation_id, l.unit_price, l.units, l.covered_units, l.shares,
                l.purchase_id, l.credit_state, l.credit_seq, i.kind as i_kind, i.price as i_price,
                i.item_type as i_item_type, i.bucket_type as i_bucket_type,
                case when l.credit_state = 'used' and l.purchase_id is not null then (
                  select coalesce(sum(e.used), 0) from ledger_entries e
                   where e.tenant_id = $1 and e.purchase_id = l.purchase_id
                     and e.seq <= (select max(u.seq) from ledger_entries u where u.tenant_id = $1
                                      and u.purchase_id = l.purchase_id and u.kind = 'use' and u.ticket_id = l.ticket_id
                                      and u.line_no = l.line_no))
                end as used_through
           from ticket_lines l join items i on i.tenant_id = l.tenant_id and i.id = l.item_id
          where l.tenant_id = $1 and l.ticket_id = ${ticket} order by l.line_no${lock('l')}) q) as lines`
    : '';
  let booking = '';
  if (req.booking) {
    const session = bookedSession as string;
    booking = `,
      (select to_json(b) from (
         select s.id as session_id, s.item_id, s.location_id, s.starts_at, s.ends_at, s.price as s_price, s.units,
                s.canceled_at as s_canceled_at, s.capacity as s_capacity, ${sessionZoneColumn('s')}, i.kind as i_kind, i.price as i_price, i.item_type as i_item_type,
                i.bucket_type as i_bucket_type, i.integrations as i_integrations
           from sessions s join items i on i.tenant_id = s.tenant_id and i.id = s.item_id
          where s.tenant_id = $1 and s.id = ${session}${share('s')}) b) as session,
      (select r.id from reservations r where r.tenant_id = $1 and r.session_id = ${session} and r.client_id = c.id
          and r.status <> 'canceled') as live,
      exists (select 1 from reservations r where r.tenant_id = $1 and r.id = ${param(req.booking.reservationId, 'text')}) as id_taken`;
  }
  const rows = await query(
    ctx,
    `with c as materialized (
       select c.id, t.active_version from clients c join tenants t on t.id = c.tenant_id
        where c.tenant_id = $1 and ${client.where}${lock('c')}
     ),
     rids as (${reservationIds.filter(Boolean).join(' union ')}),
     pids as (${purchaseIds.filter(Boolean).join(' union ')})
     select c.id as client_id, c.active_version,
       (select coalesce(json_agg(q order by q.id), '[]') from (
          select ${purchaseBaseColumns}, ${capColumns(bookedSession ? { session: bookedSession } : undefined)}
            from purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
           where p.tenant_id = $1 and p.id = any(array(select id from pids))
           order by p.id${lock('p')}) q) as purchases,
       (select coalesce(json_agg(q order by q.id), '[]') from (
          select ${reservationColumns}, lt.t_id, lt.t_status, lt.t_manual, lt.t_lines${answerColumns}
            from ${reservationFrom}
            left join lateral (
              select t.id as t_id, t.status as t_status, t.manual as t_manual,
                     (select count(*) from ticket_lines n where n.tenant_id = t.tenant_id and n.ticket_id = t.id) as t_lines
                from ticket_lines tl join tickets t on t.tenant_id = tl.tenant_id and t.id = tl.ticket_id
               where tl.tenant_id = r.tenant_id and tl.reservation_id = r.id
               order by tl.ticket_id desc limit 1) lt on true
           where r.tenant_id = $1 and r.id = any(array(select id from rids)) and r.client_id = c.id
           order by r.id${lock('r')}) q) as reservations,
       -- Late cancels forgiven near now (issue 20): forgiveness counts them per period.
       (select coalesce(json_agg(json_build_object('id', f.id, 'startsAt', fs.starts_at)), '[]')
          from reservations f join sessions fs on fs.tenant_id = f.tenant_id and fs.id = f.session_id
         where f.tenant_id = $1 and f.client_id = c.id and f.penalty is not null
           and f.penalty ->> 'kind' = 'forgiven' and fs.starts_at > $3::timestamptz - interval '62 days'
           and fs.starts_at < $3::timestamptz + interval '62 days') as forgiven${ticketColumns}${booking}
       from c`,
    params,
  );
  const usedThroughOf = new Map<string, number>();
  const [row] = rows;
  if (!row) return null;
  for (const l of (row.lines as Row[] | undefined) ?? [])
    if (l.used_through != null) usedThroughOf.set(`${l.ticket_id}:${l.line_no}`, Number(l.used_through));
  const purchases = new Map<string, PurchaseSnap>();
  for (const p of row.purchases as Row[]) purchases.set(String(p.id), purchaseOf(p));
  const reservations = new Map<string, ReservationSnap>();
  const usedThrough = usedThroughOf;
  const explains = new Map<string, ReservationExplain>();
  for (const r of row.reservations as Row[]) {
    const ticket =
      r.t_id === null
        ? null
        : {
            id: String(r.t_id),
            status: r.t_status,
            manual: Boolean(r.t_manual),
            lineCount: Number(r.t_lines),
          };
    reservations.set(String(r.id), reservationOf(r, ticket));
    if (r.used_through != null) usedThrough.set(String(r.id), Number(r.used_through));
    if (r.explain != null) explains.set(String(r.id), r.explain as ReservationExplain);
  }
  return {
    clientId: String(row.client_id),
    policyVersion: Number(row.active_version),
    purchases,
    reservations,
    usedThrough,
    explains,
    forgiven: ((row.forgiven as { id: string; startsAt: string }[] | null) ?? []).map((f) => ({
      reservationId: f.id,
      startsAt: new Date(f.startsAt),
    })),
    ticket: row.ticket ? { ticket: ticketOf(row.ticket), lines: (row.lines as Row[]).map(lineOf) } : null,
    booking: req.booking
      ? {
          session: row.session ? { session: sessionOf(row.session), item: itemOf(row.session) } : null,
          live: row.live ?? null,
          idTaken: Boolean(row.id_taken),
        }
      : null,
  };
}

/**
 * The tenant's active policy at the version the operation's locking read returned:
 * from the process cache while that version is still the active one, else read once
 * (and compiled once per content hash).
 */
export async function policyAt(ctx: CreditContext, version: number): Promise<CachedActive> {
  const hit = activeCached(ctx.tenantId, version);
  if (hit) return hit;
  const [row] = await query(
    ctx,
    'select version, hash, ruleset from ruleset_versions where tenant_id = $1 and version = $2',
    [ctx.tenantId, version],
  );
  if (!row) throw notFound('tenant', ctx.tenantId);
  const ruleset = row.ruleset as Ruleset;
  const active = {
    version,
    hash: String(row.hash),
    ruleset,
    policy: compilePolicy(ruleset, String(row.hash)),
  };
  rememberActive(ctx.tenantId, active);
  return active;
}

/** For operations without a client to lock (the sweep, a tenant-wide catch-up, simulation). */
export async function currentPolicy(ctx: CreditContext): Promise<CachedActive> {
  const [row] = await query(ctx, 'select active_version from tenants where id = $1', [ctx.tenantId]);
  if (!row) throw notFound('tenant', ctx.tenantId);
  return policyAt(ctx, Number(row.active_version));
}
