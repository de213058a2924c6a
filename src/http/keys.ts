import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new bearer key: shown once, stored only as its hash. */
export const newKey = (role: string): string => `pk_${role}_${randomBytes(24).toString('base64url')}`;

/** Constant-time comparison of two secrets of any length (compares their digests). */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
