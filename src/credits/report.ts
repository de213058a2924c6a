import type { EntityManager } from '@mikro-orm/sql';

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
  entry: string;
  units: number;
  reservationId: string | null;
  ticketId: string | null;
  occurredAt: string;
  total: number;
  used: number;
  held: number;
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
  'total',
  'used',
  'held',
  'expired',
  'remaining',
];

const pageSize = 1000;

/**
 * B22: every use (and every use given back) per client and purchase, each with the
 * purchase's current balance. Read in keyset pages so a report of any size streams
 * with bounded memory.
 */
export async function* creditReport(
  tx: EntityManager,
  tenantId: string,
  filter: ReportFilter,
): AsyncGenerator<ReportRow[]> {
  let after = 0;
  for (;;) {
    const params: unknown[] = [tenantId, after];
    let where = '';
    if (filter.clientId) {
      where += ' and p.client_id = ?';
      params.push(filter.clientId);
    }
    if (filter.from) {
      where += ' and e.occurred_at >= ?';
      params.push(filter.from);
    }
    if (filter.to) {
      where += ' and e.occurred_at < ?';
      params.push(filter.to);
    }
    params.push(pageSize);
    const rows = await tx.execute<Record<string, unknown>[]>(
      `select e.seq, p.client_id, c.name as client_name, p.id as purchase_id, pl.name as plan_name, e.kind,
              e.used, e.reservation_id, e.ticket_id, e.occurred_at,
              p.total, p.used as p_used, p.held, p.expired, p.remaining
         from ledger_entries e
         join purchases p on p.tenant_id = e.tenant_id and p.id = e.purchase_id
         join plans pl on pl.tenant_id = p.tenant_id and pl.id = p.plan_id
         join clients c on c.tenant_id = p.tenant_id and c.id = p.client_id
        where e.tenant_id = ? and e.seq > ? and e.kind in ('use', 'refund', 'release') and e.used <> 0${where}
        order by e.seq limit ?`,
      params,
    );
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1].seq);
    yield rows.map((r) => ({
      clientId: String(r.client_id),
      clientName: String(r.client_name),
      purchaseId: String(r.purchase_id),
      planName: String(r.plan_name),
      entry: String(r.kind),
      units: Number(r.used),
      reservationId: (r.reservation_id as string | null) ?? null,
      ticketId: (r.ticket_id as string | null) ?? null,
      occurredAt: new Date(r.occurred_at as string).toISOString(),
      total: Number(r.total),
      used: Number(r.p_used),
      held: Number(r.held),
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
