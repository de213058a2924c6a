import { randomBytes } from 'node:crypto';

/**
 * A server-chosen id when the caller did not choose one: a readable prefix, the
 * time in base 36 (fixed width, so ids sort by creation and index inserts stay
 * local instead of landing all over the B-tree), then 72 random bits.
 */
export const newId = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(9).toString('base64url')}`;
