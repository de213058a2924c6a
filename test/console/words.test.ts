import { json } from '@codemirror/lang-json';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { lineOfPointer, locatePointer } from '../../console/src/editor/pointer.ts';
import { readableJson } from '../../console/src/readable-json.ts';
import { describeRuleset, explainText, ruleText } from '../../console/src/words.ts';
import { loadPreset, type Rule } from '../../src/policy/index.ts';

describe('console: plain words from the rules themselves', () => {
  it('renders conditions, fact references and events as sentences', () => {
    const rule = {
      name: 'late-cancel-is-used',
      decision: 'usage',
      priority: 50,
      conditions: {
        all: [
          { fact: 'trigger', operator: 'equal', value: 'canceled' },
          { fact: 'hoursUntilStart', operator: 'lessThan', value: 12 },
          { not: { fact: 'channel', operator: 'equal', value: 'online' } },
        ],
      },
      event: { type: 'use' },
    } as Rule;
    expect(ruleText(rule)).toBe(
      'When the booking is canceled and the session starts in less than 12 hours and not (the booking was made online): the credit counts as used.',
    );
    const deny = {
      name: 'same-bucket',
      decision: 'eligibility',
      priority: 10,
      conditions: {
        all: [
          {
            fact: 'plan',
            path: 'bucketType',
            operator: 'notEqual',
            value: { fact: 'item', path: 'bucketType' },
          },
        ],
      },
      event: { type: 'deny', params: { reason: 'wrong bucket' } },
    } as Rule;
    expect(ruleText(deny)).toBe(
      "When the plan's bucket type is not the item's bucket type: the purchase may not pay (wrong bucket).",
    );
  });

  it('describes a preset by topic, and follows its settings', () => {
    const mytime = loadPreset('mytime');
    const sections = Object.fromEntries(describeRuleset(mytime).map((s) => [s.title, s.sentences]));
    expect(sections['Which purchase pays'][0]).toBe('Purchases are tried oldest purchase first.');
    expect(sections['When a credit is held']).toEqual([
      'When a booking is made: a credit is held: taken from the balance but not yet used.',
    ]);
    expect(sections['What is free']).toContain('Items priced $0 never use credits.');
    mytime.settings.zeroPriceUsesCredits = true;
    const free = describeRuleset(mytime).find((s) => s.title === 'What is free');
    expect(free?.sentences).toContain('Items priced $0 use credits like any other item.');
  });

  it('explains a decision with the plan that paid and each step', () => {
    const lines = explainText(
      {
        assignment: {
          considered: [
            { purchaseId: 'p1', eligible: true, reason: 'eligible', rule: null },
            { purchaseId: 'p2', eligible: false, reason: 'on hold', rule: null },
          ],
          order: [{ key: 'expiresAt', direction: 'asc' }],
          orderRule: 'soonest',
          chosen: 'p1',
          summary: 'p1 pays',
        },
        usage: [
          {
            trigger: 'canceled',
            event: 'release',
            rule: null,
            reason: '',
            state: 'released',
            at: '2026-03-02T15:00:00Z',
          },
        ],
        policyVersion: 1,
        policyHash: 'h',
      },
      (id) => `purchase ${id}`,
    );
    expect(lines[0]).toBe(
      "Paid by purchase p1: of the purchases that may pay, it comes first when they are tried soonest to expire first (rule 'soonest').",
    );
    expect(lines[1]).toBe('purchase p2 could not pay: on hold.');
    expect(lines[2]).toMatch(
      /^Mar 2, \d+:00 [AP]M: when the booking is canceled, the credit was given back \(no rule matched, so the default applied\)\. Now: given back\.$/,
    );
  });
});

describe('console: JSON pointers to editor lines', () => {
  const text = readableJson(loadPreset('gymgo'));
  const state = EditorState.create({ doc: text, extensions: [json()] });
  ensureSyntaxTree(state, state.doc.length, 5000);
  const lineOf = (needle: string, from = 0) =>
    text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

  it('finds the line of a value, an array element and an object', () => {
    expect(lineOfPointer(state, '/id')).toBe(lineOf('"id": "gymgo"'));
    const rule2 = lineOf('"name": "check-in-counts"') - 1;
    expect(lineOfPointer(state, '/rules/2')).toBe(rule2);
    expect(lineOfPointer(state, '/rules/2/conditions/all/0/operator')).toBe(
      lineOf('"operator": "equal"', rule2),
    );
    expect(lineOfPointer(state, '')).toBe(1);
  });

  it('falls back to the deepest part that exists, and says so', () => {
    const missing = locatePointer(state, '/rules/2/event/params/reason');
    expect(missing.exact).toBe(false);
    expect(state.doc.lineAt(missing.from).number).toBe(
      lineOf('"event": {', lineOf('"name": "check-in-counts"')),
    );
    expect(locatePointer(state, '/rules/99').exact).toBe(false);
  });
});
