/**
 * Every purchase's counters equal the sums of its ledger entries, and
 * remaining = total − held − used − deducted − expired; and a shared pool's `used` of each
 * member equals the held + used of the entries naming that member. Returns the purchases that break it.
 */
export async function ledgerFaults(tenantIds: string[]): Promise<unknown[]> {
  if (tenantIds.length === 0) return [];
  // Imported on demand so pure unit tests never open a database.
  const { testPlugin } = await import('./plugin.ts');
  const { orm } = await testPlugin();
  const marks = tenantIds.map(() => '?').join(', ');
  const connection = orm.em.fork().getConnection();
  const pools = await connection.execute(
    `select p.tenant_id, p.id, m.key as client_id, m.value::int as pool_used,
            (select coalesce(sum(e.held + e.used), 0)::int from ledger_entries e
              where e.tenant_id = p.tenant_id and e.purchase_id = p.id and e.client_id = m.key) as e_used
       from purchases p cross join jsonb_each_text(p.pool -> 'used') m
      where p.tenant_id in (${marks}) and p.pool is not null
        and m.value::int <> (select coalesce(sum(e.held + e.used), 0)::int from ledger_entries e
              where e.tenant_id = p.tenant_id and e.purchase_id = p.id and e.client_id = m.key)`,
    tenantIds,
  );
  const counters = await connection.execute(
    `select p.tenant_id, p.id, p.total, p.held, p.used, p.deducted, p.expired, p.remaining,
            coalesce(sum(e.total), 0)::int as e_total, coalesce(sum(e.held), 0)::int as e_held,
            coalesce(sum(e.used), 0)::int as e_used, coalesce(sum(e.deducted), 0)::int as e_deducted,
            coalesce(sum(e.expired), 0)::int as e_expired
       from purchases p
       left join ledger_entries e on e.tenant_id = p.tenant_id and e.purchase_id = p.id
      where p.tenant_id in (${marks})
      group by p.tenant_id, p.id
     having p.total <> coalesce(sum(e.total), 0) or p.held <> coalesce(sum(e.held), 0)
         or p.used <> coalesce(sum(e.used), 0) or p.deducted <> coalesce(sum(e.deducted), 0)
         or p.expired <> coalesce(sum(e.expired), 0)
         or p.remaining <> p.total - p.held - p.used - p.deducted - p.expired`,
    tenantIds,
  );
  return [...counters, ...pools];
}
