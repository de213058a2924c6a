import type { ChangeSet } from '../types.ts';

/**
 * Adds one change set to another, in order, for one commit statement: a cancel and
 * the promotion it causes are one transaction and one write. A purchase both touch
 * keeps the later working copy (it holds every move made so far).
 */
export function mergeChanges(into: ChangeSet, from: ChangeSet): ChangeSet {
  into.postings.push(...from.postings);
  for (const [id, p] of from.purchases) into.purchases.set(id, p);
  for (const id of from.newPurchases) into.newPurchases.add(id);
  for (const [id, change] of from.reservations) {
    const known = into.reservations.get(id);
    into.reservations.set(
      id,
      known ? { ...change, insert: known.insert, steps: [...known.steps, ...change.steps] } : change,
    );
  }
  for (const [key, line] of from.lines) into.lines.set(key, line);
  for (const id of from.resweep) into.resweep.add(id);
  for (const [id, t] of from.tickets) into.tickets.set(id, t);
  for (const key of from.newLines) into.newLines.add(key);
  for (const id of from.swept) into.swept.add(id);
  if (from.canceledSessions) {
    into.canceledSessions ??= new Set();
    for (const id of from.canceledSessions) into.canceledSessions.add(id);
  }
  if (from.waitlist) {
    into.waitlist ??= new Map();
    for (const [id, w] of from.waitlist) into.waitlist.set(id, w);
  }
  into.events.push(...from.events);
  return into;
}
