import { api, outcome, problemText, session } from '../api.ts';
import { announce, h, message, render } from '../dom.ts';
import { draft } from '../draft.ts';
import { isRuleset } from '../ruleset.ts';
import { describeRuleset } from '../words.ts';

/** Presets side by side, each described from its own rules, with a one-click switch. */
export async function presetsScreen(main: HTMLElement, notice?: HTMLElement) {
  const list = await outcome(api.GET('/v1/presets'));
  if (!list.ok) return render(main, h('h1', {}, 'Presets'), message('error', problemText(list.problem)));
  const rulesets = await Promise.all(
    list.data.presets.map((p) => outcome(api.GET('/v1/presets/{id}', { params: { path: { id: p.id } } }))),
  );
  const admin = session.role === 'admin';
  const active = admin ? await outcome(api.GET('/v1/policy')) : null;
  const activeId = active?.ok ? active.data.ruleset.id : null;

  const cards = list.data.presets.map((preset, i) => {
    const ruleset = rulesets[i];
    const headingId = `preset-${preset.id}`;
    const inUse = activeId === preset.id;
    return h(
      'article',
      { class: `card preset${inUse ? ' in-use' : ''}`, 'aria-labelledby': headingId },
      h('h2', { id: headingId }, preset.name, inUse ? h('span', { class: 'badge' }, 'In use') : null),
      !ruleset.ok
        ? message('error', problemText(ruleset.problem))
        : !isRuleset(ruleset.data)
          ? message('error', `The preset ${preset.id} does not pass the rule-set schema.`)
          : describeRuleset(ruleset.data).map((section) =>
              h(
                'section',
                {},
                h('h3', {}, section.title),
                h(
                  'ul',
                  {},
                  section.sentences.map((s) => h('li', {}, s)),
                ),
              ),
            ),
      admin
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              'aria-describedby': headingId,
              onclick: async () => {
                const saved = await outcome(api.PUT('/v1/policy', { body: { preset: preset.id } }));
                const note = saved.ok
                  ? message('ok', `Now using “${preset.name}”: version ${saved.data.version} is active.`)
                  : message('error', problemText(saved.problem));
                if (saved.ok) {
                  draft.text = null;
                  announce(`Now using ${preset.name}, version ${saved.data.version}`);
                }
                render(main);
                await presetsScreen(main, note);
              },
            },
            inUse ? `Switch to ${preset.name} again` : `Switch to ${preset.name}`,
          )
        : null,
    );
  });

  render(
    main,
    h('h1', {}, 'Presets'),
    h(
      'p',
      { class: 'lead' },
      active?.ok
        ? `Active policy: “${active.data.ruleset.name}”, version ${active.data.version}. Each preset below is described from its own rules; switching makes it the active policy as a new version (the old one stays in History).`
        : 'Each preset below is described from its own rules.',
    ),
    notice ?? null,
    h('div', { class: 'presets' }, cards),
  );
}
