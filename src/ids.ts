import { randomBytes } from 'node:crypto';

/** A server-chosen id when the caller did not choose one: readable prefix, 72 random bits. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;
