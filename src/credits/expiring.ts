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
  const [row] = await query(
    ctx,
    `with horizon as (
       select max(expiring_notice_days) as days from plans where tenant_id = $1 and expiring_notice_days is not null
     ),
     due as (
       insert into expiry_notices (tenant_id, purchase_id, expires_at, notified_at)
       select p.tenant_id, p.id, p.expires_at, $2
         from horizon h, purchases p join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
        where h.days is not null and p.tenant_id = $1 and p.status in ('active', 'on_hold')
          and p.expires_at is not null and p.expires_at > $2
          and p.expires_at <= $2::timestamptz + make_interval(days => h.days)
          and pl.expiring_notice_days is not null
          and p.expires_at <= $2::timestamptz + make_interval(days => pl.expiring_notice_days)
          and (p.unlimited or p.remaining > 0)
          and not exists (select 1 from expiry_notices n
                           where n.tenant_id = p.tenant_id and n.purchase_id = p.id and n.expires_at = p.expires_at)
       on conflict do nothing
       returning purchase_id, expires_at
     ),
     sent as (
       insert into outbox (tenant_id, id, name, subject, payload, occurred_at)
       select $1, 'ev_' || replace(gen_random_uuid()::text, '-', ''), 'credits.expiring', d.purchase_id,
              jsonb_build_object('tenantId', $1::text, 'purchaseId', p.id, 'clientId', p.client_id, 'planId', p.plan_id,
                'expiresAt', to_char(p.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'remaining', case when p.unlimited then null else p.remaining end,
                'noticeDays', pl.expiring_notice_days),
              $2
         from due d join purchases p on p.tenant_id = $1 and p.id = d.purchase_id
         join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
        order by d.expires_at, d.purchase_id
       returning 1
     )
     select count(*) as notices from sent`,
    [ctx.tenantId, asOf],
  );
  return Number(row?.notices ?? 0);
}
