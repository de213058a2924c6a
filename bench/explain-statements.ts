import pg from 'pg';

/**
 * Preload for measuring by hand (NODE_OPTIONS=--import ./bench/explain-statements.ts
 * on the service): every connection loads auto_explain with ANALYZE and BUFFERS, and
 * each statement's plan comes back as a NOTICE, printed to stdout. Book a few
 * times against a database a bench kept (BENCH_KEEP=1) to see what every statement
 * of a booking costs on a large history.
 */
const connect = pg.Client.prototype.connect as unknown as (this: pg.Client) => Promise<void>;
pg.Client.prototype.connect = async function (this: pg.Client) {
  await connect.call(this);
  this.on('notice', (n) => process.stdout.write(`PLAN ${n.message}\n----\n`));
  await this.query(
    "load 'auto_explain'; set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on; set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice",
  );
} as unknown as typeof pg.Client.prototype.connect;
