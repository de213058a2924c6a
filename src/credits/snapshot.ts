import { anyOf, query, type Row } from '../db/sql.ts';
import type { Trigger } from '../policy/index.ts';
import type { CreditContext } from './context.ts';
import type {
  ItemSnap,
  LineSnap,
  PlanSnap,
  Pool,
  PurchaseSnap,
  ReservationSnap,
  SessionSnap,
  Share,
  TicketRow,
  TicketSnap,
} from './types.ts';
import { explainOf } from './usage-dictionary.ts';
import { capColumns, capOfRow, sessionZoneColumn } from './visit-cap-read.ts';

/** What a read needs of a context: a connection and whose data. */
export type ReadContext = Pick<CreditContext, 'tx' | 'tenantId'>;

const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const planOf = (r: Row): PlanSnap => ({
  id: String(r.plan_id),
  name: String(r.pl_name),
  kind: r.pl_kind,
  credits: orNull(r.pl_credits),
  unlimited: Boolean(r.pl_unlimited),
  price: Number(r.pl_price),
  daysToExpire: Number(r.pl_days_to_expire),
  oneDay: Boolean(r.pl_one_day),
  bucketType: r.pl_bucket_type ?? null,
  itemType: r.pl_item_type ?? null,
  priority: Number(r.pl_priority),
  itemIds: r.pl_item_ids,
  commission: r.pl_commission,
  ...(r.pl_cap == null ? {} : { cap: typeof r.pl_cap === 'string' ? JSON.parse(r.pl_cap) : r.pl_cap }),
  maxFreezeDays: orNull(r.pl_max_freeze_days),
  lowBalanceAt: orNull(r.pl_low_balance_at),
  expiringNoticeDays: orNull(r.pl_expiring_notice_days),
});

export const purchaseOf = (r: Row): PurchaseSnap => ({
  id: String(r.id),
  clientId: String(r.client_id),
  planId: String(r.plan_id),
  locationId: String(r.location_id),
  purchasedAt: asDate(r.purchased_at),
  expiresAt: r.expires_at === null ? null : asDate(r.expires_at),
  status: r.status,
  source: r.source,
  unlimited: Boolean(r.unlimited),
  total: Number(r.total),
  held: Number(r.held),
  used: Number(r.used),
  deducted: Number(r.deducted),
  expired: Number(r.expired),
  remaining: Number(r.remaining),
  plan: planOf(r),
  ...(r.pool ? { pool: r.pool as Pool } : {}),
  ...capOfRow(r),
  ...freezesOf(r.freezes),
});

/** Issue 20: a purchase's counting freezes (read with it), and the days they add to its expiry. */
function freezesOf(value: unknown): Pick<PurchaseSnap, 'freezes' | 'frozenDays'> {
  const list = (typeof value === 'string' ? JSON.parse(value) : value) as Row[] | null;
  if (!Array.isArray(list) || list.length === 0) return {};
  return {
    freezes: list.map((f) => ({
      id: String(f.id),
      startsAt: asDate(f.startsAt),
      endsAt: asDate(f.endsAt),
      to: String(f.to).slice(0, 10),
    })),
    frozenDays: list.reduce((sum, f) => sum + Number(f.days), 0),
  };
}

export const purchaseBaseColumns = `p.id, p.client_id, p.plan_id, p.location_id, p.purchased_at, p.expires_at, p.status, p.source,
  p.unlimited, p.total, p.held, p.used, p.deducted, p.expired, p.remaining, p.pool,
  pl.name as pl_name, pl.kind as pl_kind, pl.credits as pl_credits, pl.unlimited as pl_unlimited, pl.price as pl_price,
  pl.days_to_expire as pl_days_to_expire, pl.one_day as pl_one_day, pl.bucket_type as pl_bucket_type,
  pl.item_type as pl_item_type, pl.priority as pl_priority, pl.item_ids as pl_item_ids, pl.commission as pl_commission,
  pl.max_freeze_days as pl_max_freeze_days, pl.low_balance_at as pl_low_balance_at,
  pl.expiring_notice_days as pl_expiring_notice_days,
  (select jsonb_agg(jsonb_build_object('id', f.id, 'startsAt', f.starts_at, 'endsAt', f.ends_at, 'to', f.to_date,
                                       'days', f.days) order by f.from_date)
     from purchase_freezes f where f.tenant_id = p.tenant_id and f.purchase_id = p.id and f.days > 0) as freezes`;

/** A purchase's columns with its plan's and its visit cap's (visit-cap-read.ts). */
export const purchaseColumns = `${purchaseBaseColumns},
  ${capColumns()}`;

/**
 * Purchases with their plans, of the given clients or with the given ids. With
 * `lock`, FOR UPDATE in id order: the second step of the global lock order, after
 * the clients (see locks.ts).
 */
export async function readPurchases(
  ctx: ReadContext,
  scope: { clientIds: string[] } | { purchaseIds: string[] },
  lock = true,
): Promise<Map<string, PurchaseSnap>> {
  const list = 'clientIds' in scope ? scope.clientIds : scope.purchaseIds;
  if (list.length === 0) return new Map();
  // A client's purchases include those it is or was a member of (shared pools, issue 20).
  const where =
    'clientIds' in scope
      ? `p.id = any(array(
           select x.id from purchases x where x.tenant_id = $1 and x.client_id = ${anyOf(2)}
           union all
           select x.id from purchases x where x.tenant_id = $1 and x.pool is not null
              and (x.pool -> 'used') ?| array(select jsonb_array_elements_text($2::jsonb))))`
      : `p.id = ${anyOf(2)}`;
  const rows = await query(
    ctx,
    `select ${purchaseColumns}
       from purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
      where p.tenant_id = $1 and ${where}
      order by p.id${lock ? ' for update of p' : ''}`,
    [ctx.tenantId, JSON.stringify([...new Set(list)])],
  );
  return new Map(rows.map((r) => [String(r.id), purchaseOf(r)]));
}

/** Purchases of the tenant whose expiry has passed but which are not settled yet, locked in id order. */
export async function readExpiredUnsettled(
  ctx: CreditContext,
  upTo: Date,
): Promise<Map<string, PurchaseSnap>> {
  const rows = await query(
    ctx,
    `select ${purchaseColumns}
       from purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
      where p.tenant_id = $1 and p.status in ('active', 'on_hold') and p.expires_at < $2
      order by p.id for update of p`,
    [ctx.tenantId, upTo],
  );
  return new Map(rows.map((r) => [String(r.id), purchaseOf(r)]));
}

/** A claim's stored shares (B10 across purchases): present only when more than one purchase pays. */
const sharesOfRow = (r: Row): { shares?: Share[] } => {
  const shares = typeof r.shares === 'string' ? JSON.parse(r.shares) : r.shares;
  return Array.isArray(shares) && shares.length > 1 ? { shares } : {};
};

export const reservationColumns = `r.id, r.client_id, r.session_id, r.channel, r.status, r.purchase_id, r.manual_purchase,
  r.credit_state, r.covered_units, r.shares, r.credit_seq, r.started_applied, r.ended_applied, r.created_at, r.penalty,
  s.item_id, s.location_id, s.starts_at, s.ends_at, s.price as s_price, s.units, s.capacity as s_capacity, ${sessionZoneColumn('s')},
  i.kind as i_kind, i.price as i_price, i.item_type as i_item_type, i.bucket_type as i_bucket_type,
  i.integrations as i_integrations`;

export const reservationFrom = `reservations r
  join sessions s on s.tenant_id = r.tenant_id and s.id = r.session_id
  join items i on i.tenant_id = s.tenant_id and i.id = s.item_id`;

/** The latest ticket each reservation is on (ticket ids sort by creation), with its line count. */
async function latestTickets(ctx: ReadContext, reservationIds: string[]): Promise<Map<string, TicketSnap>> {
  const rows = await query(
    ctx,
    `select distinct on (tl.reservation_id) tl.reservation_id, t.id, t.status, t.manual,
            (select count(*) from ticket_lines c where c.tenant_id = t.tenant_id and c.ticket_id = t.id) as lines
       from ticket_lines tl join tickets t on t.tenant_id = tl.tenant_id and t.id = tl.ticket_id
      where tl.tenant_id = $1 and tl.reservation_id = ${anyOf(2)}
      order by tl.reservation_id, tl.ticket_id desc`,
    [ctx.tenantId, JSON.stringify(reservationIds)],
  );
  return new Map(
    rows.map((r) => [
      String(r.reservation_id),
      { id: String(r.id), status: r.status, manual: Boolean(r.manual), lineCount: Number(r.lines) },
    ]),
  );
}

export const itemOf = (r: Row): ItemSnap => ({
  id: String(r.item_id),
  kind: r.i_kind,
  price: Number(r.i_price),
  itemType: r.i_item_type ?? null,
  bucketType: r.i_bucket_type,
  integrations: r.i_integrations ?? {},
});

export const sessionOf = (r: Row): SessionSnap => ({
  id: String(r.session_id),
  itemId: String(r.item_id),
  locationId: String(r.location_id),
  startsAt: asDate(r.starts_at),
  endsAt: asDate(r.ends_at),
  price: orNull(r.s_price),
  units: Number(r.units),
  ...(r.s_time_zone == null ? {} : { timeZone: String(r.s_time_zone) }),
  ...(r.s_canceled_at == null ? {} : { canceledAt: asDate(r.s_canceled_at) }),
  ...(r.s_capacity == null ? {} : { capacity: Number(r.s_capacity) }),
});

export function reservationOf(r: Row, ticket: TicketSnap | null): ReservationSnap {
  const snap: ReservationSnap = {
    id: String(r.id),
    clientId: String(r.client_id),
    sessionId: String(r.session_id),
    channel: r.channel,
    status: r.status,
    purchaseId: r.purchase_id ?? null,
    manualPurchase: Boolean(r.manual_purchase),
    creditState: r.credit_state,
    coveredUnits: Number(r.covered_units),
    ...sharesOfRow(r),
    creditSeq: Number(r.credit_seq),
    startedApplied: Boolean(r.started_applied),
    endedApplied: Boolean(r.ended_applied),
    createdAt: asDate(r.created_at),
    session: sessionOf(r),
    item: itemOf(r),
    ticket,
    checkedOutManually: ticket?.manual === true && ticket.status === 'closed',
  };
  if (r.penalty != null) snap.penalty = typeof r.penalty === 'string' ? JSON.parse(r.penalty) : r.penalty;
  if (r.history !== undefined) {
    snap.history = ((r.history as { trigger: Trigger; at: string }[] | null) ?? []).map((u) => ({
      trigger: u.trigger,
      at: new Date(u.at),
    }));
  }
  return snap;
}

export type ReservationScope =
  | { ids: string[] }
  /** The clients' reservations with a time trigger due by `upTo`. */
  | { dueFor: string[]; upTo: Date }
  /** Reservations of these sessions with a time trigger due by `upTo`. */
  | { dueIn: string[]; upTo: Date }
  /** Reservations of sessions starting in [from, to), with their history (simulation). */
  | { startingFrom: Date; to: Date };

/** Reservations with their session, item and latest ticket, in id order. */
export async function readReservations(
  ctx: ReadContext,
  scope: ReservationScope,
): Promise<Map<string, ReservationSnap>> {
  let where: string;
  let params: unknown[];
  let extra = '';
  const due = '((not r.started_applied and s.starts_at <= $3) or (not r.ended_applied and s.ends_at <= $3))';
  if ('ids' in scope) {
    if (scope.ids.length === 0) return new Map();
    where = `r.id = ${anyOf(2)}`;
    params = [JSON.stringify(scope.ids)];
  } else if ('dueFor' in scope) {
    if (scope.dueFor.length === 0) return new Map();
    // `not r.ended_applied` lets the partial index of pending reservations answer.
    where = `r.client_id = ${anyOf(2)} and not r.ended_applied and ${due}`;
    params = [JSON.stringify(scope.dueFor), scope.upTo];
  } else if ('dueIn' in scope) {
    if (scope.dueIn.length === 0) return new Map();
    where = `r.session_id = ${anyOf(2)} and ${due}`;
    params = [JSON.stringify(scope.dueIn), scope.upTo];
  } else {
    where = 's.starts_at >= $2 and s.starts_at < $3';
    params = [scope.startingFrom, scope.to];
    extra = `, ${explainOf('r')} -> 'usage' as history`;
  }
  const rows = await query(
    ctx,
    `select ${reservationColumns}${extra} from ${reservationFrom} where r.tenant_id = $1 and ${where} order by r.id`,
    [ctx.tenantId, ...params],
  );
  const tickets =
    rows.length > 0
      ? await latestTickets(
          ctx,
          rows.map((r) => String(r.id)),
        )
      : new Map();
  return new Map(rows.map((r) => [String(r.id), reservationOf(r, tickets.get(String(r.id)) ?? null)]));
}

/** A ticket line row (with its item's columns) as plain data. */
export const lineOf = (r: Row): LineSnap => ({
  ticketId: String(r.ticket_id),
  lineNo: Number(r.line_no),
  item: itemOf(r),
  reservationId: r.reservation_id ?? null,
  unitPrice: Number(r.unit_price),
  units: Number(r.units),
  coveredUnits: Number(r.covered_units),
  ...sharesOfRow(r),
  purchaseId: r.purchase_id ?? null,
  creditState: r.credit_state,
  creditSeq: Number(r.credit_seq),
});

/** A ticket row as plain data. */
export const ticketOf = (r: Row): TicketRow => ({
  id: String(r.id),
  clientId: String(r.client_id),
  locationId: String(r.location_id),
  manual: Boolean(r.manual),
  status: r.status,
  policyVersion: r.policy_version ?? null,
  voidReason: r.void_reason ?? null,
  createdAt: asDate(r.created_at),
  closedAt: r.closed_at == null ? null : asDate(r.closed_at),
});
