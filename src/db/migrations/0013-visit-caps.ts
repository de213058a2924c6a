import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 20 item 1 (visit caps): a plan may cap its purchases' visits per day, week
 * or month, `{count, period, anchor, mode, rollover?}`; null when uncapped.
 *
 * `punchcard_cap_visits` lists a capped purchase's visits (its client's live
 * reservations it pays for or shares, with their session's start and zone) for
 * the locking read. It is VOLATILE plpgsql on purpose: it is never inlined, and its
 * query takes a fresh snapshot when it runs — after the read has the client's row
 * lock — so it sees a booking that committed while this one waited for that lock
 * (the read's own statement snapshot, taken before the wait, would not).
 */
export class Migration0013VisitCaps extends Migration {
  override name = '0013-visit-caps';

  override up(): void {
    this.addSql('alter table plans add column cap jsonb null');
    this.addSql(`create function punchcard_cap_visits(
        p_tenant text, p_purchase text, p_client text, p_from timestamptz, p_to timestamptz)
      returns json language plpgsql volatile as $fn$
      begin
        -- Each visit's session and zone by primary key (offset 0 keeps the lookups per row:
        -- flattened into a join, a planner without statistics scanned the tenant's sessions per visit).
        return (
          select coalesce(json_agg(json_build_array(r.id, extract(epoch from s.starts_at) * 1000, s.time_zone)), '[]')
            from reservations r
            cross join lateral (
              select x.starts_at,
                     (select l.time_zone from locations l where l.tenant_id = x.tenant_id and l.id = x.location_id) as time_zone
                from sessions x where x.tenant_id = r.tenant_id and x.id = r.session_id offset 0) s
           where r.tenant_id = p_tenant and r.client_id = p_client and r.status <> 'canceled'
             and r.credit_state in ('assigned', 'held', 'used')
             and (r.purchase_id = p_purchase
                  or (r.shares is not null
                      and r.shares @> jsonb_build_array(jsonb_build_object('purchaseId', p_purchase))))
             and (p_from is null or s.starts_at > p_from)
             and (p_to is null or s.starts_at < p_to));
      end
      $fn$`);
  }

  override down(): void {
    this.addSql('drop function punchcard_cap_visits(text, text, text, timestamptz, timestamptz)');
    this.addSql('alter table plans drop column cap');
  }
}
