/**
 * Names for the answers the screens pass around, all from the generated client
 * (generated/api.d.ts, from /openapi.json): nothing here is written by hand. Calls
 * need none of them, since `outcome()` infers each answer's type from its route;
 * they name the parts a screen hands to a function. A rule set in an answer is read
 * through `isRuleset` (ruleset.ts) where its conditions matter.
 */
import type { components } from '../generated/api.d.ts';

type Schemas = components['schemas'];

export type Purchase = Schemas['Purchase'];
export type LedgerEntry = Schemas['LedgerEntry'];
export type Explanation = Schemas['Explanation'];
export type UsageStep = Schemas['UsageStep'];
export type PolicyVersionDetail = Schemas['PolicyVersionDetail'];
export type ClientReservation = Schemas['ClientReservations']['reservations'][number];
export type Counts = Schemas['Counts'];
export type ScheduledSession = Schemas['ScheduledSession'];
export type Plan = Schemas['Plan'];
export type Freeze = Schemas['FreezeList']['freezes'][number];
