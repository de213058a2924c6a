import type { Caller } from 'punchcard';
import { createExpressHost } from './host.ts';

/** Serves the host on PORT (0: any free port), printing the port it got for whoever started it. */
const users = JSON.parse(process.env.HOST_USERS ?? '{}') as Record<string, Caller>;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('the Express host needs DATABASE_URL');
const host = await createExpressHost({ databaseUrl, users });
const server = host.app.listen(Number(process.env.PORT ?? 0), () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : address}`);
});
process.on('SIGTERM', () => {
  server.close();
  host.close().then(() => process.exit(0));
});
