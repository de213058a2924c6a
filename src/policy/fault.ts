/** One thing wrong with a rule set, at the JSON pointer of the offending part. */
export interface Fault {
  path: string;
  message: string;
}
