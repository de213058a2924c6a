import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { contractFetch, request } from '../support/api.ts';
import { defaultNow } from '../support/clock.ts';
import { platformKey } from '../support/plugin.ts';
import { tenantsTouched } from '../support/setup.ts';

const run = promisify(execFile);
const dir = join(import.meta.dirname, 'client');
const script = join(dir, 'lifecycle.ts');
const bin = (name: string) => join(import.meta.dirname, '..', '..', 'node_modules', '.bin', name);

/** Casts, non-null assertions, `any` and ts-comments: none may appear in the client. */
function escapeHatches(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node))
      found.push(node.getText());
    if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`any at ${node.getStart()}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const m of text.matchAll(/@ts-(ignore|expect-error|nocheck)/g)) found.push(m[0]);
  return found;
}

describe('a client generated from /openapi.json', () => {
  it('type-checks a full-lifecycle script with no casts and no any, and runs it', async () => {
    // 1. The live document, as a host would download it.
    const doc = await request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    mkdirSync(join(dir, 'generated'), { recursive: true });
    writeFileSync(join(dir, 'generated', 'openapi.json'), JSON.stringify(doc.body));

    // 2. The README's commands: openapi-typescript, then tsc on the script.
    await run(bin('openapi-typescript'), [
      join(dir, 'generated', 'openapi.json'),
      '-o',
      join(dir, 'generated', 'punchcard.ts'),
    ]);
    const checked = await run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')]).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(checked).toBe('');
    expect(escapeHatches(script)).toEqual([]);

    // 3. The same script drives the app in-process; every answer is checked against the document.
    // Imported by a computed path, so the suite's own tsc never needs the generated types.
    const { lifecycle }: { lifecycle: (options: object) => Promise<Record<string, unknown>> } = await import(
      script
    );
    const result = await lifecycle({
      baseUrl: 'http://punchcard.test',
      platformKey,
      now: defaultNow,
      fetch: contractFetch,
    });
    tenantsTouched.add(String(result.tenantId));
    const purchaseId = result.purchaseId;
    expect(result).toEqual({
      tenantId: result.tenantId,
      purchaseId,
      frontDesk: {
        itemTypes: ['Scheduler_Bucket:true'],
        itemType: 'Sessions',
        item: 'Hot yoga:true',
        plan: '10 hot classes',
        schedule: ['ana'],
        scheduleNext: null,
        roster: ['Sarah:Package Used'], // the ticket was closed: the credit is used
        history: 1,
        historyNext: null,
      },
      replayed: true, // the sale sent twice with one Idempotency-Key sold once
      bookedState: 'held', // MyTime holds at booking (B14)
      quote: { purchaseId, remaining: 9, label: 'Available in Package' }, // what the booking then did
      classCanceled: ['canceled:released:9'], // held 1, given back when the studio canceled the class
      ticket: { status: 'closed', total: 0, lineState: 'used' },
      balance: [{ id: purchaseId, total: 10, used: 1, remaining: 9 }],
      ledger: ['grant', 'hold', 'use', 'hold', 'release'],
      report: ['purchase:null:9', 'use:1:9'], // the purchase's balance row (B22), then its one use
      csvLines: 3, // header, the balance row, the one use
      policy: { put: 2, versions: [1, 2], rolledBack: 3 },
      simulation: { reservations: 1, changed: 1 }, // under gymGO the booking would only be assigned
      sweep: 0,
      explain: {
        chosen: purchaseId,
        triggers: ['booked', 'ticket_generated', 'ticket_closed'],
        policyVersion: 1,
      },
    });
  }, 180_000);
});
