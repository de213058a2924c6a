import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { defaultBodyLimitBytes } from '../../src/http/request-guards.ts';
import { createCreditsPlugin } from '../../src/plugin.ts';
import { newTenant, request } from '../support/api.ts';
import { clock } from '../support/clock.ts';
import { platformKey, testPlugin } from '../support/plugin.ts';

// The worker's database opens once; on a busy machine that can take a while.
beforeAll(() => testPlugin(), 180_000);

/** A client body of exactly `size` bytes: valid JSON whose name is padding. */
const bodyOf = (size: number) => {
  const shell = '{"name":""}';
  return `{"name":"${'a'.repeat(size - shell.length)}"}`;
};

describe('request body size limit', () => {
  it('1 MB by default: one byte over is 413 problem+json, nothing written', async () => {
    const t = await newTenant();
    const over = await request('POST', '/v1/clients', {
      key: t.staff,
      raw: bodyOf(defaultBodyLimitBytes + 1),
    });
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toBe('application/problem+json');
    expect(over.body).toMatchObject({
      status: 413,
      detail: `the body is larger than ${defaultBodyLimitBytes} bytes`,
    });
    // At the limit the body is read (and here refused by the schema: names are ≤ 200 characters).
    const at = await request('POST', '/v1/clients', { key: t.staff, raw: bodyOf(defaultBodyLimitBytes) });
    expect(at.status).toBe(422);
    expect(at.body.errors.map((e: { path: string }) => e.path)).toEqual(['/name']);
  });

  it('a host sets its own limit; streamed bodies without a length are cut off too', async () => {
    const { orm } = await testPlugin();
    const { app } = await createCreditsPlugin({
      orm,
      migrate: false,
      clock,
      platformKey,
      plugins: [],
      outbox: { dispatch: false },
      bodyLimitBytes: 100,
    });
    const post = (body: BodyInit, extra: Record<string, string> = {}) =>
      app.request('/v1/tenants', {
        method: 'POST',
        headers: { authorization: `Bearer ${platformKey}`, 'content-type': 'application/json', ...extra },
        body,
        duplex: 'half',
      } as RequestInit);
    expect((await post(bodyOf(101))).status).toBe(413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++)
          controller.enqueue(new TextEncoder().encode('{"name":"aaaaaaaaaaaaaaaaaaaaaaa"}'));
        controller.close();
      },
    });
    expect((await post(chunks)).status).toBe(413);
    // Under the limit it reaches the route (and its schema).
    const small = await post('{"name":"x","preset":"nope"}');
    expect(small.status).toBe(422);
  });

  it('the service reads the limit from PUNCHCARD_BODY_LIMIT (bytes), refusing nonsense', () => {
    expect(readConfig({}).bodyLimitBytes).toBe(1024 * 1024);
    expect(readConfig({ PUNCHCARD_BODY_LIMIT: '2048' }).bodyLimitBytes).toBe(2048);
    expect(() => readConfig({ PUNCHCARD_BODY_LIMIT: '1MB' })).toThrow(
      'PUNCHCARD_BODY_LIMIT must be a positive whole number, got "1MB"',
    );
    expect(readConfig({}).host).toBe('127.0.0.1');
    expect(readConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('over a real socket, a 413 reaches the client every time: Connection: close, sent before the socket closes', {
    timeout: 60_000,
  }, async () => {
    const { app } = await testPlugin();
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const t = await newTenant();
    // A keep-alive client, as fetch and most HTTP libraries are: it asks to reuse the socket.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    /** One POST with a body the client writes whole, as clients do. */
    const post = (size: number) =>
      new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/v1/clients',
            agent,
            headers: {
              authorization: `Bearer ${t.staff}`,
              'content-type': 'application/json',
              'content-length': String(size),
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
            );
          },
        );
        // Writing the rest may fail once the server has answered and closed: the answer counts.
        req.on('error', (error) => setTimeout(() => reject(error), 200));
        req.end(Buffer.alloc(size, 'a'));
      });
    try {
      for (const size of [defaultBodyLimitBytes + 1, 8 * defaultBodyLimitBytes, 32 * defaultBodyLimitBytes])
        for (let i = 0; i < 10; i++) {
          const answer = await post(size);
          expect(answer.status, `${size} bytes, try ${i}`).toBe(413);
          expect(answer.connection).toBe('close');
          expect(JSON.parse(answer.body).detail).toBe(
            `the body is larger than ${defaultBodyLimitBytes} bytes`,
          );
        }
    } finally {
      agent.destroy();
      server.close();
    }
  });
});
