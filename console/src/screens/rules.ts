import { api, type FieldError, outcome, type RulesetBody } from '../api.ts';
import { confirmChange, difference } from '../confirm.ts';
import { announce, h, message, render } from '../dom.ts';
import { activePolicy, draftText, onDraftChange, pretty, setDraft, unsaved } from '../draft.ts';
import { locatePointer } from '../editor/pointer.ts';
import { createRuleEditor, type ShownFault } from '../editor/setup.ts';
import { refusalText } from '../refusal.ts';
import { isRuleset } from '../ruleset.ts';
import { describeRuleset } from '../words.ts';
import { penaltySettingsFields } from './penalty-settings.ts';

/** Server pointers are into the request body (`/ruleset/...`); the editor holds the rule set itself. */
const intoDocument = (errors: FieldError[] | undefined) =>
  (errors ?? []).map((e) => ({
    message: e.message ?? 'is invalid',
    path: (e.path ?? '').replace(/^\/ruleset(?=\/|$)/, ''),
  }));

/** The size of a request body as sent (UTF-8), for a 413's message. */
const bytesOf = (body: unknown) => new Blob([JSON.stringify(body)]).size;

let stopMarking: (() => void) | undefined;

export async function rulesScreen(main: HTMLElement) {
  const active = await activePolicy();
  const text = await draftText();
  if (!active.ok || text === null) {
    return render(
      main,
      h('h1', {}, 'Rules'),
      message('error', active.ok ? 'Could not load the rule set.' : refusalText(active, 'Not loaded')),
    );
  }

  /** The live policy as this page last saw it: every line that names it reads from here. */
  let live = { version: active.data.version, name: active.data.ruleset.name };
  const activeLine = h('p', { class: 'lead', id: 'active-policy' });
  const showLive = (v: { version: number; ruleset: RulesetBody }) => {
    live = { version: v.version, name: v.ruleset.name };
    render(activeLine, `Active: “${live.name}”, version ${live.version}.`);
    zero.checked = v.ruleset.settings.zeroPriceUsesCredits;
    liveHolds = v.ruleset.settings.waitlistHoldsCredit;
    waitlistHolds.checked = liveHolds === true;
    threshold.value = String(v.ruleset.settings.unlimitedLabelThreshold);
    penalty.fill(v.ruleset.settings);
  };

  // Settings as a form: the two switches admins change most, without touching JSON.
  const zero = h('input', { id: 'zero-price', type: 'checkbox' });
  const waitlistHolds = h('input', { id: 'waitlist-holds', type: 'checkbox' });
  /** Absent in a rule set means off: the form leaves it absent until the admin turns it on. */
  let liveHolds: boolean | undefined;
  const threshold = h('input', {
    id: 'unlimited',
    type: 'number',
    min: 1,
    step: 1,
    inputmode: 'numeric',
    required: true,
    'aria-describedby': 'unlimited-hint',
  });
  const penalty = penaltySettingsFields();
  const settingsNote = h('div');
  const settingsForm = h(
    'form',
    {
      class: 'card settings',
      'aria-labelledby': 'settings-title',
      // The service checks the range and says which field is wrong in words; the
      // browser's own bubble would not name the range.
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const body = {
          zeroPriceUsesCredits: zero.checked,
          unlimitedLabelThreshold: Number(threshold.value),
          ...penalty.body(),
          ...(waitlistHolds.checked || liveHolds !== undefined
            ? { waitlistHoldsCredit: waitlistHolds.checked }
            : {}),
        };
        const saved = await outcome(api.PATCH('/v1/policy/settings', { body }));
        if (!saved.ok) {
          if (saved.problem.errors?.some((e) => e.path === '/unlimitedLabelThreshold'))
            threshold.setAttribute('aria-invalid', 'true');
          penalty.markInvalid((saved.problem.errors ?? []).map((e) => e.path ?? ''));
          return render(settingsNote, message('error', refusalText(saved, 'Settings not saved')));
        }
        threshold.removeAttribute('aria-invalid');
        penalty.markInvalid([]);
        const wasUnsaved = unsaved();
        showLive(saved.data);
        render(settingsNote, message('ok', `Settings saved: version ${saved.data.version} is active.`));
        announce(`Settings saved, version ${saved.data.version}`);
        // Keep the admin's unsaved edits; only the settings in the draft follow the save.
        setDraft({ base: pretty(saved.data.ruleset) });
        try {
          const current: unknown = JSON.parse(editor.text());
          // Only a JSON object has settings to replace; anything else is left to the admin too.
          if (current && typeof current === 'object' && !Array.isArray(current))
            editor.replace(
              wasUnsaved
                ? pretty({ ...current, settings: saved.data.ruleset.settings })
                : pretty(saved.data.ruleset),
            );
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
    h(
      'div',
      { class: 'field-row' },
      waitlistHolds,
      h('label', { for: 'waitlist-holds' }, 'Joining a waitlist holds a credit'),
    ),
    h(
      'p',
      { class: 'hint' },
      'On: a client who joins a full class has the credit the booking would take held until a seat opens or they leave. Off: the credit is chosen when a seat opens.',
    ),
    h('label', { for: 'unlimited' }, 'UNLIMITED label threshold'),
    h(
      'p',
      { class: 'hint', id: 'unlimited-hint' },
      'A purchase with more credits than this is labelled “UNLIMITED” (a whole number from 1 to 1 000 000).',
    ),
    threshold,
    penalty.element,
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Save settings')),
    settingsNote,
  );

  const faultList = h('div', { id: 'faults', 'aria-live': 'polite' });
  const plain = h('div', { class: 'plain' });
  const result = h('div', { id: 'result' });
  const tests = h('div', { id: 'tests' });
  const host = h('div', { class: 'editor-host' });
  const mark = h('span', { id: 'unsaved-mark', class: 'badge badge-warn' }, 'Unsaved changes');
  const markUnsaved = () => {
    mark.hidden = !unsaved();
  };
  /** The last refusal of the draft as it stands; cleared by the next edit. */
  let refusal: string | null = null;

  const goToLine = (line: number) => {
    const at = editor.view.state.doc.line(line);
    editor.view.dispatch({ selection: { anchor: at.from }, scrollIntoView: true });
    editor.view.focus();
  };

  /** What the live check found last; shown again under a refusal, never hidden by it. */
  let lastFaults: ShownFault[] = [];

  const showFaults = (faults: ShownFault[]) => {
    lastFaults = faults;
    // A refusal of this very draft leads, in words; "no faults" is never said after
    // one (issue 18: a 413 used to read as "0 faults").
    const refusedNote = refusal
      ? h('p', { class: 'msg msg-error' }, `The service refused this draft: ${refusal}`)
      : null;
    if (faults.length === 0) {
      render(faultList, refusedNote ?? h('p', { class: 'msg msg-ok' }, 'No faults found as you type.'));
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
      refusedNote,
      h('h3', {}, faults[0].source === 'server' ? 'The server refused the rule set' : 'Faults'),
      h(
        'ol',
        { class: 'faults' },
        faults.map((f) =>
          h(
            'li',
            { 'data-line': f.line, 'data-source': f.source },
            h('button', { type: 'button', class: 'link', onclick: () => goToLine(f.line) }, `Line ${f.line}`),
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

  /** A refusal: pointers pinned at their lines, anything else said in words in both places. */
  const refused = (failed: Parameters<typeof refusalText>[0], what: string, bytes: number) => {
    const pointers = failed.status === 422 ? intoDocument(failed.problem.errors) : [];
    if (pointers.length > 0) {
      const shown = editor.showServerFaults(pointers);
      showFaults(shown);
      return render(
        result,
        message(
          'error',
          `${what}: ${shown.length} fault${shown.length === 1 ? '' : 's'}, shown at their lines.`,
        ),
      );
    }
    refusal = refusalText(failed, what, bytes);
    render(result, message('error', refusal));
    showFaults(lastFaults);
  };

  const save = async () => {
    const ruleset = parsed();
    if (ruleset === undefined) return;
    // Someone (or another tab) may have changed the policy since this page showed it:
    // saving would replace their version, so ask first.
    const current = await activePolicy();
    if (!current.ok) return refused(current, 'Not saved', 0);
    if (current.data.version !== live.version) {
      const before = live.version;
      showLive(current.data);
      const go = await confirmChange({
        title: `Version ${current.data.version} is active now`,
        intro: `The active rule set changed since this page showed version ${before}: version ${current.data.version} (“${current.data.ruleset.name}”) is active now. Saving replaces it with your draft.`,
        difference:
          isRuleset(ruleset) && isRuleset(current.data.ruleset)
            ? difference(current.data.ruleset, ruleset)
            : undefined,
        confirm: `Replace version ${current.data.version} with my draft`,
      });
      if (!go) {
        render(
          result,
          message('info', `Not saved. Version ${current.data.version} is active; your draft is still here.`),
        );
        return;
      }
    }
    const body = { ruleset };
    const saved = await outcome(api.PUT('/v1/policy', { body }));
    if (!saved.ok) return refused(saved, 'Not saved', bytesOf(body));
    showLive(saved.data);
    setDraft({ base: editor.text() });
    render(result, message('ok', `Saved: version ${saved.data.version} is active.`));
    announce(`Saved, version ${saved.data.version}`);
  };

  const runTests = async () => {
    const ruleset = parsed();
    if (ruleset === undefined) return;
    const body = { ruleset };
    const run = await outcome(api.POST('/v1/policy/test', { body }));
    if (!run.ok) {
      render(tests);
      return refused(run, 'The tests could not run', bytesOf(body));
    }
    const { passed, failed } = run.data;
    const lineOf = (index: number) =>
      editor.view.state.doc.lineAt(locatePointer(editor.view.state, `/tests/${index}`).from).number;
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
              { class: t.passed ? 'pass' : 'fail', 'data-test': t.index },
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
                      `: expected ${t.expected.type}, the rules decided ${t.actual?.type ?? '?'}${t.actual?.rule ? ` (rule '${t.actual.rule}')` : ' (default)'}. `,
                      h(
                        'button',
                        { type: 'button', class: 'link', onclick: () => goToLine(lineOf(t.index)) },
                        `Go to line ${lineOf(t.index)}`,
                      ),
                    ),
              ),
            ),
          ),
        ),
      ),
    );
    announce(`Tests: ${passed} passed, ${failed} failed`);
  };

  const discard = async () => {
    if (!unsaved()) return render(result, message('info', 'There are no unsaved changes to discard.'));
    const fresh = await activePolicy();
    if (!fresh.ok) return render(result, message('error', refusalText(fresh, 'Not discarded')));
    let edited: unknown;
    try {
      edited = JSON.parse(editor.text());
    } catch {
      edited = undefined;
    }
    const go = await confirmChange({
      title: 'Discard your unsaved changes?',
      intro: `The editor goes back to the active rule set, “${fresh.data.ruleset.name}”, version ${fresh.data.version}. Your edits are lost; nothing changes for bookings.`,
      difference:
        isRuleset(edited) && isRuleset(fresh.data.ruleset)
          ? difference(edited, fresh.data.ruleset)
          : undefined,
      confirm: 'Discard my changes',
    });
    if (!go) return;
    showLive(fresh.data);
    const text = pretty(fresh.data.ruleset);
    setDraft({ base: text });
    editor.replace(text);
    render(result, message('info', 'The draft is the active rule set again.'));
  };

  render(
    main,
    h('h1', {}, 'Rules'),
    activeLine,
    settingsForm,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'editor-title' },
      h('h2', { id: 'editor-title' }, 'Rule set ', mark),
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
        h('button', { type: 'button', onclick: () => void discard() }, 'Discard changes'),
      ),
      result,
      faultList,
      tests,
      plain,
    ),
  );
  showLive(active.data);
  // The draft follows every change, so Simulate runs what is on screen.
  const editor = createRuleEditor(
    host,
    text,
    showFaults,
    () => void save(),
    (changed) => {
      refusal = null;
      setDraft({ text: changed });
    },
  );
  stopMarking?.();
  stopMarking = onDraftChange(markUnsaved);
  markUnsaved();
}
