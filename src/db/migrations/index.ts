import { Migration0001Initial } from './0001-initial.ts';
import { Migration0002MoneyAndScopes } from './0002-money-and-scopes.ts';
import { Migration0003CreditEngine } from './0003-credit-engine.ts';
import { Migration0004Outbox } from './0004-outbox.ts';
import { Migration0005OutboxOrder } from './0005-outbox-order.ts';
import { Migration0006OnePass } from './0006-one-pass.ts';
import { Migration0007Retention } from './0007-retention.ts';
import { Migration0008Catalog } from './0008-catalog.ts';
import { Migration0009ClientSearch } from './0009-client-search.ts';
import { Migration0010EngineItems } from './0010-engine-items.ts';
import { Migration0011ClaimShares } from './0011-claim-shares.ts';
import { Migration0012StudioLedgerKinds } from './0012-studio-ledger-kinds.ts';
import { Migration0013VisitCaps } from './0013-visit-caps.ts';
import { Migration0014LateCancel } from './0014-late-cancel.ts';
import { Migration0015FreezesAndAlerts } from './0015-freezes-and-alerts.ts';
import { Migration0016Pools } from './0016-pools.ts';
import { Migration0017Waitlist } from './0017-waitlist.ts';
import { Migration0018SweepStepsByReference } from './0018-sweep-steps-by-reference.ts';

/** Shipped with the package, in order; names are explicit so bundlers cannot mangle them. */
export const migrations = [
  { name: '0001-initial', class: Migration0001Initial },
  { name: '0002-money-and-scopes', class: Migration0002MoneyAndScopes },
  { name: '0003-credit-engine', class: Migration0003CreditEngine },
  { name: '0004-outbox', class: Migration0004Outbox },
  { name: '0005-outbox-order', class: Migration0005OutboxOrder },
  { name: '0006-one-pass', class: Migration0006OnePass },
  { name: '0007-retention', class: Migration0007Retention },
  { name: '0008-catalog', class: Migration0008Catalog },
  { name: '0009-client-search', class: Migration0009ClientSearch },
  { name: '0010-engine-items', class: Migration0010EngineItems },
  { name: '0011-claim-shares', class: Migration0011ClaimShares },
  { name: '0012-studio-ledger-kinds', class: Migration0012StudioLedgerKinds },
  { name: '0013-visit-caps', class: Migration0013VisitCaps },
  { name: '0014-late-cancel', class: Migration0014LateCancel },
  { name: '0015-freezes-and-alerts', class: Migration0015FreezesAndAlerts },
  { name: '0016-pools', class: Migration0016Pools },
  { name: '0017-waitlist', class: Migration0017Waitlist },
  { name: '0018-sweep-steps-by-reference', class: Migration0018SweepStepsByReference },
];
