import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createCreditsPlugin } from 'punchcard';

// DATABASE_URL: a PostgreSQL server; without it, embedded PGlite in memory.
const credits = await createCreditsPlugin({
  databaseUrl: process.env.DATABASE_URL,
  platformKey: process.env.PUNCHCARD_PLATFORM_KEY, // may create tenants
});
const app = new Hono().route('/credits', credits.app);
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (info) => {
  console.log(`listening on ${info.port}`);
});
process.on('SIGTERM', () => server.close(() => credits.close()));
