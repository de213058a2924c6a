import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import type { SyntaxNode } from '@lezer/common';

const valueNodes = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

const children = (node: SyntaxNode) => {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

const unescapeSegment = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** The name of a Property node, unquoted. */
export function propertyName(state: EditorState, property: SyntaxNode): string | null {
  const name = property.getChild('PropertyName');
  if (!name) return null;
  try {
    return JSON.parse(state.sliceDoc(name.from, name.to)) as string;
  } catch {
    return null;
  }
}

/** The value node of a Property (what follows the colon). */
export const propertyValue = (property: SyntaxNode) =>
  children(property).find((c) => valueNodes.has(c.name)) ?? null;

/**
 * Where a JSON pointer lands in the document, using CodeMirror's own JSON syntax
 * tree: the node it names, or, when that does not exist (a missing field), the
 * deepest one that does. `exact` tells which.
 */
export function locatePointer(
  state: EditorState,
  pointer: string,
): { from: number; to: number; exact: boolean } {
  // Faults may lie past what the editor has parsed so far: finish the parse first.
  const top = (ensureSyntaxTree(state, state.doc.length, 500) ?? syntaxTree(state)).topNode;
  let node: SyntaxNode | null = children(top).find((c) => valueNodes.has(c.name)) ?? null;
  if (!node) return { from: 0, to: Math.min(1, state.doc.length), exact: false };
  const segments = pointer === '' ? [] : pointer.split('/').slice(1).map(unescapeSegment);
  let exact = true;
  for (const segment of segments) {
    let next: SyntaxNode | null = null;
    if (node.name === 'Object') {
      const property: SyntaxNode | undefined = children(node).find(
        (p: SyntaxNode) => p.name === 'Property' && propertyName(state, p) === segment,
      );
      // An unknown field's fault points at the field itself: underline its name.
      next = property ? (propertyValue(property) ?? property) : null;
      if (property && segment === segments[segments.length - 1] && !propertyValue(property)) next = property;
    } else if (node.name === 'Array' && /^\d+$/.test(segment)) {
      next = children(node).filter((c) => valueNodes.has(c.name))[Number(segment)] ?? null;
    }
    if (!next) {
      exact = false;
      break;
    }
    node = next;
  }
  // A fault on a whole object or array is marked on its first line only, so it stays readable.
  const line = state.doc.lineAt(node.from);
  return { from: node.from, to: Math.max(node.from + 1, Math.min(node.to, line.to)), exact };
}

/** 1-based line of a pointer. */
export const lineOfPointer = (state: EditorState, pointer: string) =>
  state.doc.lineAt(locatePointer(state, pointer).from).number;
