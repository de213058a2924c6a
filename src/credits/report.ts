import type { EntityManager } from '@mikro-orm/sql';
import { query } from '../db/sql.ts';

export interface ReportFilter {
  clientId?: string;
  from?: Date;
  to?: Date;
}

export interface ReportRow {
  clientId: string;
  clientName: string;
  purchaseId: string;
  planName: string;
  /** `purchase` for the purchase's own row, else the ledger entry: `use`, `refund` (a use given back) or `waive` (a no-show's use given back by staff). */
  entry: string;
  units: number | null;
  reservationId: string | null;
  ticketId: string | null;
  /** The purchase instant for a purchase row, else when the use happened. */
  occurredAt: string;
  status: string;
  total: number;
  used: number;
  held: number;
  deducted: number;
  expired: number;
  remaining: number;
}

export const reportColumns: (keyof ReportRow)[] = [
  'clientId',
  'clientName',
  'purchaseId',
  'planName',
  'entry',
  'units',
  'reservationId',
  'ticketId',
  'occurredAt',
  'status',
  'total',
  'used',
  'held',
  'deducted',
  'expired',
  'remaining',
];

const pageSize = 1000;

/**
 * B22: per client and purchase, one row with the purchase's balance — every
 * purchase of the clients in scope, used or not — followed by each of its uses and
 * uses given back (within [from, to) when given), in commit order. Read in keyset
 * pages on (client, purchase, entry sequence; 0 for the purchase row) so a report
 * of any size streams with bounded memory; JSON and CSV carry the same rows.
 */
export async function* creditReport(
  tx: EntityManager,
  tenantId: string,
  filter: ReportFilter,
): AsyncGenerator<ReportRow[]> {
  let after: [string, string, number] = ['', '', -1];
  const scope = filter.clientId ? 'and p.client_id = $2' : 'and $2::text is null';
  for (;;) {
    const params: unknown[] = [
      tenantId,
      filter.clientId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      after[0],
      after[1],
      after[2],
      pageSize,
    ];
    const rows = await query(
      { tx },
      `select x.*, c.name as client_name, pl.name as plan_name, p.status, p.total, p.used as p_used, p.held,
              p.deducted, p.expired, p.remaining
         from (select p.client_id, p.id as purchase_id, 0::bigint as seq, 'purchase' as kind, null::int as used,
                      null::text as reservation_id, null::text as ticket_id, p.purchased_at as occurred_at
                 from purchases p where p.tenant_id = $1 ${scope}
               union all
               select p.client_id, p.id, e.seq, e.kind, e.used, e.reservation_id, e.ticket_id, e.occurred_at
                 from ledger_entries e join purchases p on p.tenant_id = e.tenant_id and p.id = e.purchase_id
                where e.tenant_id = $1 ${scope} and e.kind in ('use', 'refund', 'waive') and e.used <> 0
                  and ($3::timestamptz is null or e.occurred_at >= $3) and ($4::timestamptz is null or e.occurred_at < $4)
              ) x
         join purchases p on p.tenant_id = $1 and p.id = x.purchase_id
         join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
         join clients c on c.tenant_id = p.tenant_id and c.id = p.client_id
        where (x.client_id, x.purchase_id, x.seq) > ($5, $6, $7::bigint)
        order by x.client_id, x.purchase_id, x.seq limit $8`,
      params,
    );
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    after = [String(last.client_id), String(last.purchase_id), Number(last.seq)];
    yield rows.map((r) => ({
      clientId: String(r.client_id),
      clientName: String(r.client_name),
      purchaseId: String(r.purchase_id),
      planName: String(r.plan_name),
      entry: String(r.kind),
      units: r.used === null ? null : Number(r.used),
      reservationId: r.reservation_id ?? null,
      ticketId: r.ticket_id ?? null,
      occurredAt: new Date(r.occurred_at).toISOString(),
      status: String(r.status),
      total: Number(r.total),
      used: Number(r.p_used),
      held: Number(r.held),
      deducted: Number(r.deducted),
      expired: Number(r.expired),
      remaining: Number(r.remaining),
    }));
    if (rows.length < pageSize) return;
  }
}

/** One CSV field, quoted when it must be (RFC 4180), and never read as a formula by spreadsheets. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (row: ReportRow) => `${reportColumns.map((c) => csvField(row[c])).join(',')}\r\n`;
