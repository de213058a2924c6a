import { api, outcome } from '../api.ts';
import { confirmChange } from '../confirm.ts';
import { announce, h, message, render, when } from '../dom.ts';
import { actionRefusal, refusalText } from '../refusal.ts';
import type { Freeze, Purchase } from '../shapes.ts';

/**
 * Issue 20: freeze a purchase from the front desk. A modal asks for the local dates
 * (both frozen) and a reason; the answer's new expiry is said in words, a refusal
 * (overlap, too many days) with the server's own message.
 */
export async function freezePurchase(
  p: Purchase,
  note: HTMLElement,
  reload: (notice: HTMLElement) => Promise<void>,
) {
  const field = (id: string, label: string, type: string) => [
    h('label', { for: id }, label),
    h('input', { id, type, required: true }),
  ];
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': `freeze-${p.id}-title` },
    h('h2', { id: `freeze-${p.id}-title` }, `Freeze ${p.planName} (${p.id})?`),
    h('p', {}, 'It pays for nothing that starts on these days, and its expiry moves by the days frozen.'),
    ...field(`freeze-${p.id}-from`, 'First frozen day', 'date'),
    ...field(`freeze-${p.id}-to`, 'Last frozen day', 'date'),
    ...field(`freeze-${p.id}-reason`, 'Reason', 'text'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', autofocus: true, onclick: () => dialog.close('cancel') }, 'Cancel'),
      h('button', { type: 'button', class: 'primary', onclick: () => dialog.close('freeze') }, 'Freeze it'),
    ),
  );
  document.body.append(dialog);
  const answer = await new Promise<string>((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue));
    dialog.showModal();
  });
  const value = (suffix: string) =>
    (dialog.querySelector(`#freeze-${p.id}-${suffix}`) as HTMLInputElement).value.trim();
  const body = { from: value('from'), to: value('to'), reason: value('reason') };
  dialog.remove();
  if (answer !== 'freeze') return;
  const frozen = await outcome(
    api.POST('/v1/purchases/{id}/freeze', { params: { path: { id: p.id } }, body }),
  );
  if (!frozen.ok) return render(note, message('error', refusalText(frozen, 'Not frozen')));
  const expires = frozen.data.purchase.expiresAt;
  announce(`Frozen ${body.from} to ${body.to}`);
  await reload(
    message(
      'ok',
      `Frozen from ${body.from} to ${body.to} (${frozen.data.freeze.days} days). ${
        expires ? `It now expires ${when(expires)}.` : 'It never expires.'
      }`,
    ),
  );
}

const freezeStatus = (f: Freeze) =>
  f.unfrozenAt === null
    ? 'Not ended'
    : f.days === 0
      ? `Undone ${when(f.unfrozenAt)}${f.unfreezeReason ? ` (${f.unfreezeReason})` : ''}`
      : `Ended early ${when(f.unfrozenAt)}${f.unfreezeReason ? ` (${f.unfreezeReason})` : ''}`;

/**
 * A purchase's freezes (from, to, days, reason, whether ended) with **Unfreeze** on
 * each one not ended: it asks first, then says the days kept and the new expiry.
 */
export async function showFreezes(
  p: Purchase,
  out: HTMLElement,
  note: HTMLElement,
  reload: (notice: HTMLElement) => Promise<void>,
) {
  const listed = await outcome(api.GET('/v1/purchases/{id}/freezes', { params: { path: { id: p.id } } }));
  if (!listed.ok)
    return render(out, message('error', refusalText(listed, 'The freezes could not be loaded')));
  const { freezes, frozenDays } = listed.data;
  render(
    out,
    h('h3', { id: 'freezes-title', tabindex: -1 }, `Freezes of ${p.planName} (${p.id})`),
    freezes.length === 0
      ? h('p', {}, 'This purchase has never been frozen.')
      : [
          h('p', {}, `${frozenDays} day${frozenDays === 1 ? '' : 's'} frozen in all.`),
          h(
            'table',
            { 'aria-labelledby': 'freezes-title', class: 'freezes' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['From', 'To', 'Days', 'Reason', 'Status', ''].map((t) =>
                  h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Unfreeze')),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              freezes.map((f) =>
                h(
                  'tr',
                  { 'data-freeze': f.id },
                  h('td', {}, f.from),
                  h('td', {}, f.to),
                  h('td', {}, f.days),
                  h('td', {}, f.reason),
                  h('td', {}, freezeStatus(f)),
                  h(
                    'td',
                    {},
                    f.unfrozenAt === null
                      ? h(
                          'button',
                          { type: 'button', onclick: () => void unfreeze(p, f, note, reload) },
                          `Unfreeze ${f.from} to ${f.to}`,
                        )
                      : null,
                  ),
                ),
              ),
            ),
          ),
        ],
  );
  (out.querySelector('#freezes-title') as HTMLElement | null)?.focus();
}

async function unfreeze(
  p: Purchase,
  f: Freeze,
  note: HTMLElement,
  reload: (notice: HTMLElement) => Promise<void>,
) {
  const go = await confirmChange({
    title: `Unfreeze ${p.planName} (${p.id})?`,
    intro: `The freeze from ${f.from} to ${f.to} (${f.reason}) ends today: it pays again from today, and its expiry keeps only the days already frozen. A freeze not begun yet is undone.`,
    confirm: 'Unfreeze',
  });
  if (!go) return;
  const ended = await outcome(
    api.POST('/v1/purchases/{id}/unfreeze', { params: { path: { id: p.id } }, body: { freezeId: f.id } }),
  );
  if (!ended.ok) return render(note, message('error', actionRefusal(ended, 'Not unfrozen')));
  const { freeze, purchase } = ended.data;
  const expires = purchase.expiresAt ? `It now expires ${when(purchase.expiresAt)}.` : 'It never expires.';
  announce(`Unfrozen ${p.id}`);
  await reload(
    message(
      'ok',
      freeze.days === 0
        ? `Unfrozen: the freeze from ${f.from} to ${f.to} is undone (0 days frozen). ${expires}`
        : `Unfrozen: ${p.planName} (${p.id}) was frozen from ${freeze.from} to ${freeze.to} (${freeze.days} day${freeze.days === 1 ? '' : 's'}). ${expires}`,
    ),
  );
}
