import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import type { SyntaxNode } from '@lezer/common';
import { decisionFacts, eventTypes, factCatalogue, orderKeys } from '../../../src/policy/facts.ts';
import { type Decision, decisions, operators, triggers } from '../../../src/policy/ruleset-schema.ts';
import { propertyName, propertyValue } from './pointer.ts';

/** The string value of a sibling property in the same object, e.g. the `fact` beside a `path`. */
function sibling(state: EditorState, object: SyntaxNode | null, name: string): string | null {
  for (let p = object?.firstChild ?? null; p; p = p.nextSibling) {
    if (p.name !== 'Property' || propertyName(state, p) !== name) continue;
    const value = propertyValue(p);
    if (value?.name !== 'String') return null;
    try {
      return JSON.parse(state.sliceDoc(value.from, value.to)) as string;
    } catch {
      return null;
    }
  }
  return null;
}

/** The decision of the rule (or test) the cursor is in, read from the nearest enclosing `decision`. */
function enclosingDecision(state: EditorState, node: SyntaxNode | null): Decision | null {
  for (let n = node; n; n = n.parent) {
    if (n.name !== 'Object') continue;
    const d = sibling(state, n, 'decision');
    if (d && (decisions as readonly string[]).includes(d)) return d as Decision;
  }
  return null;
}

const option = (label: string, detail?: string, info?: string): Completion => ({
  label,
  detail,
  info,
  type: 'constant',
});

/** What may stand in a property's value, given where it is. */
function valuesFor(state: EditorState, property: string, object: SyntaxNode | null): Completion[] {
  const decision = enclosingDecision(state, object);
  if (property === 'fact') {
    const names = decision ? decisionFacts[decision] : Object.keys(factCatalogue);
    return names.map((f) => option(f, 'fact', factCatalogue[f]?.description));
  }
  if (property === 'path') {
    const fields = factCatalogue[sibling(state, object, 'fact') ?? '']?.fields ?? {};
    return Object.entries(fields).map(([f, t]) =>
      option(f, t.kind, 'values' in t && t.values ? t.values.join(' | ') : undefined),
    );
  }
  if (property === 'operator') return operators.map((o) => option(o, 'operator'));
  if (property === 'decision') return decisions.map((d) => option(d, 'decision'));
  if (property === 'type' && decision) return eventTypes[decision].map((t) => option(t, `${decision} event`));
  if (property === 'key' && (decision === 'assignment' || decision === 'allocation'))
    return orderKeys[decision].map((k) => option(k, 'order key'));
  if (property === 'direction') return ['asc', 'desc'].map((d) => option(d));
  if (property === 'value') {
    const fact = sibling(state, object, 'fact') ?? '';
    if (fact === 'trigger') return triggers.map((t) => option(t, 'trigger'));
    const spec = factCatalogue[fact];
    const path = sibling(state, object, 'path')?.replace(/^\$\./, '');
    const type = path ? spec?.fields?.[path] : spec?.type;
    if (type?.kind === 'string' && type.values) return type.values.map((v) => option(v));
  }
  return [];
}

/**
 * Completes inside a JSON string from the fact catalogue: fact names (those the
 * rule's decision is given), a fact's paths, operators, decisions, event types,
 * order keys and enumerated values.
 */
export function catalogueCompletions(context: CompletionContext): CompletionResult | null {
  const node = syntaxTree(context.state).resolveInner(context.pos, -1);
  if (node.name !== 'String' || node.parent?.name !== 'Property') return null;
  const property = propertyName(context.state, node.parent);
  // Only a property's value, not its name (nodes are fresh objects: compare positions).
  if (!property || propertyValue(node.parent)?.from !== node.from) return null;
  const options = valuesFor(context.state, property, node.parent.parent);
  if (options.length === 0) return null;
  return {
    from: node.from + 1,
    options: options.map((o) => ({ ...o, apply: replaceValue })),
    validFor: /^[\w$.]*$/,
  };
}

/** Picking an option replaces the whole string value, wherever its end is by now. */
function replaceValue(view: EditorView, completion: Completion, from: number) {
  const string = syntaxTree(view.state).resolveInner(from, -1);
  const closed =
    string.name === 'String' &&
    view.state.sliceDoc(string.to - 1, string.to) === '"' &&
    string.to - string.from >= 2;
  const to = closed ? string.to - 1 : view.state.selection.main.head;
  view.dispatch({
    changes: { from, to: Math.max(to, view.state.selection.main.head), insert: completion.label },
    selection: { anchor: from + completion.label.length },
  });
}
