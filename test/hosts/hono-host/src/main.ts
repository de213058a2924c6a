import { serve } from '@hono/node-server';
import { createHost } from './host.ts';

/** Serves the host on PORT (0: any free port), printing the port it got for whoever started it. */
const host = await createHost({
  databaseUrl: process.env.DATABASE_URL || undefined,
  operatorToken: process.env.HOST_OPERATOR_TOKEN ?? 'operator',
});
const server = serve({ fetch: host.app.fetch, port: Number(process.env.PORT ?? 0) }, (info) => {
  console.log(`listening on ${info.port}`);
});
process.on('SIGTERM', () => {
  server.close();
  host.close().then(() => process.exit(0));
});
