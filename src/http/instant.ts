/**
 * The one parser for instants in requests: RFC 3339 date-time with an offset, parsed
 * into a Date or refused. It refuses what ajv's `date-time` lets through and neither
 * JavaScript nor PostgreSQL can hold: leap seconds (`23:59:60`), calendar dates that do
 * not exist, and years outside [1900, 9000) (year 0000 is not a PostgreSQL year; the
 * upper bound leaves room for a plan's 100-year expiry to stay a four-digit year).
 */
const shape =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export const earliestInstant = Date.UTC(1900, 0, 1);
export const latestInstant = Date.UTC(9000, 0, 1);

export function parseInstant(text: string): Date | null {
  const m = shape.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  // Far outside the range anyway; and Date.UTC would read years 0–99 as 1900–1999.
  if (year < 1000) return null;
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  if (utc < earliestInstant || utc >= latestInstant) return null;
  return new Date(utc);
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const monthLength = (year: number, month: number) =>
  [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

export const instantMessage =
  'must be an instant like 2026-03-03T10:00:00-05:00 (RFC 3339 with an offset, years 1900 to 8999, seconds 00 to 59)';
