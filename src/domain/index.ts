import { ApiKey } from './api-key.ts';
import { Client } from './client.ts';
import { IdempotencyRecord } from './idempotency-record.ts';
import { Item } from './item.ts';
import { ItemType } from './item-type.ts';
import { LedgerEntry } from './ledger-entry.ts';
import { Location } from './location.ts';
import { Plan } from './plan.ts';
import { Purchase } from './purchase.ts';
import { Reservation } from './reservation.ts';
import { RulesetVersion } from './ruleset-version.ts';
import { Session } from './session.ts';
import { Tenant } from './tenant.ts';
import { Ticket } from './ticket.ts';
import { TicketLine } from './ticket-line.ts';

export {
  ApiKey,
  Client,
  IdempotencyRecord,
  Item,
  ItemType,
  LedgerEntry,
  Location,
  Plan,
  Purchase,
  Reservation,
  RulesetVersion,
  Session,
  Tenant,
  Ticket,
  TicketLine,
};

/** Every entity, for the host's ORM config or ours. */
export const entities = [
  ApiKey,
  Client,
  IdempotencyRecord,
  Item,
  ItemType,
  LedgerEntry,
  Location,
  Plan,
  Purchase,
  Reservation,
  RulesetVersion,
  Session,
  Tenant,
  Ticket,
  TicketLine,
];
