/**
 * A rule set as people read it: the database stores JSON with its keys reordered,
 * so the editor puts them back in the order of the format's documentation (id and
 * name first, a rule's name before its conditions, a condition's fact before its
 * operator). Unknown keys keep their place after the known ones.
 */
const order = [
  '$schema',
  'id',
  'name',
  'description',
  'settings',
  'zeroPriceUsesCredits',
  'unlimitedLabelThreshold',
  'rules',
  'decision',
  'priority',
  'conditions',
  'all',
  'any',
  'not',
  'fact',
  'path',
  'operator',
  'value',
  'event',
  'type',
  'params',
  'facts',
  'expect',
  'tests',
];
const rank = (key: string) => {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
};

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  // Inside facts and params the keys are the author's own: keep them as they are.
  return Object.fromEntries(
    entries
      .map(([k, v], i) => ({ k, v, i }))
      .sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i)
      .map(({ k, v }) => [k, k === 'facts' || k === 'params' ? v : reorder(v)]),
  );
}

export const readableJson = (ruleset: unknown) => `${JSON.stringify(reorder(ruleset), null, 2)}\n`;
