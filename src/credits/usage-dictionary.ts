/**
 * Swept steps by reference (issue 15, migration 0018). A sweep batch's commit writes
 * its distinct lists of usage steps once, as one row of `usage_dictionaries` (with
 * the policy version and hash that decided them), and each reservation it touches
 * gets two narrow columns: `usage_dictionary` (that row's id) and `usage_entry` (the
 * index of its list). The stored `explain` document is left as it was. Whoever reads
 * an explanation dereferences through `reservation_explain` (the SQL function of the
 * migration): the document's steps, then the referenced ones, the latest 20 kept,
 * and the version and hash of the dictionary — the same JSON the sweep used to write
 * into every row. The next non-sweep change of the reservation folds the reference
 * back into its document (ledger.ts) and clears it.
 */
export const explainOf = (r: string) =>
  `(case when ${r}.usage_dictionary is null then ${r}.explain
        else reservation_explain(${r}.explain, ${r}.tenant_id, ${r}.usage_dictionary, ${r}.usage_entry) end)`;
