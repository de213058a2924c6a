import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reasons, sendOutbound } from '../../src/integrations/outbound.ts';
import { expectStatus } from '../support/api.ts';
import { addPlan, buy, newStudio, type Studio } from '../support/fixtures.ts';
import { testPlugin } from '../support/plugin.ts';
import { newSecret } from './support/receiver.ts';

// Opening the worker's database (and migrating it) can take a while on a busy machine.
beforeAll(() => testPlugin(), 120_000);

interface Receiver {
  url: string;
  calls: number;
  /** Bytes of its answer the receiver managed to hand to the socket. */
  sent: number;
  close: () => Promise<void>;
}
const open: Receiver[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

async function receiver(answer: (res: ServerResponse, self: Receiver) => void): Promise<Receiver> {
  const server: Server = createServer((req: IncomingMessage, res) => {
    self.calls++;
    req.resume();
    req.on('end', () => answer(res, self));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const self: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    calls: 0,
    sent: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(self);
  return self;
}

/** Streams `total` bytes of answer as fast as the reader takes them, counting what went out. */
function streamAnswer(res: ServerResponse, self: Receiver, status: number, total: number) {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(total) });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const pump = () => {
    while (self.sent < total && !res.destroyed) {
      self.sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

async function enableWebhooks(t: Studio, url: string) {
  expectStatus(
    await t.as('admin').put('/v1/integrations/webhooks', {
      enabled: true,
      url,
      secret: newSecret(),
      events: ['purchase.created'],
    }),
    200,
  );
}

/** Waits until the tenant's one webhook delivery has failed at least once, and returns it. */
async function failedDelivery(t: Studio) {
  for (let i = 0; i < 200; i++) {
    const [delivery] = (await t.as('staff').get('/v1/integrations/webhooks/deliveries')).body.deliveries;
    if (delivery?.status === 'failing') return delivery;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the delivery never failed');
}

describe('what a hostile receiver can do with its answer', () => {
  it('a redirect is a failed attempt: never followed, the signed body never reaches the other host', async () => {
    const elsewhere = await receiver((res) => res.writeHead(204).end());
    const redirecting = await receiver((res) => res.writeHead(307, { location: elsewhere.url }).end());
    const t = await newStudio();
    await enableWebhooks(t, redirecting.url);
    await buy(t, await addPlan(t, { name: 'Ten', credits: 10 }));
    const delivery = await failedDelivery(t);
    expect(delivery.lastError).toBe('redirect refused (answered 307)');
    expect(redirecting.calls).toBeGreaterThanOrEqual(1);
    expect(elsewhere.calls).toBe(0);
    await t.as('admin').put('/v1/integrations/webhooks', { enabled: false, url: 'https://h.example.com' });
  });

  it("a staff key sees the status code and a fixed reason, never the receiver's body", async () => {
    const leaky = await receiver((res) =>
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end('INTERNAL ADMIN PAGE: db_password=hunter2 token=abc123'),
    );
    const t = await newStudio();
    await enableWebhooks(t, leaky.url);
    const purchase = await buy(t, await addPlan(t, { name: 'Ten', credits: 10 }));
    const delivery = await failedDelivery(t);
    expect(delivery.lastError).toBe('endpoint answered 403');
    const staff = t.as('staff');
    const seen = [
      await staff.get('/v1/integrations/webhooks/deliveries'),
      await staff.get('/v1/integrations/webhooks/deliveries?status=failing'),
      await staff.get(`/v1/purchases/${purchase.id}`),
    ];
    for (const answer of seen) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toMatch(/hunter2|INTERNAL|abc123/);
    }
    await t.as('admin').put('/v1/integrations/webhooks', { enabled: false, url: 'https://h.example.com' });
  });

  it('a 450 MB error answer is read only a few KB: the sender stops, memory stays flat, the status alone is kept', {
    timeout: 60_000,
  }, async () => {
    const huge = 450 * 1024 * 1024;
    const flood = await receiver((res, self) => streamAnswer(res, self, 500, huge));
    const heapBefore = process.memoryUsage().heapUsed;
    await expect(
      sendOutbound(
        { url: flood.url, method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(10_000) },
        { maxAnswerBytes: 4096, allowPrivate: true },
      ),
    ).rejects.toThrow(reasons.status(500));
    // The receiver could only push what fits the sockets' buffers before the connection dropped.
    await new Promise((r) => setTimeout(r, 100));
    expect(flood.sent).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
    // Through the service: the delivery log keeps the status and nothing of the answer.
    const t = await newStudio();
    await enableWebhooks(t, flood.url);
    await buy(t, await addPlan(t, { name: 'Ten', credits: 10 }));
    expect((await failedDelivery(t)).lastError).toBe('endpoint answered 500');
    expect(flood.sent).toBeLessThan(flood.calls * 16 * 1024 * 1024);
    await t.as('admin').put('/v1/integrations/webhooks', { enabled: false, url: 'https://h.example.com' });
  });

  it('a receiver that never finishes its answer is cut off by the attempt deadline', async () => {
    const slow = await receiver((res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('x');
    });
    const started = Date.now();
    await expect(
      sendOutbound(
        {
          url: slow.url,
          method: 'POST',
          headers: {},
          body: '{}',
          signal: AbortSignal.timeout(300),
        },
        { allowPrivate: true },
      ),
    ).rejects.toThrow(reasons.timeout);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a Club OS apiKey with CR/LF or other control characters is a 422 that never repeats it', async () => {
    const t = await newStudio();
    for (const apiKey of ['sk_live_abc\r\nX-Injected: 1', 'sk_live_abc\n', 'sk live abc', 'sk_\u0007bell']) {
      const res = await t
        .as('admin')
        .put('/v1/integrations/clubos', { enabled: true, url: 'https://clubos.example.com/in', apiKey });
      expect(res.status, JSON.stringify(apiKey)).toBe(422);
      expect(res.body.errors).toEqual([
        {
          path: '/apiKey',
          message: 'must be printable ASCII without spaces or control characters (CR, LF, …)',
        },
      ]);
      expect(JSON.stringify(res.body)).not.toContain('sk_');
    }
    expect((await t.as('admin').get('/v1/integrations/clubos')).body).toMatchObject({ apiKeySet: false });
  });
});
