import { api, outcome } from './api.ts';
import { readableJson } from './readable-json.ts';

/**
 * The rule set being edited, kept across screens of this tab so the simulator runs
 * what the editor holds; null until the editor (or a screen) first loads it.
 */
export const draft = { text: null as string | null };

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
  draft.text = pretty(active.data.ruleset);
  return draft.text;
}
