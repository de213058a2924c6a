import { boolArray, intArray, jsonArray, textArray, timeArray } from '../db/arrays.ts';
import { write } from '../db/sql.ts';
import type { PunchcardEvent } from '../events.ts';
import { newId } from '../ids.ts';
import { markRecorded, outboxInsert } from '../outbox/record.ts';
import { stepsKept } from './changeset.ts';
import type { CreditContext } from './context.ts';
import { freezesPart } from './freeze-commit.ts';
import type {
  ChangeSet,
  ClaimSnap,
  Posting,
  PurchaseSnap,
  ReservationChange,
  ReservationSnap,
  UsageStep,
} from './types.ts';
import { explainOf } from './usage-dictionary.ts';
import { waitlistParts } from './waitlist/rows.ts';

/**
 * Commit: the ONLY code that writes ledger entries and purchase balances (and the
 * credit fields of reservations and ticket lines). One statement per change set,
 * whatever its size — a booking is a batch of one, a sweep batch thousands: the
 * high-volume tables' rows (entries, balances, reservation updates, outbox) travel as
 * one array per column unpacked by unnest, the rare ones as one JSON parameter. Every
 * purchase touched gets all five counters and its status written as decided on the
 * locked snapshot (absolute values are safe: the rows are locked FOR UPDATE). The
 * unique (tenant, idempotency key) of ledger entries guards against posting one
 * operation twice. The change set's events go into the outbox in the same statement
 * (in decision order), and to the operation's context for the transaction's owner to
 * publish once committed.
 */
export async function commit(ctx: CreditContext, cs: ChangeSet): Promise<void> {
  const ids = new Map<Posting, string>(cs.postings.map((p) => [p, newId('le')]));
  // Types the policy parameters for statements that write no reservation.
  const parts: string[] = ['policy as (select $2::int as version, $3::text as hash)'];
  const params: unknown[] = [ctx.tenantId, cs.policy.version, cs.policy.hash];
  const bind = (rows: unknown[]) => {
    params.push(JSON.stringify(rows));
    return `$${params.length}::jsonb`;
  };
  // Reasons and explanation steps travel once per statement, rows name them by index:
  // a sweep batch repeats the same few thousands of times.
  const reasons = dictionary<string | null>();
  const steps = dictionary<Omit<UsageStep, 'at'>>();
  // By reference (the sweep): each distinct list of steps once, rows name it by index.
  const entries = dictionary<UsageStep[]>();
  const arg = (literal: string, type: string) => {
    params.push(literal);
    return `$${params.length}::${type}`;
  };
  if (cs.postings.length > 0) {
    const ps = cs.postings;
    const col = <T>(f: (p: Posting) => T) => ps.map(f);
    parts.push(`ledger as (
      insert into ledger_entries (tenant_id, id, purchase_id, client_id, kind, total, held, used, deducted, expired,
        reservation_id, ticket_id, line_no, actor, reason, idempotency_key, policy_version, occurred_at)
      select $1, x.id, x.purchase_id, x.client_id, x.kind, x.total, x.held, x.used, x.deducted, x.expired,
             x.reservation_id, x.ticket_id, x.line_no, x.actor, (select reasons from reasons)[x.reason], x.idempotency_key,
             x.policy_version, x.occurred_at
        from unnest(${arg(textArray(col((p) => ids.get(p))), 'text[]')}, ${arg(textArray(col((p) => p.purchaseId)), 'text[]')},
             ${arg(textArray(col((p) => p.clientId)), 'text[]')},
             ${arg(textArray(col((p) => p.kind)), 'text[]')}, ${arg(intArray(col((p) => p.delta.total)), 'int[]')},
             ${arg(intArray(col((p) => p.delta.held)), 'int[]')}, ${arg(intArray(col((p) => p.delta.used)), 'int[]')},
             ${arg(intArray(col((p) => p.delta.deducted)), 'int[]')}, ${arg(intArray(col((p) => p.delta.expired)), 'int[]')},
             ${arg(textArray(col((p) => p.reservationId)), 'text[]')}, ${arg(textArray(col((p) => p.ticketId)), 'text[]')},
             ${arg(intArray(col((p) => p.lineNo)), 'int[]')}, ${arg(textArray(col((p) => p.actor)), 'text[]')},
             ${arg(intArray(col((p) => reasons.ref(p.reason) + 1)), 'int[]')}, ${arg(textArray(col((p) => p.key)), 'text[]')},
             ${arg(intArray(col((p) => p.policyVersion)), 'int[]')}, ${arg(timeArray(col((p) => p.at)), 'timestamptz[]')})
          as x(id, purchase_id, client_id, kind, total, held, used, deducted, expired, reservation_id, ticket_id, line_no, actor,
               reason, idempotency_key, policy_version, occurred_at))`);
  }
  const sold = [...cs.purchases.values()].filter((p) => cs.newPurchases.has(p.id));
  if (sold.length > 0) {
    const rows = sold.map((p) => ({
      id: p.id,
      client_id: p.clientId,
      plan_id: p.planId,
      location_id: p.locationId,
      purchased_at: p.purchasedAt.toISOString(),
      expires_at: p.expiresAt?.toISOString() ?? null,
      status: p.status,
      source: p.source,
      unlimited: p.unlimited,
      total: p.total,
      held: p.held,
      used: p.used,
      deducted: p.deducted,
      expired: p.expired,
      remaining: p.remaining,
      pool: p.pool ?? null,
      created_at: ctx.now.toISOString(),
    }));
    // Inserted with the counters its first entries leave: one statement sees one
    // snapshot, so the balances update below could not see a row inserted here.
    parts.push(`new_purchases as (
      insert into purchases (tenant_id, id, client_id, plan_id, location_id, purchased_at, expires_at, status, source,
        unlimited, total, held, used, deducted, expired, remaining, pool, created_at)
      select $1, v.id, v.client_id, v.plan_id, v.location_id, v.purchased_at, v.expires_at, v.status, v.source,
             v.unlimited, v.total, v.held, v.used, v.deducted, v.expired, v.remaining, v.pool, v.created_at
        from jsonb_to_recordset(${bind(rows)}) as v(id text, client_id text, plan_id text, location_id text,
             purchased_at timestamptz, expires_at timestamptz, status text, source text, unlimited boolean, total int,
             held int, used int, deducted int, expired int, remaining int, pool jsonb, created_at timestamptz))`);
  }
  const changed = [...cs.purchases.values()].filter((p) => !cs.newPurchases.has(p.id));
  if (changed.length > 0) {
    const col = (f: (p: PurchaseSnap) => number) => arg(intArray(changed.map(f)), 'int[]');
    // Also as `= any(ids)`: an index condition, so the statement reads the batch's rows
    // and never the tenant's whole table (the planner hash-joins a 20 000-row unnest).
    const ids = arg(textArray(changed.map((p) => p.id)), 'text[]');
    // The expiry too: a freeze moves it (issue 20). A pool's members and counts as
    // decided on the locked row; null leaves it as it is.
    parts.push(`balances as (
      update purchases p set status = v.status, total = v.total, held = v.held, used = v.used, deducted = v.deducted,
             expired = v.expired, remaining = v.remaining, expires_at = v.expires_at,
             pool = coalesce(v.pool::jsonb, p.pool)
        from unnest(${ids}, ${arg(textArray(changed.map((p) => p.status)), 'text[]')},
             ${col((p) => p.total)}, ${col((p) => p.held)}, ${col((p) => p.used)}, ${col((p) => p.deducted)},
             ${col((p) => p.expired)}, ${col((p) => p.remaining)},
             ${arg(timeArray(changed.map((p) => p.expiresAt)), 'timestamptz[]')},
             ${arg(jsonArray(changed.map((p) => p.pool)), 'text[]')})
          as v(id, status, total, held, used, deducted, expired, remaining, expires_at, pool)
       where p.tenant_id = $1 and p.id = any(${ids}) and p.id = v.id)`);
  }
  const changes = [...cs.reservations.values()];
  const inserts = changes.filter((c) => c.insert);
  const updates = changes.filter((c) => !c.insert);
  if (inserts.length > 0) {
    const rows = inserts.map((c) => ({
      ...reservationRow(c.reservation),
      created_at: c.reservation.createdAt.toISOString(),
      penalty: c.reservation.penalty ?? null,
      explain: {
        assignment: c.assignment ?? null,
        usage: c.steps.slice(-stepsKept),
        policyVersion: cs.policy.version,
        policyHash: cs.policy.hash,
      },
    }));
    parts.push(`new_reservations as (
      insert into reservations (tenant_id, id, client_id, session_id, channel, status, purchase_id, manual_purchase,
        credit_state, covered_units, shares, credit_seq, started_applied, ended_applied, policy_version, explain, created_at,
        penalty)
      select $1, v.id, v.client_id, v.session_id, v.channel, v.status, v.purchase_id, v.manual_purchase, v.credit_state,
             v.covered_units, v.shares, v.credit_seq, v.started_applied, v.ended_applied, $2::int, v.explain, v.created_at,
             v.penalty
        from jsonb_to_recordset(${bind(rows)}) as v(id text, client_id text, session_id text, channel text, status text,
             purchase_id text, manual_purchase boolean, credit_state text, covered_units int, shares jsonb, credit_seq int,
             started_applied boolean, ended_applied boolean, explain jsonb, created_at timestamptz, penalty jsonb))`);
  }
  if (updates.length > 0) {
    const rs = updates.map((c) => c.reservation);
    const text = (f: (r: ReservationSnap) => string | null) => arg(textArray(rs.map(f)), 'text[]');
    const int = (f: (r: ReservationSnap) => number) => arg(intArray(rs.map(f)), 'int[]');
    const bool = (f: (r: ReservationSnap) => boolean) => arg(boolArray(rs.map(f)), 'boolean[]');
    const ids = text((r) => r.id);
    const columns = `${ids}, ${text((r) => r.status)}, ${text((r) => r.purchaseId)},
             ${bool((r) => r.manualPurchase)}, ${text((r) => r.creditState)}, ${int((r) => r.coveredUnits)},
             ${arg(jsonArray(rs.map(sharesColumn)), 'text[]')}, ${int((r) => r.creditSeq)}, ${bool((r) => r.startedApplied)},
             ${bool((r) => r.endedApplied)}, ${arg(boolArray(updates.map((c) => c.assignment !== undefined)), 'boolean[]')},
             ${arg(jsonArray(updates.map((c) => c.assignment)), 'text[]')},
             ${arg(boolArray(updates.map((c) => c.penaltyChanged === true)), 'boolean[]')},
             ${arg(jsonArray(updates.map((c) => (c.penaltyChanged ? c.reservation.penalty : null))), 'text[]')}`;
    const set = `status = v.status, purchase_id = v.purchase_id, manual_purchase = v.manual_purchase,
             credit_state = v.credit_state, covered_units = v.covered_units, shares = v.shares::jsonb,
             credit_seq = v.credit_seq, started_applied = v.started_applied, ended_applied = v.ended_applied,
             policy_version = $2::int,
             penalty = case when v.set_penalty then v.penalty::jsonb else r.penalty end`;
    const names = `id, status, purchase_id, manual_purchase, credit_state, covered_units, shares, credit_seq,
             started_applied, ended_applied, set_assignment, assignment, set_penalty, penalty`;
    if (cs.stepsByReference) {
      // The sweep: the explanation is left as it is, the batch's steps are named by
      // reference (this statement's dictionary, one entry per distinct list of steps).
      const entry = int((r) => {
        const change = cs.reservations.get(r.id) as ReservationChange;
        return change.steps.length === 0 ? (null as unknown as number) : entries.ref(change.steps);
      });
      parts.push(`changed_reservations as (
      update reservations r set ${set},
             explain = case when v.set_assignment
                            then jsonb_build_object('assignment', coalesce(v.assignment::jsonb, 'null'::jsonb),
                                   'usage', coalesce(${explainOf('r')} -> 'usage', '[]'::jsonb),
                                   'policyVersion', $2::int, 'policyHash', $3::text)
                            else ${explainOf('r')} end,
             usage_dictionary = case when v.entry is null then null else (select id from dictionary) end,
             usage_entry = v.entry
        from unnest(${columns}, ${entry}) as v(${names}, entry)
       where r.tenant_id = $1 and r.id = any(${ids}) and r.id = v.id)`);
    } else {
      const usage = `coalesce(${explainOf('r')} -> 'usage', '[]'::jsonb)`;
      const rowSteps = arg(
        jsonArray(updates.map((c) => c.steps.map(({ at, ...step }) => [steps.ref(step), at]))),
        'text[]',
      );
      parts.push(`changed_reservations as (
      update reservations r set ${set},
             explain = jsonb_build_object(
               'assignment', case when v.set_assignment then coalesce(v.assignment::jsonb, 'null'::jsonb) else coalesce(${explainOf('r')} -> 'assignment', 'null'::jsonb) end,
               'usage', case when jsonb_array_length(${usage}) + jsonb_array_length(st.steps) <= ${stepsKept}
                             then ${usage} || st.steps
                             else (select jsonb_agg(u.step order by u.n) from (
                                     select step, n from jsonb_array_elements(${usage} || st.steps)
                                            with ordinality as e(step, n)
                                      order by n desc limit ${stepsKept}) u) end,
               'policyVersion', $2::int, 'policyHash', $3::text),
             usage_dictionary = null, usage_entry = null
        from steps d, unnest(${columns}, ${rowSteps}) as v(${names}, steps)
        -- Steps expanded from the dictionary; one step without an aggregate.
        cross join lateral (
          select case jsonb_array_length(coalesce(v.steps::jsonb, '[]'::jsonb))
                   when 0 then '[]'::jsonb
                   when 1 then jsonb_build_array((d.steps -> (v.steps::jsonb -> 0 ->> 0)::int) || jsonb_build_object('at', v.steps::jsonb -> 0 -> 1))
                   else (select jsonb_agg((d.steps -> (e.s ->> 0)::int) || jsonb_build_object('at', e.s -> 1) order by e.n)
                           from jsonb_array_elements(v.steps::jsonb) with ordinality as e(s, n))
                 end as steps) st
       where r.tenant_id = $1 and r.id = any(${ids}) and r.id = v.id)`);
    }
  }
  const tickets = [...cs.tickets.values()];
  const opened = tickets
    .filter((t) => t.insert)
    .map(({ ticket: t }) => ({
      id: t.id,
      client_id: t.clientId,
      location_id: t.locationId,
      manual: t.manual,
      status: t.status,
      policy_version: t.policyVersion,
      void_reason: t.voidReason,
      created_at: t.createdAt.toISOString(),
      closed_at: t.closedAt?.toISOString() ?? null,
    }));
  if (opened.length > 0) {
    parts.push(`new_tickets as (
      insert into tickets (tenant_id, id, client_id, location_id, manual, status, policy_version, void_reason,
        created_at, closed_at)
      select $1, v.id, v.client_id, v.location_id, v.manual, v.status, v.policy_version, v.void_reason, v.created_at,
             v.closed_at
        from jsonb_to_recordset(${bind(opened)}) as v(id text, client_id text, location_id text, manual boolean,
             status text, policy_version int, void_reason text, created_at timestamptz, closed_at timestamptz))`);
  }
  const moved = tickets
    .filter((t) => !t.insert)
    .map(({ ticket: t }) => ({
      id: t.id,
      status: t.status,
      void_reason: t.voidReason,
      closed_at: t.closedAt?.toISOString() ?? null,
    }));
  if (moved.length > 0) {
    parts.push(`moved_tickets as (
      update tickets t set status = v.status, void_reason = v.void_reason, closed_at = v.closed_at
        from jsonb_to_recordset(${bind(moved)}) as v(id text, status text, void_reason text, closed_at timestamptz)
       where t.tenant_id = $1 and t.id = v.id)`);
  }
  const lineKey = (l: { ticketId: string; lineNo: number }) => `${l.ticketId}:${l.lineNo}`;
  const newLines = [...cs.lines.values()].filter((l) => cs.newLines.has(lineKey(l)));
  if (newLines.length > 0) {
    const rows = newLines.map((l) => ({
      ticket_id: l.ticketId,
      line_no: l.lineNo,
      item_id: l.item.id,
      reservation_id: l.reservationId,
      unit_price: l.unitPrice,
      units: l.units,
      purchase_id: l.purchaseId,
      credit_state: l.creditState,
      covered_units: l.coveredUnits,
      shares: sharesColumn(l),
      credit_seq: l.creditSeq,
    }));
    parts.push(`new_lines as (
      insert into ticket_lines (tenant_id, ticket_id, line_no, item_id, reservation_id, unit_price, units, purchase_id,
        credit_state, covered_units, shares, credit_seq)
      select $1, v.ticket_id, v.line_no, v.item_id, v.reservation_id, v.unit_price, v.units, v.purchase_id,
             v.credit_state, v.covered_units, v.shares, v.credit_seq
        from jsonb_to_recordset(${bind(rows)}) as v(ticket_id text, line_no int, item_id text, reservation_id text,
             unit_price bigint, units int, purchase_id text, credit_state text, covered_units int, shares jsonb,
             credit_seq int))`);
  }
  const changedLines = [...cs.lines.values()].filter((l) => !cs.newLines.has(lineKey(l)));
  if (changedLines.length > 0) {
    const rows = changedLines.map((l) => ({
      ticket_id: l.ticketId,
      line_no: l.lineNo,
      purchase_id: l.purchaseId,
      credit_state: l.creditState,
      covered_units: l.coveredUnits,
      shares: sharesColumn(l),
      credit_seq: l.creditSeq,
    }));
    parts.push(`changed_lines as (
      update ticket_lines l set purchase_id = v.purchase_id, credit_state = v.credit_state,
             covered_units = v.covered_units, shares = v.shares, credit_seq = v.credit_seq
        from jsonb_to_recordset(${bind(rows)}) as v(ticket_id text, line_no int, purchase_id text, credit_state text,
             covered_units int, shares jsonb, credit_seq int)
       where l.tenant_id = $1 and l.ticket_id = v.ticket_id and l.line_no = v.line_no)`);
  }
  if (cs.swept.size > 0) {
    params.push(ctx.now);
    const at = `$${params.length}::timestamptz`;
    parts.push(`swept as (
      update sessions s set swept_at = ${at}
       where s.tenant_id = $1 and s.id = any(${arg(textArray([...cs.swept]), 'text[]')}))`);
  }
  if (cs.canceledSessions && cs.canceledSessions.size > 0) {
    params.push(ctx.now);
    const at = `$${params.length}::timestamptz`;
    parts.push(`canceled_sessions as (
      update sessions s set canceled_at = coalesce(s.canceled_at, ${at})
       where s.tenant_id = $1 and s.id = any(${arg(textArray([...cs.canceledSessions]), 'text[]')}))`);
  }
  if (cs.freezes && cs.freezes.length > 0) parts.push(freezesPart(cs.freezes, bind));
  parts.push(...waitlistParts(cs, bind));
  if (cs.resweep.size > 0) {
    parts.push(`resweep as (
      update sessions s set swept_at = null
       where s.tenant_id = $1 and s.id = any(${arg(textArray([...cs.resweep]), 'text[]')}))`);
  }
  // The change set's events, in decision order, written by this same statement and
  // handed to the transaction's owner (which publishes them once committed).
  const events: PunchcardEvent[] = cs.events.map((event) => {
    if (!('credit' in event)) return event;
    const p = event.credit;
    return {
      name: 'credit.changed',
      payload: {
        tenantId: ctx.tenantId,
        purchaseId: p.purchaseId,
        kind: p.kind,
        ledgerEntryId: ids.get(p) ?? '',
        reservationId: p.reservationId,
        ticketId: p.ticketId,
        policyVersion: p.policyVersion,
        remaining: p.remainingAfter,
      },
    };
  });
  if (events.length > 0) {
    params.push(ctx.now);
    parts.push(`outbox as (${outboxInsert(events, `$${params.length}::timestamptz`, arg)})`);
  }
  if (cs.postings.length > 0)
    parts.splice(1, 0, `reasons as (select ${arg(textArray(reasons.values), 'text[]')} as reasons)`);
  if (steps.values.length > 0) parts.splice(1, 0, `steps as (select ${bind(steps.values)} as steps)`);
  else if (updates.length > 0 && !cs.stepsByReference)
    parts.splice(1, 0, `steps as (select '[]'::jsonb as steps)`);
  if (entries.values.length > 0)
    parts.splice(
      1,
      0,
      `dictionary as (insert into usage_dictionaries (tenant_id, policy_version, policy_hash, entries)
        values ($1, $2::int, $3::text, ${bind(entries.values)}) returning id)`,
    );
  if (parts.length > 1) await write(ctx, `with ${parts.join(',\n')}\nselect 1 as done`, params);
  markRecorded(events);
  ctx.events.push(...events);
}

/** Values a statement's rows name by index (0, 1, …) instead of repeating them. */
function dictionary<T>() {
  const index = new Map<string, number>();
  const values: T[] = [];
  return {
    values,
    ref(value: T): number {
      const key = JSON.stringify(value);
      let at = index.get(key);
      if (at === undefined) {
        at = values.length;
        values.push(value);
        index.set(key, at);
      }
      return at;
    },
  };
}

/** The shares column: the list when more than one purchase pays, else null (purchase_id says it all). */
const sharesColumn = (claim: ClaimSnap) => (claim.shares && claim.shares.length > 1 ? claim.shares : null);

const reservationRow = (r: ReservationSnap) => ({
  id: r.id,
  client_id: r.clientId,
  session_id: r.sessionId,
  channel: r.channel,
  status: r.status,
  purchase_id: r.purchaseId,
  manual_purchase: r.manualPurchase,
  credit_state: r.creditState,
  covered_units: r.coveredUnits,
  shares: sharesColumn(r),
  credit_seq: r.creditSeq,
  started_applied: r.startedApplied,
  ended_applied: r.endedApplied,
});
