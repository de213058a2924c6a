import { api, outcome } from '../api.ts';
import { announce, h, message, render } from '../dom.ts';
import { actionRefusal, refusalText } from '../refusal.ts';
import type { Purchase } from '../shapes.ts';

interface Picked {
  id: string;
  name: string;
}

/**
 * Find a client by the start of a name or email (GET /v1/clients) and pick one of the
 * first page found. Used inside a dialog, so nothing in it submits a form.
 */
export function clientPicker(prefix: string, label: string) {
  const input = h('input', {
    id: `${prefix}-q`,
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${prefix}-hint`,
  });
  const select = h('select', { id: `${prefix}-found` });
  const foundWrap = h(
    'div',
    { hidden: true },
    h('label', { for: `${prefix}-found` }, 'Clients found'),
    select,
  );
  const status = h('p', { role: 'status', class: 'hint' });
  let found: Picked[] = [];
  const search = async () => {
    const q = input.value.trim();
    const answer = await outcome(api.GET('/v1/clients', { params: { query: { q } } }));
    if (!answer.ok) {
      foundWrap.hidden = true;
      return render(status, refusalText(answer, 'The search failed'));
    }
    found = answer.data.clients.map((c) => ({ id: c.id, name: c.name }));
    render(
      select,
      answer.data.clients.map((c) =>
        h('option', { value: c.id }, `${c.name}${c.email ? ` · ${c.email}` : ''} · id ${c.id}`),
      ),
    );
    foundWrap.hidden = found.length === 0;
    render(
      status,
      found.length === 0
        ? `No client's name or email starts with “${q}”.`
        : `${found.length} client${found.length === 1 ? '' : 's'} found.`,
    );
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void search();
    }
  });
  const element = h(
    'div',
    { class: 'picker' },
    h('label', { for: `${prefix}-q` }, label),
    h(
      'div',
      { class: 'field-row' },
      input,
      h('button', { type: 'button', onclick: () => void search() }, 'Find'),
    ),
    h('p', { class: 'hint', id: `${prefix}-hint` }, 'The start of a name or an email.'),
    status,
    foundWrap,
  );
  return {
    element,
    chosen: (): Picked | null =>
      foundWrap.hidden ? null : (found.find((c) => c.id === select.value) ?? null),
  };
}

/** Shows a modal dialog until one of its closing buttons; resolves with that button's value. */
function ask(dialog: HTMLDialogElement): Promise<string> {
  document.body.append(dialog);
  return new Promise<string>((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue);
      dialog.remove();
    });
    dialog.showModal();
  });
}

/** A client's name for a list that gives only its id (the id when it cannot be read). */
export const nameOf = async (id: string) => {
  const c = await outcome(api.GET('/v1/clients/{id}', { params: { path: { id } } }));
  return c.ok ? c.data.name : id;
};

const capWords = (cap: number | null) =>
  cap === null ? 'no cap' : `at most ${cap} credit${cap === 1 ? '' : 's'} at once`;

/**
 * Share a purchase with a household (PUT /v1/purchases/{id}/members): the members,
 * picked by search, each with an optional cap. Saving replaces the members.
 */
export async function sharePurchase(
  p: Purchase,
  note: HTMLElement,
  reload: (notice: HTMLElement) => Promise<void>,
) {
  const members: { id: string; name: string; cap: HTMLInputElement }[] = [];
  const list = h('ul', { class: 'members', 'aria-label': 'Members' });
  const empty = h('p', {}, 'No members: the purchase is not shared.');
  const prefix = `share-${p.id}`;
  const draw = () => {
    empty.hidden = members.length > 0;
    render(
      list,
      members.map((m) =>
        h(
          'li',
          { 'data-member': m.id },
          h('span', { class: 'member-name' }, `${m.name} (${m.id})`),
          h('label', { for: m.cap.id }, `Most credits for ${m.name}`),
          m.cap,
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                members.splice(members.indexOf(m), 1);
                draw();
              },
            },
            `Remove ${m.name}`,
          ),
        ),
      ),
    );
  };
  const add = (id: string, name: string, cap: number | null) => {
    if (members.some((m) => m.id === id)) return;
    const input = h('input', {
      id: `${prefix}-cap-${members.length}-${id}`.replace(/[^A-Za-z0-9_-]/g, '_'),
      type: 'number',
      min: 1,
      step: 1,
      inputmode: 'numeric',
      value: cap ?? '',
      'aria-describedby': `${prefix}-cap-hint`,
    });
    members.push({ id, name, cap: input });
    draw();
  };
  for (const m of p.members ?? []) add(m.clientId, await nameOf(m.clientId), m.cap);
  const picker = clientPicker(`${prefix}-pick`, 'Add a client');
  const problem = h('div', { 'aria-live': 'polite' });
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': `${prefix}-title` },
    h('h2', { id: `${prefix}-title` }, `Share ${p.planName} (${p.id})`),
    h(
      'p',
      {},
      'Members are paid from it as its owner is. Saving replaces the members; with none left it is no longer shared.',
    ),
    h(
      'p',
      { class: 'hint', id: `${prefix}-cap-hint` },
      'The most credits a member may hold or have used from it at once; empty: no cap.',
    ),
    empty,
    list,
    picker.element,
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          const c = picker.chosen();
          if (!c) return render(problem, message('error', 'Find a client first, then add them.'));
          if (c.id === p.clientId)
            return render(problem, message('error', `${c.name} owns this purchase: add someone else.`));
          render(problem);
          add(c.id, c.name, null);
        },
      },
      'Add to the pool',
    ),
    problem,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', autofocus: true, onclick: () => dialog.close('cancel') }, 'Cancel'),
      h('button', { type: 'button', class: 'primary', onclick: () => dialog.close('save') }, 'Save members'),
    ),
  );
  draw();
  if ((await ask(dialog)) !== 'save') return;
  const caps: Record<string, number> = {};
  for (const m of members) if (m.cap.value.trim() !== '') caps[m.id] = Number(m.cap.value);
  const saved = await outcome(
    api.PUT('/v1/purchases/{id}/members', {
      params: { path: { id: p.id } },
      body: { clientIds: members.map((m) => m.id), caps },
    }),
  );
  if (!saved.ok) return render(note, message('error', actionRefusal(saved, 'Members not saved')));
  const now = saved.data.members ?? [];
  const names = new Map(members.map((m) => [m.id, m.name]));
  announce(`Members of ${p.id} saved`);
  await reload(
    message(
      'ok',
      now.length === 0
        ? `Not shared any more: ${p.planName} (${p.id}) has no members.`
        : `Shared: ${p.planName} (${p.id}) is shared with ${now
            .map((m) => `${names.get(m.clientId) ?? m.clientId} (${capWords(m.cap)})`)
            .join(', ')}.`,
    ),
  );
}

const credits = (n: number) => `${n} credit${n === 1 ? '' : 's'}`;

/**
 * Admin only: move unused credits, or the whole purchase, to another client
 * (POST /v1/purchases/{id}/transfer); the answer says what moved where.
 */
export async function transferPurchase(
  p: Purchase,
  note: HTMLElement,
  reload: (notice: HTMLElement) => Promise<void>,
) {
  const prefix = `transfer-${p.id}`;
  const picker = clientPicker(`${prefix}-to`, 'To client');
  const count = h('input', {
    id: `${prefix}-credits`,
    type: 'number',
    min: 1,
    step: 1,
    inputmode: 'numeric',
    disabled: p.unlimited,
    'aria-describedby': `${prefix}-credits-hint`,
  });
  const reason = h('input', { id: `${prefix}-reason`, type: 'text', required: true });
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': `${prefix}-title` },
    h('h2', { id: `${prefix}-title` }, `Transfer ${p.planName} (${p.id})`),
    h(
      'p',
      {},
      'The other client gets a new purchase of the same plan and expiry; credits held for booked sessions stay here.',
    ),
    picker.element,
    h('label', { for: count.id }, 'Credits to move'),
    count,
    h(
      'p',
      { class: 'hint', id: `${prefix}-credits-hint` },
      p.unlimited
        ? 'An unlimited purchase moves whole.'
        : `Empty: all ${credits(p.remaining)} left that are not held.`,
    ),
    h('label', { for: reason.id }, 'Reason'),
    reason,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', autofocus: true, onclick: () => dialog.close('cancel') }, 'Cancel'),
      h('button', { type: 'button', class: 'primary', onclick: () => dialog.close('move') }, 'Transfer'),
    ),
  );
  if ((await ask(dialog)) !== 'move') return;
  const to = picker.chosen();
  if (!to) return render(note, message('error', 'Not transferred: no client was picked to receive it.'));
  const n = count.value.trim();
  const moved = await outcome(
    api.POST('/v1/purchases/{id}/transfer', {
      params: { path: { id: p.id } },
      body: { toClientId: to.id, reason: reason.value.trim(), ...(n === '' ? {} : { credits: Number(n) }) },
    }),
  );
  if (!moved.ok) return render(note, message('error', actionRefusal(moved, 'Not transferred')));
  const { from, to: made, credits: movedCredits } = moved.data;
  announce(`Transferred from ${p.id}`);
  await reload(
    message(
      'ok',
      movedCredits === null
        ? `Transferred: the whole unlimited ${p.planName} (${p.id}) moved to ${to.name} as ${made.id}; ${p.id} is ${from.status}.`
        : `Transferred: ${credits(movedCredits)} of ${p.planName} (${p.id}) moved to ${to.name} as ${made.id} (${made.remaining}/${made.total}). ${p.id} now has ${from.remaining}/${from.total}.`,
    ),
  );
}
