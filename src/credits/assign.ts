import type { CompiledPolicy } from '../policy/compile.ts';
import type { OrderKey } from '../policy/index.ts';
import { orderBy } from '../policy/order.ts';
import { type AssignMode, fixedRefusal, type Payable } from './eligibility.ts';
import {
  itemFact,
  planFact,
  purchaseExpiredAtSession,
  purchaseFact,
  reservationFact,
  sessionFact,
  settingsFact,
  timeFacts,
} from './facts.ts';
import type { PurchaseSnap } from './types.ts';
import { capFacts, capRefusal, capStatus } from './visit-cap.ts';

export interface CandidateVerdict {
  purchaseId: string;
  eligible: boolean;
  reason: string;
  rule: string | null;
}

export interface AssignmentTrace {
  considered: CandidateVerdict[];
  order: { key: string; direction: string }[];
  orderRule: string | null;
  chosen: string | null;
  summary: string;
}

function lineFacts(policy: CompiledPolicy, line: Payable) {
  return {
    item: itemFact(line.item),
    session: line.session ? sessionFact(line.session) : null,
    reservation: line.reservation ? reservationFact(line.reservation) : null,
    client: { id: line.clientId },
    channel: line.channel,
    settings: settingsFact(policy.settings),
    price: line.price,
    ...timeFacts(line.session, line.at),
  };
}

/** B11: a $0 line never takes a credit unless the tenant turned zeroPriceUsesCredits on. */
export const creditsApply = (policy: CompiledPolicy, line: Payable) =>
  line.price > 0 || policy.settings.zeroPriceUsesCredits;

/**
 * Which purchase pays for a line: the fixed checks, then the rule set's eligibility
 * rules on each candidate, then its assignment order. Pure: the caller has loaded
 * (and locked) the candidates.
 */
export function choosePurchase(
  policy: CompiledPolicy,
  line: Payable,
  candidates: PurchaseSnap[],
  mode: AssignMode = 'auto',
): AssignmentTrace & { winner: PurchaseSnap | null; ordered: PurchaseSnap[] } {
  const base = lineFacts(policy, line);
  const considered: CandidateVerdict[] = [];
  const eligible: PurchaseSnap[] = [];
  for (const c of candidates) {
    // A capped purchase with no visits left in the session's period cannot pay (issue 20).
    const cap = capStatus(c, line.session, line.reservation?.id ?? null);
    const refusal = fixedRefusal(c, line, mode) ?? capRefusal(cap);
    if (refusal) {
      considered.push({ purchaseId: c.id, eligible: false, reason: refusal, rule: null });
      continue;
    }
    const verdict = policy.decide('eligibility', {
      ...base,
      plan: planFact(c.plan),
      purchase: { ...purchaseFact(c, line.at), ...capFacts(cap) },
      purchaseExpiredAtSession: purchaseExpiredAtSession(c, line.session),
    });
    const allowed = verdict.type === 'allow';
    const reason = allowed ? 'eligible' : String(verdict.params.reason ?? 'denied by policy');
    considered.push({ purchaseId: c.id, eligible: allowed, reason, rule: verdict.rule });
    if (allowed) eligible.push(c);
  }
  const ordering = policy.decide('assignment', base);
  const by = (ordering.params.by ?? [{ key: 'purchasedAt', direction: 'asc' }]) as {
    key: OrderKey;
    direction: 'asc' | 'desc';
  }[];
  const sorted = orderBy(eligible, by, (c: PurchaseSnap, key: string) => orderValue(c, key));
  const winner = sorted[0] ?? null;
  const order = by.map((b) => ({ key: b.key, direction: b.direction }));
  const orderText = order.map((o) => `${o.key} ${o.direction}`).join(', ');
  const summary = winner
    ? `${winner.id} pays: first of ${eligible.length} eligible by ${orderText}${ordering.rule ? ` (rule '${ordering.rule}')` : ''}`
    : candidates.length === 0
      ? 'no purchase of this client covers the item'
      : `none of ${candidates.length} purchases may pay: ${considered.map((v) => `${v.purchaseId} ${v.reason}`).join('; ')}`;
  return {
    considered,
    order,
    orderRule: ordering.rule,
    chosen: winner?.id ?? null,
    summary,
    winner,
    /** The eligible purchases in the assignment order: a claim's later shares (B10). */
    ordered: sorted,
  };
}

function orderValue(c: PurchaseSnap, key: string): number | null {
  switch (key) {
    case 'purchasedAt':
      return c.purchasedAt.getTime();
    case 'expiresAt':
      return c.expiresAt ? c.expiresAt.getTime() : null;
    case 'priority':
      return c.plan.priority;
    case 'remaining':
      return c.unlimited ? Number.POSITIVE_INFINITY : c.remaining;
    default:
      return null;
  }
}
