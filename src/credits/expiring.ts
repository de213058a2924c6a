import { query } from '../db/sql.ts';
import type { CreditContext } from './context.ts';

/**
 * Issue 20 item 7: `credits.expiring` for every live purchase of the tenant whose
 * expiry falls within its plan's `expiringNoticeDays` of `asOf` and still has
 * something to lose (credits left, or unlimited). Set-based, one statement whatever
 * the number: the notices are remembered in `expiry_notices` (keyed by purchase and
 * expiry instant, so a freeze that moves the expiry brings a new notice) and the
 * events go to the outbox in the same statement — no row is read into the process.
 * The partial index `purchases_expiring` walks only live purchases expiring within
 * the longest notice any plan asks for.
 */
export async function noticeExpiring(ctx: CreditContext, asOf: Date): Promise<number> {
  // The planner cannot size the CTEs' join and guesses millions of rows; JIT-compiling
  // for that guess cost seconds on a sweep of ~20 000 notices.
  await query(ctx, 'set local jit = off', []);
  const [row] = await query(
    ctx,
    `with horizon as (
       select max(expiring_notice_days) as days from plans where tenant_id = $1 and expiring_notice_days is not null
     ),
     candidates as materialized (
       select p.id, p.client_id, p.plan_id, p.expires_at, p.unlimited, p.remaining, pl.expiring_notice_days
         from horizon h, purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
        where h.days is not null and p.tenant_id = $1 and p.status in ('active', 'on_hold')
          and p.expires_at is not null and p.expires_at > $2
          and p.expires_at <= $2::timestamptz + make_interval(days => h.days)
          and pl.expiring_notice_days is not null
          and p.expires_at <= $2::timestamptz + make_interval(days => pl.expiring_notice_days)
          and (p.unlimited or p.remaining > 0)
          and not exists (select 1 from expiry_notices n
                           where n.tenant_id = p.tenant_id and n.purchase_id = p.id and n.expires_at = p.expires_at)
     ),
     due as (
       insert into expiry_notices (tenant_id, purchase_id, expires_at, notified_at)
       select $1, c.id, c.expires_at, $2 from candidates c
       on conflict do nothing
       returning purchase_id, expires_at
     ),
     -- The event rows come from the candidates already read, not a second pass over purchases.
     sent as (
       insert into outbox (tenant_id, id, name, subject, payload, occurred_at)
       select $1, 'ev_' || replace(gen_random_uuid()::text, '-', ''), 'credits.expiring', c.id,
              jsonb_build_object('tenantId', $1::text, 'purchaseId', c.id, 'clientId', c.client_id, 'planId', c.plan_id,
                'expiresAt', to_char(c.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'remaining', case when c.unlimited then null else c.remaining end,
                'noticeDays', c.expiring_notice_days),
              $2
         from due d join candidates c on c.id = d.purchase_id
        order by d.expires_at, d.purchase_id
       returning 1
     )
     select count(*) as notices from sent`,
    [ctx.tenantId, asOf],
  );
  return Number(row?.notices ?? 0);
}
