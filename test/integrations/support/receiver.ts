import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A local HTTP endpoint standing in for Club OS or a webhook receiver. `answer` decides
 * each call: a status, or 'hang' to answer only after `hangMs` (longer than the
 * sender's timeout). Every call is kept, in order.
 */
export async function startReceiver(answer: (call: number, req: Received) => number | 'hang', hangMs = 8000) {
  const calls: Received[] = [];
  const server = createServer((req, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const received = { headers: req.headers, body, at: Date.now() };
      calls.push(received);
      const decision = answer(calls.length, received);
      const reply = (status: number) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: status < 300 }));
      };
      if (decision === 'hang') setTimeout(() => reply(200), hangMs).unref();
      else reply(decision);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A Standard Webhooks receiver, written here from the scheme rather than taken from
 * the plugin: the signature is HMAC-SHA256 with the base64-decoded `whsec_` key over
 * `id.timestamp.body`; any of the space-separated `v1,` signatures may match; a
 * timestamp more than five minutes from the receiver's clock is refused (replay).
 */
export function verifyWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; reason: string } {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = String(headers['webhook-signature'] ?? '').split(' ');
  if (!id || !Number.isInteger(timestamp)) return { ok: false, reason: 'missing headers' };
  if (Math.abs(nowSeconds - timestamp) > 5 * 60)
    return { ok: false, reason: 'timestamp outside five minutes' };
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const match = signatures.some((s) => {
    const [version, value] = s.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true } : { ok: false, reason: 'no signature matches' };
}

export const newSecret = () =>
  `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
