import './style.css';
import { api, keyRejected, outcome, session } from './api.ts';
import { confirmChange } from './confirm.ts';
import { h, message, render } from './dom.ts';
import { dropDraft, onDraftChange, unsaved } from './draft.ts';
import { refusalText } from './refusal.ts';
import { clientsScreen } from './screens/clients.ts';
import { historyScreen } from './screens/history.ts';
import { plansScreen } from './screens/plans.ts';
import { presetsScreen } from './screens/presets.ts';
import { rulesScreen } from './screens/rules.ts';
import { sessionsScreen } from './screens/sessions.ts';
import { simulateScreen } from './screens/simulate.ts';

interface Screen {
  path: string;
  title: string;
  adminOnly: boolean;
  show: (main: HTMLElement) => Promise<void> | void;
}

const screens: Screen[] = [
  { path: 'presets', title: 'Presets', adminOnly: false, show: presetsScreen },
  { path: 'rules', title: 'Rules', adminOnly: true, show: rulesScreen },
  { path: 'simulate', title: 'Simulate', adminOnly: true, show: simulateScreen },
  { path: 'history', title: 'History', adminOnly: true, show: historyScreen },
  { path: 'plans', title: 'Plans', adminOnly: true, show: plansScreen },
  { path: 'clients', title: 'Clients', adminOnly: false, show: clientsScreen },
  { path: 'sessions', title: 'Sessions', adminOnly: false, show: sessionsScreen },
];

const main = document.getElementById('main') as HTMLElement;
/** Above every screen: what concerns the whole session (a key that stopped working). */
const banner = h('div', { id: 'banner' });
main.before(banner);
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;

function signInForm() {
  render(nav);
  render(who);
  const key = h('input', {
    id: 'key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
  });
  const problem = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'card narrow',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        render(problem);
        session.signIn(key.value.trim(), 'admin');
        // The key's role decides what it may see: admins read the policy, staff get 403 there.
        session.probing = true;
        const probe = await outcome(api.GET('/v1/policy'));
        session.probing = false;
        if (probe.ok || probe.status === 403) {
          session.signIn(key.value.trim(), probe.ok ? 'admin' : 'staff');
          if (!location.hash || location.hash === '#/') location.hash = probe.ok ? '#/presets' : '#/clients';
          void route();
        } else {
          session.signOut();
          render(
            problem,
            h(
              'p',
              { class: 'msg msg-error', role: 'alert' },
              probe.status === 401 ? 'That key is not valid.' : refusalText(probe, 'Not signed in'),
            ),
          );
        }
      },
    },
    h('h1', {}, 'Sign in'),
    h('p', {}, "Use your business's admin key to manage the policy, or a staff key for the front desk."),
    h('label', { for: 'key' }, 'Key'),
    key,
    h(
      'p',
      { class: 'hint', id: 'key-hint' },
      'The key stays in this browser tab only and is forgotten when you close it.',
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    problem,
  );
  key.setAttribute('aria-describedby', 'key-hint');
  render(main, form);
  document.title = 'Sign in · punchcard admin';
  key.focus();
}

async function route() {
  if (!session.key) return signInForm();
  const role = session.role ?? 'staff';
  const visible = screens.filter((s) => role === 'admin' || !s.adminOnly);
  const wanted = location.hash.replace(/^#\/?/, '').split('?')[0];
  const forbidden = role !== 'admin' ? screens.find((s) => s.adminOnly && s.path === wanted) : undefined;
  const screen = forbidden ?? visible.find((s) => s.path === wanted) ?? visible[0];
  render(
    nav,
    h(
      'ul',
      {},
      visible.map((s) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/${s.path}`, 'aria-current': s === screen ? 'page' : null },
            s.title,
            s.path === 'rules'
              ? h('span', { class: 'nav-mark', id: 'nav-unsaved', hidden: !unsaved() }, ' (unsaved)')
              : null,
          ),
        ),
      ),
    ),
  );
  render(
    who,
    h('span', {}, role === 'admin' ? 'Admin' : 'Staff (front desk)'),
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          if (
            unsaved() &&
            !(await confirmChange({
              title: 'Sign out and lose your unsaved edits?',
              intro: 'The Rules editor holds changes that are not saved; signing out forgets them.',
              confirm: 'Sign out',
            }))
          )
            return;
          session.signOut();
          dropDraft();
          location.hash = '#/';
          signInForm();
        },
      },
      'Sign out',
    ),
  );
  document.title = `${screen.title} · punchcard admin`;
  render(main);
  if (forbidden) await needsAdmin(forbidden);
  else await screen.show(main);
  // Move focus to the new screen's heading so keyboard and screen-reader users start there.
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/**
 * A staff key opened an admin screen (a link someone shared): say why it is not
 * shown, which policy is in use, and how to get in.
 */
async function needsAdmin(screen: Screen) {
  const summary = await outcome(api.GET('/v1/active-policy'));
  render(
    main,
    h('h1', {}, screen.title),
    message(
      'info',
      `${screen.title} needs an admin key: this tab is signed in with a staff key, which can see presets, clients and sessions only.`,
    ),
    h(
      'p',
      { id: 'active-policy' },
      summary.ok
        ? `The policy in use is “${summary.data.name}”, version ${summary.data.version}.`
        : refusalText(summary, 'The policy in use could not be read'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        onclick: () => {
          session.signOut();
          signInForm();
        },
      },
      'Sign in with an admin key',
    ),
  );
}

/** The key stopped working mid-session: say so once, keep the page (and any draft), offer sign-in. */
window.addEventListener(keyRejected, () => {
  if (banner.childElementCount > 0) return;
  render(
    banner,
    h(
      'div',
      { class: 'msg msg-error banner', role: 'alert' },
      h(
        'p',
        {},
        'Your key stopped working: the service no longer accepts it (it may have been revoked or replaced). Nothing more can be loaded or saved with it. Unsaved edits stay in this tab.',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () => {
            render(banner);
            session.signOut();
            signInForm();
          },
        },
        'Sign in again',
      ),
    ),
  );
});

// Unsaved edits are marked in the nav and guarded against closing or reloading the tab.
onDraftChange(() => {
  const mark = document.getElementById('nav-unsaved');
  if (mark) mark.hidden = !unsaved();
});
window.addEventListener('beforeunload', (event) => {
  if (!unsaved()) return;
  event.preventDefault();
  // Older browsers show the prompt only when returnValue is set.
  event.returnValue = '';
});

window.addEventListener('hashchange', () => void route());
void route();
