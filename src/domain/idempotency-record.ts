import { defineEntity, p } from '@mikro-orm/core';

/**
 * The first answer to a write sent with an Idempotency-Key, replayed for retries.
 * Keyed by scope (a tenant id, or the platform) so keys never collide across tenants.
 */
const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_records',
  properties: {
    scope: p.string().primary(),
    key: p.string().primary(),
    requestHash: p.string(),
    status: p.integer(),
    body: p.text(),
    createdAt: p.datetime(),
  },
});
export class IdempotencyRecord extends IdempotencyRecordSchema.class {}
IdempotencyRecordSchema.setClass(IdempotencyRecord);
