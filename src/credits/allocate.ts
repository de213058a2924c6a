import type { CompiledPolicy } from '../policy/compile.ts';
import { orderBy } from '../policy/order.ts';
import { choosePurchase, creditsApply } from './assign.ts';
import { touchLine, touchReservation } from './changeset.ts';
import { candidatesFor, setShares } from './decide.ts';
import { settingsFact, ticketFact } from './facts.ts';
import { cappedView } from './pool.ts';
import type { LineSnap, ReservationSnap, TicketSnap, Work } from './types.ts';
import { splitUnits } from './usage.ts';

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
  ticket: TicketSnap,
  clientId: string,
  lines: L[],
) {
  const decision = policy.decide('allocation', {
    ticket: ticketFact(ticket),
    client: { id: clientId },
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

/**
 * Assigns credits to a new ticket's lines that have none yet (product lines, and
 * reservations with nothing assigned), in the allocation order (B9, B10, B11).
 * Credits promised to earlier lines count against later ones. Pure.
 */
export function allocate(
  work: Work,
  ticket: TicketSnap,
  clientId: string,
  lines: LineSnap[],
  reservations: Map<string, ReservationSnap>,
): void {
  const open = lines
    .map((line) => {
      const r = line.reservationId ? (reservations.get(line.reservationId) ?? null) : null;
      return {
        line,
        r,
        lineNo: line.lineNo,
        unitPrice: line.unitPrice,
        startsAt: r?.session.startsAt ?? null,
      };
    })
    .filter(({ line, r }) => !line.reservationId || r?.creditState === 'none');
  const { sorted } = allocationOrder(work.policy, ticket, clientId, open);
  const promised = new Map<string, number>();
  for (const { line, r } of sorted) {
    const payable = {
      clientId,
      item: line.item,
      session: r?.session ?? null,
      reservation: r,
      channel: r?.channel ?? ('in_store' as const),
      price: line.unitPrice,
      units: line.units,
      at: work.now,
    };
    if (!creditsApply(work.policy, payable)) continue;
    // Copies with what earlier lines were promised taken off: the working purchases stay as they are.
    const candidates = candidatesFor(work, clientId, line.item.id).map((p) => ({
      ...p,
      remaining: p.remaining - (promised.get(p.id) ?? 0),
    }));
    const { winner, ordered } = choosePurchase(work.policy, payable, candidates, 'auto');
    if (!winner) continue;
    // B10 across purchases: what the winner cannot cover falls to the next in the same order.
    const shares = splitUnits(
      line.units,
      ordered.map((p) => cappedView(p, clientId)),
    );
    for (const share of shares)
      promised.set(share.purchaseId, (promised.get(share.purchaseId) ?? 0) + share.units);
    const claim = r ?? line;
    setShares(claim, shares);
    claim.creditState = 'assigned';
    claim.coveredUnits = shares.reduce((n, share) => n + share.units, 0);
    if (r) touchReservation(work, r);
    else touchLine(work, line);
  }
}
