import pg from 'pg';

/**
 * Preloaded into the bench's service process (NODE_OPTIONS=--import): counts the
 * statements the service sends to PostgreSQL (BEGIN and COMMIT included) and prints
 * the count on SIGUSR2, so the bench can state statements per booking.
 */
let count = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  count += 1;
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;
process.on('SIGUSR2', () => process.stdout.write(`statements ${count}\n`));
