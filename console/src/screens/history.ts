import { diffLines } from 'diff';
import { api, outcome } from '../api.ts';
import { confirmChange, difference } from '../confirm.ts';
import { announce, h, message, render, when } from '../dom.ts';
import { dropDraft, pretty, unsaved } from '../draft.ts';
import { refusalText } from '../refusal.ts';
import { isRuleset } from '../ruleset.ts';
import type { PolicyVersionDetail } from '../shapes.ts';

type Row = { left?: [number, string]; right?: [number, string]; kind: 'same' | 'changed' };

/** Pairs removed and added lines side by side; unchanged lines sit on both sides. */
function sideBySide(a: string, b: string): Row[] {
  const rows: Row[] = [];
  let l = 1;
  let r = 1;
  const parts = diffLines(a, b);
  for (let i = 0; i < parts.length; i++) {
    const lines = (p: { value: string }) => p.value.replace(/\n$/, '').split('\n');
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const line of lines(part)) rows.push({ left: [l++, line], right: [r++, line], kind: 'same' });
      continue;
    }
    const removed = part.removed ? lines(part) : [];
    const next = part.removed && parts[i + 1]?.added ? parts[++i] : null;
    const added = part.added ? lines(part) : next ? lines(next) : [];
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({
        left: k < removed.length ? [l++, removed[k]] : undefined,
        right: k < added.length ? [r++, added[k]] : undefined,
        kind: 'changed',
      });
    }
  }
  return rows;
}

async function compare(a: number, b: number, out: HTMLElement) {
  const [left, right] = await Promise.all(
    [a, b].map((v) =>
      outcome(api.GET('/v1/policy/versions/{version}', { params: { path: { version: String(v) } } })),
    ),
  );
  if (!left.ok) return render(out, message('error', refusalText(left, `Version ${a} not loaded`)));
  if (!right.ok) return render(out, message('error', refusalText(right, `Version ${b} not loaded`)));
  // Each side exactly as the Rules editor shows that version, so a line number here
  // is the same line there.
  const text = (v: PolicyVersionDetail) => pretty(v.ruleset).replace(/\n$/, '');
  const rows = sideBySide(text(left.data), text(right.data));
  const changed = rows.filter((x) => x.kind === 'changed').length;
  /** A removed line (left) and an added one (right) differ in colour, not only in the − / + mark. */
  const cell = (side: [number, string] | undefined, kind: 'same' | 'del' | 'add') =>
    side
      ? [
          h('td', { class: 'num' }, side[0]),
          h(
            'td',
            { class: `code ${kind}` },
            kind === 'same' ? null : h('span', { class: 'mark' }, kind === 'del' ? '− ' : '+ '),
            side[1],
          ),
        ]
      : [h('td', { class: 'num' }), h('td', { class: 'code empty' })];
  render(
    out,
    h(
      'p',
      {},
      changed
        ? `${changed} line${changed === 1 ? '' : 's'} differ between version ${a} and version ${b}.`
        : `Versions ${a} and ${b} have the same content.`,
    ),
    h(
      'div',
      {
        class: 'diff-scroll',
        tabindex: 0,
        role: 'region',
        'aria-label': `Differences between version ${a} and version ${b}`,
      },
      h(
        'table',
        { class: 'diff' },
        h(
          'caption',
          { class: 'visually-hidden' },
          `Version ${a} on the left, version ${b} on the right; − marks removed lines (red), + added ones (green); line numbers are the Rules editor's`,
        ),
        // Fixed layout takes column widths from here, not from the two-column header.
        h('colgroup', {}, h('col', { class: 'num' }), h('col'), h('col', { class: 'num' }), h('col')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', colspan: 2 }, `Version ${a}`),
            h('th', { scope: 'col', colspan: 2 }, `Version ${b}`),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((row) =>
            h(
              'tr',
              { class: row.kind },
              cell(row.left, row.kind === 'changed' ? 'del' : 'same'),
              cell(row.right, row.kind === 'changed' ? 'add' : 'same'),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Every version with who, when and hash; a diff between any two; rollback. */
export async function historyScreen(main: HTMLElement, notice?: HTMLElement) {
  const listed = await outcome(api.GET('/v1/policy/versions'));
  if (!listed.ok)
    return render(main, h('h1', {}, 'History'), message('error', refusalText(listed, 'Not loaded')));
  const { active, versions } = listed.data;
  const newestFirst = [...versions].reverse();
  const options = (selected: number) =>
    newestFirst.map((v) =>
      h('option', { value: v.version, selected: v.version === selected }, `Version ${v.version}`),
    );
  const left = h('select', { id: 'diff-left' }, options(newestFirst[1]?.version ?? active));
  const right = h('select', { id: 'diff-right' }, options(active));
  const diffOut = h('div', { id: 'diff', 'aria-live': 'polite' });

  const rollback = async (version: number) => {
    const [target, current] = await Promise.all([
      outcome(api.GET('/v1/policy/versions/{version}', { params: { path: { version: String(version) } } })),
      outcome(api.GET('/v1/policy')),
    ]);
    if (!target.ok || !current.ok) {
      const failed = !target.ok ? target : current;
      if (!failed.ok)
        render(
          main.querySelector('#history-note') ?? main,
          message('error', refusalText(failed, 'Not rolled back')),
        );
      return;
    }
    const go = await confirmChange({
      title: `Roll back to version ${version}?`,
      intro: `Bookings will be decided by version ${version} (“${target.data.ruleset.name}”) again, as a new version; version ${current.data.version} (“${current.data.ruleset.name}”), active now, stays in History.`,
      difference:
        isRuleset(current.data.ruleset) && isRuleset(target.data.ruleset)
          ? difference(current.data.ruleset, target.data.ruleset)
          : undefined,
      notes: unsaved() ? ['Your unsaved edits in the Rules editor will be replaced by this version.'] : [],
      confirm: `Roll back to version ${version}`,
    });
    if (!go) return;
    const saved = await outcome(api.POST('/v1/policy/rollback', { body: { version } }));
    const note = saved.ok
      ? message('ok', `Version ${version} is active again, as version ${saved.data.version}.`)
      : message('error', refusalText(saved, 'Not rolled back'));
    if (saved.ok) {
      dropDraft();
      announce(`Rolled back: version ${saved.data.version} is active`);
    }
    render(main);
    await historyScreen(main, note);
  };

  render(
    main,
    h('h1', {}, 'History'),
    h(
      'p',
      { class: 'lead' },
      'Every change makes a new version; rolling back makes an old version active again as a new one, so nothing is lost.',
    ),
    h('div', { id: 'history-note' }, notice ?? null),
    h(
      'table',
      { class: 'versions' },
      h('caption', { class: 'visually-hidden' }, 'Rule-set versions, newest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Version', 'Saved', 'By', 'Change', 'Hash', ''].map((t) =>
            h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Action')),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        newestFirst.map((v) =>
          h(
            'tr',
            { class: v.version === active ? 'in-use' : '' },
            h(
              'th',
              { scope: 'row' },
              `${v.version}`,
              v.version === active ? h('span', { class: 'badge' }, 'Active') : null,
            ),
            h('td', {}, when(v.createdAt)),
            h('td', {}, v.actor),
            h('td', {}, v.note ?? ''),
            h('td', {}, h('code', { title: v.hash }, v.hash.slice(0, 12))),
            h(
              'td',
              {},
              v.version === active
                ? null
                : h(
                    'button',
                    { type: 'button', onclick: () => void rollback(v.version) },
                    `Roll back to version ${v.version}`,
                  ),
            ),
          ),
        ),
      ),
    ),
    h(
      'form',
      {
        class: 'card inline-form',
        'aria-labelledby': 'compare-title',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void compare(Number(left.value), Number(right.value), diffOut);
        },
      },
      h('h2', { id: 'compare-title' }, 'Compare two versions'),
      h('div', {}, h('label', { for: 'diff-left' }, 'Left'), left),
      h('div', {}, h('label', { for: 'diff-right' }, 'Right'), right),
      h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Compare')),
    ),
    diffOut,
  );
}
