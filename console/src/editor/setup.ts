import { autocompletion } from '@codemirror/autocomplete';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, forceLinting, linter, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView, keymap } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { catalogueCompletions } from './complete.ts';
import { type Fault, ruleSetFaults } from './faults.ts';
import { locatePointer } from './pointer.ts';

export interface ShownFault extends Fault {
  line: number;
  source: 'editor' | 'server';
}

/** Colours with at least 4.5:1 contrast on white (WCAG AA), replacing the default highlight. */
const readable = HighlightStyle.define([
  { tag: tags.propertyName, color: '#1d4ed8' },
  { tag: tags.string, color: '#9a3412' },
  { tag: tags.number, color: '#166534' },
  { tag: [tags.bool, tags.null], color: '#6b21a8' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid #6b7280', borderRadius: '4px', height: '100%' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' },
  '.cm-gutters': { backgroundColor: '#f3f4f6', color: '#374151', borderRight: '1px solid #d1d5db' },
  '.cm-activeLineGutter': { backgroundColor: '#e5e7eb' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '&.cm-focused': { outline: '3px solid #2563eb' },
});

export function faultsToDiagnostics(
  view: EditorView,
  faults: Fault[],
  source: ShownFault['source'],
): ShownFault[] {
  return faults.map((f) => {
    const at = locatePointer(view.state, f.path);
    return { ...f, line: view.state.doc.lineAt(at.from).number, source };
  });
}

function diagnostics(view: EditorView, faults: ShownFault[]): Diagnostic[] {
  return faults.map((f) => {
    const at = locatePointer(view.state, f.path);
    return {
      from: at.from,
      to: at.to,
      severity: 'error',
      source: f.source === 'server' ? 'server' : 'rule set',
      message: `${f.path || '/'}: ${f.message}`,
    };
  });
}

/**
 * The rule editor: JSON with live faults (syntax, schema, fact catalogue) underlined
 * as you type and listed by line, completions from the fact catalogue, and a way to
 * pin the server's 422 pointers onto their lines after a save.
 */
export function createRuleEditor(
  parent: HTMLElement,
  doc: string,
  onFaults: (faults: ShownFault[]) => void,
  onSave: () => void,
  onChange: (text: string) => void,
) {
  const syntax = jsonParseLinter();
  const live = linter(
    (view) => {
      const parseErrors = syntax(view);
      if (parseErrors.length > 0) {
        onFaults(
          parseErrors.map((d) => ({
            path: '',
            message: d.message,
            line: view.state.doc.lineAt(d.from).number,
            source: 'editor' as const,
          })),
        );
        return parseErrors;
      }
      const shown = faultsToDiagnostics(view, ruleSetFaults(JSON.parse(view.state.doc.toString())), 'editor');
      onFaults(shown);
      return diagnostics(view, shown);
    },
    { delay: 250 },
  );
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      basicSetup,
      json(),
      syntaxHighlighting(readable),
      lintGutter(),
      live,
      autocompletion({ override: [catalogueCompletions], activateOnTyping: true }),
      keymap.of([
        {
          key: 'Mod-s',
          preventDefault: true,
          run: () => {
            onSave();
            return true;
          },
        },
      ]),
      theme,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
      EditorView.contentAttributes.of({
        tabindex: '0',
        'aria-label': 'Rule set (JSON)',
        'aria-describedby': 'editor-help',
      }),
    ],
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    replace(text: string) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    /** Shows the server's faults on their lines until the next edit re-lints. */
    showServerFaults(faults: Fault[]): ShownFault[] {
      const shown = faultsToDiagnostics(view, faults, 'server');
      view.dispatch(setDiagnostics(view.state, diagnostics(view, shown)));
      return shown;
    },
    relint: () => forceLinting(view),
  };
}
