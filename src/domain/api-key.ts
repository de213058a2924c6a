import { defineEntity, p } from '@mikro-orm/core';
import { roles } from './enums.ts';

/** A bearer key, stored only as its SHA-256 so a leaked table grants nothing. */
const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    keyHash: p.string().primary(),
    tenantId: p.string(),
    role: p.enum(roles),
    createdAt: p.datetime(),
  },
});
export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
