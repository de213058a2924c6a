/**
 * Every tenant-owned entity carries this filter, on by default: a query run on an
 * EntityManager that was never told its tenant fails instead of leaking rows.
 * (Filters do not apply to inserts: creates set `tenantId` explicitly.)
 */
export const tenantFilter = {
  tenant: {
    name: 'tenant',
    cond: (args: { tenantId: string }) => ({ tenantId: args.tenantId }),
    default: true,
  },
};
