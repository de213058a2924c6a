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
 * A character no string of the API may hold, found in a JSON string token as sent:
 * NUL (PostgreSQL text cannot hold it) and a lone UTF-16 surrogate, `\ud800` without
 * its pair (it has no UTF-8 form: the database would keep U+FFFD while the answer
 * echoed the original). Both can only arrive as `\u` escapes — raw bytes are decoded
 * as UTF-8 first — so a token without one is passed over without decoding.
 */
/** With the `u` flag a surrogate range matches only halves that are not part of a pair. */
const loneSurrogate = /[\ud800-\udfff]/u;

function characterFault(raw: string): string | null {
  if (!raw.includes('\\u')) return null;
  const text = decode(raw);
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (loneSurrogate.test(text))
    return 'must not contain a lone UTF-16 surrogate (\\ud800–\\udfff without its pair)';
  return null;
}

/**
 * What JSON.parse lets through and the API refuses, each at its pointer: a key given
 * twice in one object (JSON.parse keeps the last silently), a NUL character or a lone
 * surrogate in a key or a string (`characterFault`), nesting deeper than `maxBodyDepth`.
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
      const fault = characterFault(raw);
      if (top && !top.array && top.expectKey) {
        const key = decode(raw);
        if (fault) return invalidAt(pointerOf(stack, key), `a field name ${fault}`);
        if (top.keys.has(key))
          return new PunchcardError('malformed', 'the body names a field twice', [
            { path: pointerOf(stack, key), message: 'is given more than once' },
          ]);
        top.keys.add(key);
        top.at = key;
        top.expectKey = false;
      } else if (fault) {
        return invalidAt(pointerOf(stack), fault);
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
