import { api, outcome } from '../api.ts';
import { announce, h, message, render, when } from '../dom.ts';
import { refusalText } from '../refusal.ts';
import type { Purchase } from '../shapes.ts';

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
