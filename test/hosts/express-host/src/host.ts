import type { IncomingMessage } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Hono } from 'hono';
import { type Caller, createCreditsPlugin } from 'punchcard';

/** What the host's own auth middleware leaves on the request (passport and the like do the same). */
type SignedIn = IncomingMessage & { user?: Caller };

/**
 * An Express platform: its users come as `x-user` tokens it resolves itself; punchcard
 * runs on its own connection to the database the Hono platform migrated.
 */
export async function createExpressHost(options: { databaseUrl: string; users: Record<string, Caller> }) {
  const credits = await createCreditsPlugin({
    databaseUrl: options.databaseUrl,
    migrate: false, // the schema belongs to the app that owns the migrations (the Hono host)
    auth: (c) => (c.env as HttpBindings & { incoming: SignedIn }).incoming.user ?? null,
  });
  // The Hono app keeps the full path, so punchcard sees its mount prefix.
  const mounted = new Hono().route('/api/credits', credits.app);

  const app = express();
  app.use((req: Request & SignedIn, _res: Response, next: NextFunction) => {
    req.user = options.users[req.get('x-user') ?? ''];
    next();
  });
  // app.all keeps req.url whole (app.use would strip the prefix); no body parser runs before it.
  app.all('/api/credits/{*rest}', getRequestListener(mounted.fetch));
  app.get('/whoami', (req: Request & SignedIn, res) => {
    res.json(req.user ?? null);
  });
  return { app, close: () => credits.close() };
}
