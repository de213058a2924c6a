import Type from 'typebox';
import { invalid, PunchcardError } from '../errors.ts';

/**
 * Keyset pages: a cursor names the last row a page showed by its sort key and id,
 * so the next page starts right after it however many rows were added or removed
 * meanwhile, never by skipping rows. Opaque to callers (base64url JSON of the two);
 * a page answers it as `next`, null on the last page. One that does not decode is a
 * 422 at `/cursor`.
 */
export const encodeCursor = (key: string, id: string): string =>
  Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return [value[0], value[1]];
  } catch {
    /* falls through to the refusal below */
  }
  throw badCursor();
}

const badCursor = () =>
  new PunchcardError('invalid', 'the cursor is not one this route gave', [
    { path: '/cursor', message: 'is not a cursor from a previous page' },
  ]);

/** A page ordered by an instant, then id (the schedule, a client's history). */
export interface Position {
  at: Date;
  id: string;
}

export const encodePosition = (p: Position): string => encodeCursor(p.at.toISOString(), p.id);

export function decodePosition(cursor: string | undefined): Position | null {
  if (cursor === undefined) return null;
  const [at, id] = decodeCursor(cursor);
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) throw badCursor();
  return { at: when, id };
}

export const cursorParam = Type.String({
  minLength: 1,
  maxLength: 600,
  description: 'The `next` of the previous page',
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
