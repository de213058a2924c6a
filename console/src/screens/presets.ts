import { api, outcome, session } from '../api.ts';
import { confirmChange, difference } from '../confirm.ts';
import { announce, h, message, render } from '../dom.ts';
import { dropDraft, unsaved } from '../draft.ts';
import { refusalText } from '../refusal.ts';
import { isRuleset } from '../ruleset.ts';
import { describeRuleset, sectionTitles } from '../words.ts';

/**
 * Presets side by side, each described from its own rules, every card with the same
 * topics in the same rows (a topic a preset has no rule for says so), so they
 * compare line by line. Switching asks first, with what changes in plain words.
 */
export async function presetsScreen(main: HTMLElement, notice?: HTMLElement) {
  const list = await outcome(api.GET('/v1/presets'));
  if (!list.ok)
    return render(main, h('h1', {}, 'Presets'), message('error', refusalText(list, 'Not loaded')));
  const rulesets = await Promise.all(
    list.data.presets.map((p) => outcome(api.GET('/v1/presets/{id}', { params: { path: { id: p.id } } }))),
  );
  const admin = session.role === 'admin';
  // Admins read the whole active rule set (to say what a switch changes); staff its name.
  const active = admin ? await outcome(api.GET('/v1/policy')) : null;
  const summary = await outcome(api.GET('/v1/active-policy'));
  const activeId = summary.ok ? summary.data.id : null;

  const switchTo = async (preset: { id: string; name: string }, target: unknown) => {
    const current = active?.ok ? active.data.ruleset : null;
    const go = await confirmChange({
      title: `Switch to ${preset.name}?`,
      intro: `Bookings will be decided by “${preset.name}” from now on, as a new version${summary.ok ? ` (version ${summary.data.version}, “${summary.data.name}”, stays in History)` : ''}.`,
      difference:
        current && isRuleset(current) && isRuleset(target) ? difference(current, target) : undefined,
      notes: unsaved() ? ['Your unsaved edits in the Rules editor will be replaced by this preset.'] : [],
      confirm: `Switch to ${preset.name}`,
    });
    if (!go) return;
    const saved = await outcome(api.PUT('/v1/policy', { body: { preset: preset.id } }));
    const note = saved.ok
      ? message('ok', `Now using “${preset.name}”: version ${saved.data.version} is active.`)
      : message('error', refusalText(saved, 'Not switched'));
    if (saved.ok) {
      dropDraft();
      announce(`Now using ${preset.name}, version ${saved.data.version}`);
    }
    render(main);
    await presetsScreen(main, note);
  };

  const titles = sectionTitles;
  const cards = list.data.presets.map((preset, i) => {
    const ruleset = rulesets[i];
    const headingId = `preset-${preset.id}`;
    const inUse = activeId === preset.id;
    const sections =
      ruleset.ok && isRuleset(ruleset.data)
        ? new Map(describeRuleset(ruleset.data).map((s) => [s.title, s.sentences]))
        : null;
    return h(
      'article',
      {
        class: `card preset${inUse ? ' in-use' : ''}`,
        'aria-labelledby': headingId,
        style: `grid-row: span ${titles.length + 2}`,
      },
      h('h2', { id: headingId }, preset.name, inUse ? h('span', { class: 'badge' }, 'In use') : null),
      !ruleset.ok
        ? message('error', refusalText(ruleset, 'Not loaded'))
        : !sections
          ? message('error', `The preset ${preset.id} does not pass the rule-set schema.`)
          : titles.map((title) =>
              h(
                'section',
                {},
                h('h3', {}, title),
                h(
                  'ul',
                  {},
                  (sections.get(title) ?? ['No rule of this preset decides this.']).map((s) =>
                    h('li', {}, s),
                  ),
                ),
              ),
            ),
      admin
        ? h(
            'div',
            { class: 'preset-action' },
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'aria-describedby': headingId,
                onclick: () => void switchTo(preset, ruleset.ok ? ruleset.data : null),
              },
              inUse ? `Switch to ${preset.name} again` : `Switch to ${preset.name}`,
            ),
          )
        : h('div'),
    );
  });

  render(
    main,
    h('h1', {}, 'Presets'),
    h(
      'p',
      { class: 'lead', id: 'active-policy' },
      summary.ok
        ? `Active policy: “${summary.data.name}”, version ${summary.data.version}. Each preset below is described from its own rules${admin ? '; switching makes it the active policy as a new version (the old one stays in History)' : ''}.`
        : 'Each preset below is described from its own rules.',
    ),
    notice ?? null,
    h('div', { class: 'presets' }, cards),
  );
}
