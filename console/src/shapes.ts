/**
 * The response shapes the console reads. The request side is typed from the
 * generated OpenAPI client (generated/api.d.ts); these stand in for response
 * types until the document declares them, and are the one place to swap for
 * `components['schemas'][…]` when it does.
 */
import type { Ruleset } from '../../src/policy/ruleset-schema.ts';

export type { Ruleset };

export interface Policy {
  version: number;
  hash: string;
  ruleset: Ruleset;
}

export interface PresetSummary {
  id: string;
  name: string;
  description: string;
}

export interface VersionMeta {
  version: number;
  hash: string;
  actor: string;
  note: string | null;
  createdAt: string;
}

export interface VersionFull extends VersionMeta {
  ruleset: Ruleset;
}

export interface TestRun {
  passed: number;
  failed: number;
  tests: {
    index: number;
    name: string;
    decision: string;
    passed: boolean;
    expected: { type: string; params?: Record<string, unknown> };
    actual: { type: string; params: Record<string, unknown>; rule: string | null } | null;
  }[];
}

export type CreditState = 'none' | 'assigned' | 'held' | 'used' | 'released';

export interface SimulationResult {
  changes: {
    reservationId: string;
    before: { purchaseId: string | null; state: CreditState };
    after: { purchaseId: string | null; state: CreditState };
  }[];
  totals: {
    reservations: number;
    changed: number;
    before: Record<string, number>;
    after: Record<string, number>;
  };
}

export interface PurchaseBalance {
  id: string;
  planId: string;
  planName: string;
  kind: string;
  purchasedAt: string | null;
  expiresAt: string | null;
  status: string;
  unlimited: boolean;
  total: number;
  used: number;
  held: number;
  deducted: number;
  expired: number;
  remaining: number;
  label: string | null;
}

export interface LedgerEntry {
  id: string;
  kind: string;
  delta: { total: number; held: number; used: number; deducted: number; expired: number };
  reservationId: string | null;
  ticketId: string | null;
  actor: string;
  reason: string | null;
  policyVersion: number | null;
  occurredAt: string | null;
}

export interface UsageStep {
  trigger: string;
  event: string;
  rule: string | null;
  matched?: string[];
  reason: string;
  state: string;
  at: string;
}

export interface AssignmentTrace {
  considered: { purchaseId: string; eligible: boolean; reason: string; rule: string | null }[];
  order: { key: string; direction: string }[];
  orderRule: string | null;
  chosen: string | null;
  summary: string;
}

export interface Explain {
  assignment: AssignmentTrace | null;
  usage: UsageStep[];
  policyVersion: number;
  policyHash: string;
}

export interface ClientReservation {
  id: string;
  sessionId: string;
  channel: string;
  status: string;
  purchaseId: string | null;
  manualPurchase: boolean;
  credit: { state: CreditState; units: number };
  label: string | null;
  explain: Explain | null;
  session: {
    id: string;
    startsAt: string;
    endsAt: string;
    item: { id: string; name: string; price: number };
  };
}

export interface Reservation {
  id: string;
  clientId: string;
  sessionId: string;
}

export interface Session {
  id: string;
  itemId: string;
  startsAt: string;
}
