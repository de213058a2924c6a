import { api, outcome } from './api.ts';
import { readableJson } from './readable-json.ts';

/**
 * The rule set being edited, kept across screens of this tab so the simulator runs
 * what the editor holds; null until the editor (or a screen) first loads it. `base`
 * is the active rule set it started from (as the editor shows it): the draft is
 * unsaved while the two differ, which the page marks and warns about before leaving.
 */
export const draft = { text: null as string | null, base: null as string | null };

const listeners = new Set<() => void>();

/** True while the editor holds edits that are not the active rule set. */
export const unsaved = () => draft.text !== null && draft.base !== null && draft.text !== draft.base;

/** Called on every change of the draft or its base (the nav's and the editor's marks). */
export function onDraftChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sets the draft's text and/or the active text it compares with. */
export function setDraft(change: { text?: string | null; base?: string | null }) {
  if (change.text !== undefined) draft.text = change.text;
  if (change.base !== undefined) draft.base = change.base;
  for (const listener of listeners) listener();
}

/** Forgets the draft (after a switch or a rollback made another rule set active). */
export const dropDraft = () => setDraft({ text: null, base: null });

/** How the editor shows a rule set. */
export const pretty = readableJson;

export async function activePolicy() {
  return outcome(api.GET('/v1/policy'));
}

/** The draft's text, loading the active rule set when nothing is being edited yet. */
export async function draftText(): Promise<string | null> {
  if (draft.text !== null) return draft.text;
  const active = await activePolicy();
  if (!active.ok) return null;
  const text = pretty(active.data.ruleset);
  setDraft({ text, base: text });
  return text;
}
