import './style.css';
import { api, outcome, session } from './api.ts';
import { h, render } from './dom.ts';
import { draft } from './draft.ts';
import { clientsScreen } from './screens/clients.ts';
import { historyScreen } from './screens/history.ts';
import { presetsScreen } from './screens/presets.ts';
import { rulesScreen } from './screens/rules.ts';
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
  { path: 'clients', title: 'Clients', adminOnly: false, show: clientsScreen },
];

const main = document.getElementById('main') as HTMLElement;
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
        const probe = await outcome(api.GET('/v1/policy'));
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
              probe.status === 401 ? 'That key is not valid.' : (probe.problem.title ?? 'Sign-in failed.'),
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
  const screen = visible.find((s) => s.path === wanted) ?? visible[0];
  render(
    nav,
    h(
      'ul',
      {},
      visible.map((s) =>
        h('li', {}, h('a', { href: `#/${s.path}`, 'aria-current': s === screen ? 'page' : null }, s.title)),
      ),
    ),
  );
  render(
    who,
    h('span', {}, role === 'admin' ? 'Admin' : 'Staff (read only)'),
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          session.signOut();
          draft.text = null;
          location.hash = '#/';
          signInForm();
        },
      },
      'Sign out',
    ),
  );
  document.title = `${screen.title} · punchcard admin`;
  render(main);
  await screen.show(main);
  // Move focus to the new screen's heading so keyboard and screen-reader users start there.
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

window.addEventListener('hashchange', () => void route());
void route();
