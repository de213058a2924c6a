import { PunchcardError } from '../errors.ts';

/** Deeper than any body the API takes (a rule set is far shallower); refused before any schema runs. */
export const maxBodyDepth = 64;

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');

interface Frame {
  array: boolean;
  /** Keys seen so far (objects). */
  keys: Set<string>;
  /** The key or index of the value being read. */
  at: string | number;
  expectKey: boolean;
}

const pointerOf = (stack: Frame[], last?: string) =>
  stack
    .map((f, i) => (i === stack.length - 1 && last !== undefined ? last : f.at))
    .reduce<string>((path, token) => `${path}/${escapeToken(String(token))}`, '');

const decode = (raw: string) => (raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1));

/**
 * What JSON.parse lets through and the API refuses, each at its pointer: a key given
 * twice in one object (JSON.parse keeps the last silently), a NUL character in a key
 * or a string (PostgreSQL text cannot hold it), nesting deeper than `maxBodyDepth`.
 * One pass over text JSON.parse has already accepted, without recursion, so a deep
 * document cannot overflow the stack.
 */
function scan(text: string): PunchcardError | null {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      const top = stack.at(-1);
      const hasNul = raw.includes('\\u0000') && decode(raw).includes('\u0000');
      if (top && !top.array && top.expectKey) {
        const key = decode(raw);
        if (hasNul) return invalidAt(pointerOf(stack, key), 'a field name must not contain a NUL character');
        if (top.keys.has(key))
          return new PunchcardError('malformed', 'the body names a field twice', [
            { path: pointerOf(stack, key), message: 'is given more than once' },
          ]);
        top.keys.add(key);
        top.at = key;
        top.expectKey = false;
      } else if (hasNul) {
        return invalidAt(pointerOf(stack), 'must not contain a NUL character');
      }
      i = j + 1;
      continue;
    }
    if (ch === '{' || ch === '[') {
      if (stack.length >= maxBodyDepth)
        return invalidAt(pointerOf(stack), `is nested deeper than ${maxBodyDepth} levels`);
      stack.push({ array: ch === '[', keys: new Set(), at: 0, expectKey: ch === '{' });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top.array) top.at = (top.at as number) + 1;
      else top.expectKey = true;
    }
    i++;
  }
  return null;
}

const invalidAt = (path: string, message: string) =>
  new PunchcardError('invalid', `${path || 'the body'} ${message}`, [{ path, message }]);

/**
 * The request body as the API reads it: empty is `{}`; anything else must be JSON
 * (400 at the body otherwise), I-JSON-strict (see `scan`) and an object, as every
 * body the API takes is one.
 */
export function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = `is not valid JSON: ${(error as Error).message}`;
    throw new PunchcardError('malformed', `the body ${message}`, [{ path: '', message }]);
  }
  const fault = scan(text);
  if (fault) throw fault;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidAt('', 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** `application/json`, with or without parameters (charset). */
export const isJsonMediaType = (contentType: string | undefined) =>
  /^application\/json\s*(;|$)/i.test((contentType ?? '').trim());
