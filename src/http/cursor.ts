import Type from 'typebox';
import { invalid } from '../errors.ts';

/**
 * Keyset pages: a cursor names the last row a page showed by its sort key (an
 * instant and an id), so the next page starts right after it however many rows were
 * added or removed meanwhile. Opaque to callers (base64url JSON); a cursor that does
 * not decode is a 422 at `/cursor`.
 */
export interface Position {
  at: Date;
  id: string;
}

export const encodeCursor = (p: Position): string =>
  Buffer.from(JSON.stringify([p.at.toISOString(), p.id])).toString('base64url');

export function decodeCursor(text: string | undefined): Position | null {
  if (text === undefined) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    const when = new Date(String(at));
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(when.getTime()))
      return { at: when, id };
  } catch {
    // falls through to the 422 below
  }
  throw invalid('/cursor', 'is not a cursor this list gave');
}

export const cursorParam = Type.String({
  minLength: 1,
  maxLength: 400,
  description: 'The `nextCursor` of the previous page',
});

/** `limit`: 1 to `max`, `fallback` when absent (query strings are text, hence the pattern). */
export const limitParam = (fallback: number, max: number) =>
  Type.String({
    pattern: '^[1-9][0-9]{0,2}$',
    description: `Rows per page, 1 to ${max} (default ${fallback})`,
  });

export function limitOf(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (n > max) throw invalid('/limit', `must be at most ${max}`);
  return n;
}
