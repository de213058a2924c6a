import { api, outcome } from '../api.ts';
import { announce, h, message, render } from '../dom.ts';
import { fieldText, refusalText } from '../refusal.ts';
import type { Plan } from '../shapes.ts';

type Cap = NonNullable<Plan['cap']>;

const periods: Record<Cap['period'], string> = { day: 'a day', week: 'a week', month: 'a month' };

/** A plan's visit cap in words: "3 visits a week (calendar weeks); over it: refused; 1 unused carries over". */
export function capText(cap: Plan['cap']): string {
  if (!cap) return 'No cap';
  const start =
    cap.anchor === 'purchase'
      ? "periods from the purchase's start"
      : cap.period === 'week'
        ? 'weeks from Monday'
        : cap.period === 'month'
          ? 'calendar months'
          : 'calendar days';
  return [
    `${cap.count} visit${cap.count === 1 ? '' : 's'} ${periods[cap.period]} (${start})`,
    cap.mode === 'no_credit' ? 'over it: booked without a credit' : 'over it: refused',
    cap.rollover ? `up to ${cap.rollover.max} unused carried over` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

const orNone = (n: number | null, words: (n: number) => string, none: string) =>
  n === null ? none : words(n);
const freezeText = (p: Plan) => orNone(p.maxFreezeDays, (n) => `${n} days in all`, 'No limit');
const lowText = (p: Plan) => orNone(p.lowBalanceAt, (n) => `at ${n} left`, 'Off');
const expiringText = (p: Plan) => orNone(p.expiringNoticeDays, (n) => `${n} days before`, 'Off');

/** The fields of the form, by the pointer a 422 names them with. */
const fieldIds: Record<string, string> = {
  '/cap/count': 'plan-cap-count',
  '/cap/period': 'plan-cap-period',
  '/cap/anchor': 'plan-cap-anchor',
  '/cap/mode': 'plan-cap-mode',
  '/cap/rollover/max': 'plan-cap-rollover',
  '/maxFreezeDays': 'plan-max-freeze',
  '/lowBalanceAt': 'plan-low-balance',
  '/expiringNoticeDays': 'plan-expiring',
};

/**
 * Issue 20's plan settings: a plan's visit cap, its freeze limit and its two alerts,
 * set with `PATCH /v1/plans/{id}`. An empty number turns the setting off (null); a
 * 422 is said in words at the field it names.
 */
export async function plansScreen(main: HTMLElement) {
  const listed = await outcome(api.GET('/v1/plans'));
  render(
    main,
    h('h1', {}, 'Plans'),
    h(
      'p',
      { class: 'lead' },
      "Each plan's visit cap, freeze limit and alerts. A change acts on every purchase of the plan from the next booking on, purchases already sold included.",
    ),
  );
  if (!listed.ok) return main.append(message('error', refusalText(listed, 'The plans could not be loaded')));
  const plans = listed.data.plans;
  if (plans.length === 0) return main.append(h('p', {}, 'This business has no plans yet.'));
  const editor = h('div', { id: 'plan-editor' });
  main.append(
    h(
      'table',
      { class: 'plans' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Plan', 'Credits', 'Visit cap', 'Freezes', 'Low-balance alert', 'Expiry notice', ''].map((t) =>
            h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Edit')),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        plans.map((p) =>
          h(
            'tr',
            { 'data-plan': p.id },
            h('th', { scope: 'row' }, p.name, h('div', { class: 'hint' }, p.id)),
            h('td', {}, p.unlimited ? 'Unlimited' : String(p.credits)),
            h('td', { class: 'plan-cap' }, capText(p.cap)),
            h('td', { class: 'plan-freeze' }, freezeText(p)),
            h('td', { class: 'plan-low' }, lowText(p)),
            h('td', { class: 'plan-expiring' }, expiringText(p)),
            h(
              'td',
              {},
              h('button', { type: 'button', onclick: () => editPlan(p, editor, main) }, `Edit ${p.name}`),
            ),
          ),
        ),
      ),
    ),
    editor,
  );
}

function editPlan(p: Plan, editor: HTMLElement, main: HTMLElement) {
  const number = (id: string, value: number | null | undefined, hint: string) => [
    h('input', {
      id,
      type: 'number',
      step: 1,
      inputmode: 'numeric',
      value: value ?? '',
      'aria-describedby': `${id}-hint ${id}-error`,
    }),
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
    h('p', { class: 'field-error', id: `${id}-error` }),
  ];
  const select = (id: string, options: [string, string][], value: string) =>
    h(
      'select',
      { id, 'aria-describedby': `${id}-error` },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
    );
  const errorSlot = (id: string) => h('p', { class: 'field-error', id: `${id}-error` });
  const cap = p.cap;
  const note = h('div', { id: 'plan-note' });
  const form = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        void save();
      },
    },
    h('h2', { id: 'plan-form-title', tabindex: -1 }, `Settings of ${p.name} (${p.id})`),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Visit cap'),
      h('label', { for: 'plan-cap-count' }, 'Visits per period'),
      ...number('plan-cap-count', cap?.count, 'Empty: no cap.'),
      h('label', { for: 'plan-cap-period' }, 'Period'),
      select(
        'plan-cap-period',
        [
          ['day', 'Day'],
          ['week', 'Week'],
          ['month', 'Month'],
        ],
        cap?.period ?? 'week',
      ),
      errorSlot('plan-cap-period'),
      h('label', { for: 'plan-cap-anchor' }, 'Periods start'),
      select(
        'plan-cap-anchor',
        [
          ['calendar', 'On the calendar (weeks from Monday, calendar months)'],
          ['purchase', "On the purchase's start date"],
        ],
        cap?.anchor ?? 'calendar',
      ),
      errorSlot('plan-cap-anchor'),
      h('label', { for: 'plan-cap-mode' }, 'Over the cap, when no other purchase can pay'),
      select(
        'plan-cap-mode',
        [
          ['refuse', 'Refuse the booking'],
          ['no_credit', 'Book it without a credit'],
        ],
        cap?.mode ?? 'refuse',
      ),
      errorSlot('plan-cap-mode'),
      h('label', { for: 'plan-cap-rollover' }, 'Unused visits carried over'),
      ...number(
        'plan-cap-rollover',
        cap?.rollover?.max,
        "At most this many of the previous period's unused visits. Empty: none.",
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Freezes and alerts'),
      h('label', { for: 'plan-max-freeze' }, 'Most frozen days in all'),
      ...number('plan-max-freeze', p.maxFreezeDays, 'Per purchase. Empty: no limit.'),
      h('label', { for: 'plan-low-balance' }, 'Low-balance alert at (credits left)'),
      ...number(
        'plan-low-balance',
        p.lowBalanceAt,
        'Sends credits.low when a purchase falls to this. Empty: off.',
      ),
      h('label', { for: 'plan-expiring' }, 'Expiry notice (days before)'),
      ...number(
        'plan-expiring',
        p.expiringNoticeDays,
        'Sends credits.expiring this many days before a purchase expires. Empty: off.',
      ),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Save plan'),
    note,
  );
  const input = (id: string) => form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement;
  /** An empty field is null (off); anything else goes as typed, for the service to judge. */
  const numberOf = (id: string) => {
    const raw = input(id).value.trim();
    return raw === '' ? null : Number(raw);
  };
  const mark = (faults: { path?: string; text: string }[]) => {
    for (const [path, id] of Object.entries(fieldIds)) {
      const mine = faults.filter((f) => f.path === path);
      const field = input(id);
      if (mine.length) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
      render(form.querySelector(`#${id}-error`) as HTMLElement, mine.map((f) => f.text).join(' '));
    }
  };
  const save = async () => {
    const count = numberOf('plan-cap-count');
    const rollover = numberOf('plan-cap-rollover');
    const body = {
      cap:
        count === null
          ? null
          : {
              count,
              period: input('plan-cap-period').value as Cap['period'],
              anchor: input('plan-cap-anchor').value as Cap['anchor'],
              mode: input('plan-cap-mode').value as Cap['mode'],
              ...(rollover === null ? {} : { rollover: { max: rollover } }),
            },
      maxFreezeDays: numberOf('plan-max-freeze'),
      lowBalanceAt: numberOf('plan-low-balance'),
      expiringNoticeDays: numberOf('plan-expiring'),
    };
    render(note, h('p', { role: 'status' }, 'Saving…'));
    const saved = await outcome(api.PATCH('/v1/plans/{id}', { params: { path: { id: p.id } }, body }));
    if (!saved.ok) {
      // A field that may also be null gets "must be null" from that other branch too: noise.
      const all = saved.problem.errors ?? [];
      const errors = all.filter(
        (e) => e.message !== 'must be null' || !all.some((o) => o !== e && o.path === e.path),
      );
      mark(saved.status === 422 ? errors.map((e) => ({ path: e.path, text: fieldText(e) })) : []);
      return render(
        note,
        message(
          'error',
          refusalText({ ...saved, problem: { ...saved.problem, errors } }, `${p.name} not saved`),
        ),
      );
    }
    mark([]);
    const plan = saved.data;
    const row = main.querySelector(`tr[data-plan="${CSS.escape(plan.id)}"]`);
    if (row) {
      render(row.querySelector('.plan-cap') as HTMLElement, capText(plan.cap));
      render(row.querySelector('.plan-freeze') as HTMLElement, freezeText(plan));
      render(row.querySelector('.plan-low') as HTMLElement, lowText(plan));
      render(row.querySelector('.plan-expiring') as HTMLElement, expiringText(plan));
    }
    announce(`${plan.name} saved`);
    render(
      note,
      message(
        'ok',
        `Saved: ${plan.name}. Visit cap: ${capText(plan.cap)}. Freezes: ${freezeText(plan)}. Low-balance alert: ${lowText(plan)}. Expiry notice: ${expiringText(plan)}.`,
      ),
    );
  };
  render(editor, form);
  (form.querySelector('#plan-form-title') as HTMLElement).focus();
}
