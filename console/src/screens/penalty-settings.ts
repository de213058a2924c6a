import type { RulesetBody } from '../api.ts';
import { h } from '../dom.ts';

/**
 * The late-cancel and no-show pack's settings (issue 20) in the settings form: shown
 * when the rule set offers them (its settings carry `lateCancel`, as gymGO's preset
 * does), so an admin sets the window, outcomes, fees, forgiveness and excluded plans
 * without touching JSON. The service checks every value and names the field.
 */
type Settings = RulesetBody['settings'];
const outcomes: [string, string][] = [
  ['keep', 'No penalty (the usual rules decide)'],
  ['forfeit', 'Forfeit the credit'],
  ['forfeit_fee', 'Forfeit the credit and record a fee'],
];
const select = (id: string, options: [string, string][], label?: string) =>
  h('select', { id, 'aria-label': label }, ...options.map(([value, text]) => h('option', { value }, text)));
const number = (id: string, min: number, step: number | 'any') =>
  h('input', { id, type: 'number', min, step, inputmode: 'numeric', required: true });

export function penaltySettingsFields() {
  const windowHours = number('late-window', 0, 'any');
  const lateOutcome = select('late-outcome', outcomes);
  const lateFee = number('late-fee', 0, 1);
  const noShowOutcome = select('no-show-outcome', outcomes);
  const noShowFee = number('no-show-fee', 0, 1);
  const forgiveCount = number('forgive-count', 0, 1);
  const forgivePeriod = select(
    'forgive-period',
    [
      ['week', 'per week'],
      ['month', 'per month'],
    ],
    'Forgiveness period',
  );
  const excluded = h('input', { id: 'excluded-plans', type: 'text', 'aria-describedby': 'excluded-hint' });
  const fields: Record<string, HTMLInputElement | HTMLSelectElement> = {
    '/lateCancel/windowHours': windowHours,
    '/lateCancel/fee': lateFee,
    '/noShow/fee': noShowFee,
    '/forgiveness/count': forgiveCount,
    '/excludedPlans': excluded,
  };
  const element = h(
    'fieldset',
    { id: 'late-cancel-settings', class: 'penalty' },
    h('legend', {}, 'Late cancel and no-show'),
    h('label', { for: 'late-window' }, 'Late-cancel window (hours before the start)'),
    windowHours,
    h('label', { for: 'late-outcome' }, 'A late cancel'),
    lateOutcome,
    h('label', { for: 'late-fee' }, 'Late-cancel fee (cents, charged by your platform)'),
    lateFee,
    h('label', { for: 'no-show-outcome' }, 'A no-show'),
    noShowOutcome,
    h('label', { for: 'no-show-fee' }, 'No-show fee (cents, charged by your platform)'),
    noShowFee,
    h('label', { for: 'forgive-count' }, 'Late cancels forgiven'),
    h('div', { class: 'field-row' }, forgiveCount, forgivePeriod),
    h('label', { for: 'excluded-plans' }, 'Plans without penalties'),
    h('p', { class: 'hint', id: 'excluded-hint' }, 'Plan ids separated by commas, e.g. intro offers.'),
    excluded,
  );
  let shown = false;
  return {
    element,
    /** Fills the fields from the live settings; hides the fieldset when the rule set has no pack. */
    fill(settings: Settings) {
      shown = settings.lateCancel !== undefined;
      element.hidden = !shown;
      if (!settings.lateCancel) return;
      windowHours.value = String(settings.lateCancel.windowHours);
      lateOutcome.value = settings.lateCancel.outcome;
      lateFee.value = String(settings.lateCancel.fee);
      noShowOutcome.value = settings.noShow?.outcome ?? 'keep';
      noShowFee.value = String(settings.noShow?.fee ?? 0);
      forgiveCount.value = String(settings.forgiveness?.count ?? 0);
      forgivePeriod.value = settings.forgiveness?.period ?? 'month';
      excluded.value = (settings.excludedPlans ?? []).join(', ');
    },
    /** The settings to send, none when the fieldset is hidden. */
    body(): Partial<Settings> {
      if (!shown) return {};
      const outcome = (s: HTMLSelectElement) => s.value as 'keep' | 'forfeit' | 'forfeit_fee';
      return {
        lateCancel: {
          windowHours: Number(windowHours.value),
          outcome: outcome(lateOutcome),
          fee: Number(lateFee.value),
        },
        noShow: { outcome: outcome(noShowOutcome), fee: Number(noShowFee.value) },
        forgiveness: { count: Number(forgiveCount.value), period: forgivePeriod.value as 'week' | 'month' },
        excludedPlans: excluded.value
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id.length > 0),
      };
    },
    /** Marks the fields the service named. */
    markInvalid(paths: string[]) {
      for (const [path, field] of Object.entries(fields)) {
        if (paths.some((p) => p === path || p.startsWith(`${path}/`)))
          field.setAttribute('aria-invalid', 'true');
        else field.removeAttribute('aria-invalid');
      }
    },
  };
}
