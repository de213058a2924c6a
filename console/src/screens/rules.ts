import { api, type FieldError, outcome, problemText, type RulesetBody } from '../api.ts';
import { announce, h, message, render } from '../dom.ts';
import { activePolicy, draft, draftText, pretty } from '../draft.ts';
import { createRuleEditor, type ShownFault } from '../editor/setup.ts';
import { isRuleset } from '../ruleset.ts';
import { describeRuleset } from '../words.ts';

/** Server pointers are into the request body (`/ruleset/...`); the editor holds the rule set itself. */
const intoDocument = (errors: FieldError[] | undefined) =>
  (errors ?? []).map((e) => ({
    message: e.message ?? 'is invalid',
    path: (e.path ?? '').replace(/^\/ruleset(?=\/|$)/, ''),
  }));

export async function rulesScreen(main: HTMLElement) {
  const active = await activePolicy();
  const text = await draftText();
  if (!active.ok || text === null) {
    return render(
      main,
      h('h1', {}, 'Rules'),
      message('error', active.ok ? 'Could not load the rule set.' : problemText(active.problem)),
    );
  }
  const settings = active.data.ruleset.settings;

  // Settings as a form: the two switches admins change most, without touching JSON.
  const zero = h('input', { id: 'zero-price', type: 'checkbox', checked: settings.zeroPriceUsesCredits });
  const threshold = h('input', {
    id: 'unlimited',
    type: 'number',
    min: 1,
    step: 1,
    value: settings.unlimitedLabelThreshold,
    required: true,
  });
  const settingsNote = h('div');
  const settingsForm = h(
    'form',
    {
      class: 'card settings',
      'aria-labelledby': 'settings-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const body = { zeroPriceUsesCredits: zero.checked, unlimitedLabelThreshold: Number(threshold.value) };
        const saved = await outcome(api.PATCH('/v1/policy/settings', { body }));
        if (!saved.ok) return render(settingsNote, message('error', problemText(saved.problem)));
        render(settingsNote, message('ok', `Settings saved: version ${saved.data.version} is active.`));
        announce(`Settings saved, version ${saved.data.version}`);
        // Keep the admin's unsaved edits; only the settings in the draft follow the save.
        try {
          const current: unknown = JSON.parse(editor.text());
          // Only a JSON object has settings to replace; anything else is left to the admin too.
          if (current && typeof current === 'object' && !Array.isArray(current))
            editor.replace(pretty({ ...current, settings: saved.data.ruleset.settings }));
        } catch {
          /* the draft is not JSON right now; its settings are left to the admin */
        }
      },
    },
    h('h2', { id: 'settings-title' }, 'Settings'),
    h('div', { class: 'field-row' }, zero, h('label', { for: 'zero-price' }, 'Items priced $0 use credits')),
    h(
      'p',
      { class: 'hint' },
      'Off: a $0 class or product is free and never touches a package. On: it uses a credit like any other item.',
    ),
    h('label', { for: 'unlimited' }, 'Label a purchase “UNLIMITED” when it has more credits than'),
    threshold,
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Save settings')),
    settingsNote,
  );

  const faultList = h('div', { id: 'faults', 'aria-live': 'polite' });
  const plain = h('div', { class: 'plain' });
  const result = h('div', { id: 'result' });
  const tests = h('div', { id: 'tests' });
  const host = h('div', { class: 'editor-host' });

  const showFaults = (faults: ShownFault[]) => {
    if (faults.length === 0) {
      render(faultList, h('p', { class: 'msg msg-ok' }, 'No faults found as you type.'));
      try {
        // No faults means the draft passed the schema; the check says so to the type too.
        const draftRuleset: unknown = JSON.parse(editor.text());
        if (!isRuleset(draftRuleset)) return render(plain);
        render(
          plain,
          h('h3', {}, 'This draft in plain words'),
          describeRuleset(draftRuleset).map((s) =>
            h(
              'section',
              {},
              h('h4', {}, s.title),
              h(
                'ul',
                {},
                s.sentences.map((x) => h('li', {}, x)),
              ),
            ),
          ),
        );
      } catch {
        render(plain);
      }
      return;
    }
    render(
      faultList,
      h('h3', {}, faults[0].source === 'server' ? 'The server refused the rule set' : 'Faults'),
      h(
        'ol',
        { class: 'faults' },
        faults.map((f) =>
          h(
            'li',
            { 'data-line': f.line, 'data-source': f.source },
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () => {
                  const line = editor.view.state.doc.line(f.line);
                  editor.view.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
                  editor.view.focus();
                },
              },
              `Line ${f.line}`,
            ),
            ` ${f.path || '/'}: ${f.message}`,
            f.source === 'server' ? h('span', { class: 'badge' }, 'server') : null,
          ),
        ),
      ),
    );
  };

  const parsed = (): RulesetBody | undefined => {
    try {
      return JSON.parse(editor.text()) as RulesetBody;
    } catch {
      render(result, message('error', 'The rule set is not valid JSON yet: see the faults listed above.'));
      return undefined;
    }
  };

  const refused = (errors: FieldError[] | undefined, what: string) => {
    const shown = editor.showServerFaults(intoDocument(errors));
    showFaults(shown);
    render(
      result,
      message(
        'error',
        `${what}: ${shown.length} fault${shown.length === 1 ? '' : 's'}, shown at their lines.`,
      ),
    );
  };

  const save = async () => {
    const ruleset = parsed();
    if (ruleset === undefined) return;
    const saved = await outcome(api.PUT('/v1/policy', { body: { ruleset } }));
    if (!saved.ok) return refused(saved.problem.errors, 'Not saved');
    render(result, message('ok', `Saved: version ${saved.data.version} is active.`));
    announce(`Saved, version ${saved.data.version}`);
  };

  const runTests = async () => {
    const ruleset = parsed();
    if (ruleset === undefined) return;
    const run = await outcome(api.POST('/v1/policy/test', { body: { ruleset } }));
    if (!run.ok) {
      render(tests);
      return refused(run.problem.errors, 'The tests could not run');
    }
    const { passed, failed } = run.data;
    render(
      tests,
      h('h3', {}, `Tests: ${passed} passed, ${failed} failed`),
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, "The rule set's own tests"),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Test'),
            h('th', { scope: 'col' }, 'Decision'),
            h('th', { scope: 'col' }, 'Result'),
          ),
        ),
        h(
          'tbody',
          {},
          run.data.tests.map((t) =>
            h(
              'tr',
              { class: t.passed ? 'pass' : 'fail' },
              h('td', {}, t.name),
              h('td', {}, t.decision),
              h(
                'td',
                {},
                t.passed
                  ? h('strong', {}, '✓ Pass')
                  : h(
                      'span',
                      {},
                      h('strong', {}, '✗ Fail'),
                      `: expected ${t.expected.type}, the rules decided ${t.actual?.type ?? '?'}${t.actual?.rule ? ` (rule '${t.actual.rule}')` : ' (default)'}`,
                    ),
              ),
            ),
          ),
        ),
      ),
    );
    announce(`Tests: ${passed} passed, ${failed} failed`);
  };

  render(
    main,
    h('h1', {}, 'Rules'),
    h('p', { class: 'lead' }, `Active: “${active.data.ruleset.name}”, version ${active.data.version}.`),
    settingsForm,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'editor-title' },
      h('h2', { id: 'editor-title' }, 'Rule set'),
      h(
        'p',
        { class: 'hint', id: 'editor-help' },
        'Faults are underlined as you type. Inside a value, press Ctrl+Space to pick a fact, field, operator or event. Ctrl+S saves. Press Escape, then Tab, to leave the editor.',
      ),
      host,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => void save() }, 'Save'),
        h('button', { type: 'button', onclick: () => void runTests() }, 'Run tests'),
        h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              const fresh = await activePolicy();
              if (fresh.ok) editor.replace(pretty(fresh.data.ruleset));
              render(result, message('info', 'The draft is the active rule set again.'));
            },
          },
          'Discard changes',
        ),
      ),
      result,
      faultList,
      tests,
      plain,
    ),
  );
  // The draft follows every change, so Simulate runs what is on screen.
  const editor = createRuleEditor(
    host,
    text,
    showFaults,
    () => void save(),
    (changed) => {
      draft.text = changed;
    },
  );
}
