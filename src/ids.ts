import { randomFillSync } from 'node:crypto';

// Random bytes come from one pooled buffer, refilled 4 KiB at a time: a sweep batch
// makes tens of thousands of ids, and one system call each cost a second per batch.
const pool = Buffer.alloc(4096);
let used = pool.length;
function random9(): string {
  if (used + 9 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 9;
  return pool.toString('base64url', used - 9, used);
}

/**
 * A server-chosen id when the caller did not choose one: a readable prefix, the
 * time in base 36 (fixed width, so ids sort by creation and index inserts stay
 * local instead of landing all over the B-tree), then 72 random bits.
 */
export const newId = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36).padStart(9, '0')}${random9()}`;
