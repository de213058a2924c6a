/**
 * Asking before a change that alters billing (switch preset, roll back, discard,
 * move a reservation's credit): a modal <dialog> that says in plain words what will
 * differ, with Cancel focused first so Enter never confirms by accident.
 */
import { h } from './dom.ts';
import type { Ruleset } from './ruleset.ts';
import { describeRuleset } from './words.ts';

export interface Difference {
  /** Sentences, by topic, that apply now and would stop applying. */
  removed: { section: string; sentence: string }[];
  /** Sentences, by topic, that would start applying. */
  added: { section: string; sentence: string }[];
}

/** What changes for bookings between two rule sets, as the sentences each is described by. */
export function difference(from: Ruleset, to: Ruleset): Difference {
  const flat = (r: Ruleset) =>
    describeRuleset(r).flatMap((s) => s.sentences.map((sentence) => ({ section: s.title, sentence })));
  const key = (x: { section: string; sentence: string }) => `${x.section}\u0000${x.sentence}`;
  const before = flat(from);
  const after = flat(to);
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  return {
    removed: before.filter((x) => !has.has(key(x))),
    added: after.filter((x) => !had.has(key(x))),
  };
}

let open = 0;

export function confirmChange(options: {
  title: string;
  intro: string;
  difference?: Difference;
  /** More to know, e.g. that unsaved edits will be replaced. */
  notes?: string[];
  confirm: string;
}): Promise<boolean> {
  const id = `confirm-${++open}`;
  const { difference: diff } = options;
  const list = (title: string, items: Difference['added'], kind: 'add' | 'del') =>
    items.length
      ? h(
          'section',
          { class: `change change-${kind}` },
          h('h3', {}, title),
          h(
            'ul',
            {},
            items.map((x) => h('li', {}, h('span', { class: 'hint' }, `${x.section}: `), x.sentence)),
          ),
        )
      : null;
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', autofocus: true }, 'Cancel');
    const ok = h('button', { type: 'button', class: 'primary' }, options.confirm);
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-intro` },
      h('h2', { id: `${id}-title` }, options.title),
      h('p', { id: `${id}-intro` }, options.intro),
      diff
        ? diff.added.length + diff.removed.length === 0
          ? h('p', {}, 'In plain words nothing changes: the rules read the same.')
          : [list('Stops applying', diff.removed, 'del'), list('Starts applying', diff.added, 'add')]
        : null,
      (options.notes ?? []).map((n) => h('p', { class: 'msg msg-info' }, n)),
      h('div', { class: 'actions' }, cancel, ok),
    );
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
