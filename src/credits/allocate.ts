import type { Ticket } from '../domain/ticket.ts';
import { type CompiledPolicy, orderBy } from '../policy/index.ts';
import { settingsFact, ticketFact } from './facts.ts';

export interface AllocatableLine {
  lineNo: number;
  unitPrice: number;
  startsAt: Date | null;
}

/**
 * B9: the order in which a ticket's lines receive credits, from the rule set's
 * allocation decision (MyTime: cheapest first). Pure.
 */
export function allocationOrder<L extends AllocatableLine>(
  policy: CompiledPolicy,
  ticket: Ticket,
  lineCount: number,
  lines: L[],
) {
  const decision = policy.decide('allocation', {
    ticket: ticketFact(ticket, lineCount),
    client: { id: ticket.clientId },
    settings: settingsFact(policy.settings),
  });
  const by = (decision.params.by ?? [{ key: 'line', direction: 'asc' }]) as {
    key: string;
    direction: 'asc' | 'desc';
  }[];
  const sorted = orderBy(lines, by, (line: L, key: string) => {
    if (key === 'price') return line.unitPrice;
    if (key === 'startsAt') return line.startsAt ? line.startsAt.getTime() : null;
    return line.lineNo;
  });
  return { sorted, by, rule: decision.rule };
}
