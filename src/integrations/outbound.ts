import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { bareHost, nonPublicReason, targetFault } from './targets.ts';

/**
 * A failed delivery attempt whose message is one of a few fixed reasons (plus a status
 * code). Only these reach the delivery log: never the receiver's answer, never an
 * address the name resolved to, never a credential.
 */
export class DeliveryFailure extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DeliveryFailure';
  }
}

export const reasons = {
  refusedTarget: 'target refused: the URL is not allowed',
  notPublic: 'target refused: the host did not resolve to a public address',
  connection: 'connection failed',
  timeout: 'timed out',
  redirect: (status: number) => `redirect refused (answered ${status})`,
  status: (status: number) => `endpoint answered ${status}`,
} as const;

export type Lookup = (host: string) => Promise<LookupAddress[]>;

export interface OutboundRequest {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  /** Ends the whole exchange (connect, send, answer). */
  signal: AbortSignal;
}

export interface OutboundOptions {
  /** How host names are resolved (node:dns by default); every address it gives is checked. */
  lookup?: Lookup;
  /** The development switch: http and private addresses allowed (default false). */
  allowPrivate?: boolean;
  /** How much of an answer is read before the connection is dropped. */
  maxAnswerBytes?: number;
}

/** A few KB is enough to end a small answer cleanly; nothing of it is kept. */
export const defaultMaxAnswerBytes = 4096;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The one address this exchange connects to. Every address the name resolves to must
 * be public (a name answering one public and one private address is refused, so a
 * rebinding answer cannot pick the private one), and the connection is pinned to the
 * address checked here: nothing resolves the name again between check and connect.
 */
async function pinnedAddress(url: URL, lookup: Lookup, allowPrivate: boolean): Promise<LookupAddress> {
  const host = bareHost(url);
  const family = isIP(host);
  let addresses: LookupAddress[];
  if (family !== 0) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      throw new DeliveryFailure(reasons.notPublic);
    }
  }
  const first = addresses[0];
  if (!first) throw new DeliveryFailure(reasons.notPublic);
  if (!allowPrivate && addresses.some((a) => nonPublicReason(a.address) !== null))
    throw new DeliveryFailure(reasons.notPublic);
  return first;
}

/**
 * Sends one request to a tenant's endpoint under the outbound rules: the URL passes
 * `targetFault`, the resolved address is public and pinned, a redirect is a failed
 * attempt (never followed), at most `maxAnswerBytes` of the answer are read, and the
 * signal bounds the whole exchange. Resolves with the 2xx status; anything else
 * throws a `DeliveryFailure` with a fixed reason.
 */
export async function sendOutbound(req: OutboundRequest, options: OutboundOptions = {}): Promise<number> {
  const allowPrivate = options.allowPrivate ?? false;
  const maxAnswerBytes = options.maxAnswerBytes ?? defaultMaxAnswerBytes;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new DeliveryFailure(reasons.refusedTarget);
  }
  if (targetFault(url, allowPrivate)) throw new DeliveryFailure(reasons.refusedTarget);
  if (req.signal.aborted) throw new DeliveryFailure(reasons.timeout);
  const pinned = await pinnedAddress(url, options.lookup ?? systemLookup, allowPrivate);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const out = send({
      protocol: url.protocol,
      host: bareHost(url),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
      // Net may ask for one address or (happy eyeballs) all of them: both get the pinned one.
      lookup: (_host, opts, done) => {
        if ((opts as { all?: boolean }).all) done(null, [pinned] as never, pinned.family);
        else done(null, pinned.address, pinned.family);
      },
      agent: false,
      signal: req.signal,
    });
    const fail = () => reject(new DeliveryFailure(req.signal.aborted ? reasons.timeout : reasons.connection));
    out.on('error', fail);
    out.on('response', (answer: IncomingMessage) => {
      const code = answer.statusCode ?? 0;
      let read = 0;
      const done = () => {
        // Whatever is left of the answer is never read: the connection is dropped.
        answer.destroy();
        out.destroy();
        resolve(code);
      };
      answer.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= maxAnswerBytes) done();
      });
      answer.on('end', done);
      answer.on('error', done);
    });
    out.end(req.body);
  });
  if (status >= 300 && status < 400) throw new DeliveryFailure(reasons.redirect(status));
  if (status < 200 || status >= 300) throw new DeliveryFailure(reasons.status(status));
  return status;
}
