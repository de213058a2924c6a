import type { EntityManager } from '@mikro-orm/sql';
import Type, { type Static } from 'typebox';
import { type FieldError, PunchcardError } from '../errors.ts';
import type { EventName } from '../events.ts';
import { targetFault } from './targets.ts';
import type { IntegrationConfig, IntegrationPlugin } from './types.ts';

export const IntegrationSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Write-only' })),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Write-only' })),
    events: Type.Optional(Type.Array(Type.String(), { uniqueItems: true, maxItems: 50 })),
    secretOverlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 30 * 86_400,
        description: 'How long the replaced secret keeps signing too (default 86400)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type IntegrationSettings = Static<typeof IntegrationSettings>;

interface StoredSecrets {
  current: string | null;
  previous: { value: string; expiresAt: string }[];
}

export interface StoredConfig {
  enabled: boolean;
  url: string;
  events: EventName[];
  secrets: StoredSecrets;
  updatedAt: Date;
}

const article = (field: string) => (/^[aeiou]/i.test(field) ? `an ${field}` : `a ${field}`);

/** Every fault of a settings body against its plugin, each at its pointer. */
function faults(
  plugin: IntegrationPlugin,
  body: IntegrationSettings,
  stored: StoredConfig | null,
  allowPrivate: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  let url: URL | null = null;
  try {
    url = new URL(body.url);
  } catch {
    errors.push({ path: '/url', message: 'is not an absolute URL' });
  }
  // The obvious private targets are refused here; every delivery checks the resolved address again.
  const target = url && targetFault(url, allowPrivate);
  if (target) errors.push({ path: '/url', message: target });
  const other = plugin.credential === 'apiKey' ? 'secret' : 'apiKey';
  if (body[other] !== undefined)
    errors.push({
      path: `/${other}`,
      message: `${plugin.name} takes ${article(plugin.credential)}, not ${article(other)}`,
    });
  const credential = body[plugin.credential];
  if (credential !== undefined) {
    const problem = plugin.checkCredential?.(credential);
    if (problem) errors.push({ path: `/${plugin.credential}`, message: problem });
  } else if (body.enabled && !stored?.secrets.current) {
    errors.push({ path: `/${plugin.credential}`, message: `is required to enable ${plugin.name}` });
  }
  if (body.secretOverlapSeconds !== undefined && plugin.credential !== 'secret')
    errors.push({ path: '/secretOverlapSeconds', message: `${plugin.name} has no signing secret to rotate` });
  for (const [i, event] of (body.events ?? []).entries()) {
    if (!plugin.events.includes(event as EventName))
      errors.push({ path: `/events/${i}`, message: `must be one of ${plugin.events.join(', ')}` });
  }
  return errors;
}

export async function readConfig(
  em: EntityManager,
  tenantId: string,
  name: string,
): Promise<StoredConfig | null> {
  const [row] = await em.execute<
    { enabled: boolean; settings: unknown; secrets: unknown; updated_at: Date | string }[]
  >(
    'select enabled, settings, secrets, updated_at from integration_configs where tenant_id = ? and name = ?',
    [tenantId, name],
  );
  if (!row) return null;
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  const settings = parse(row.settings) as { url: string; events: EventName[] };
  return {
    enabled: row.enabled,
    url: settings.url,
    events: settings.events,
    secrets: parse(row.secrets) as StoredSecrets,
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * Validates and saves a tenant's settings. A new secret replaces the current one,
 * which keeps signing beside it for the overlap so receivers can switch without a gap.
 */
export async function writeConfig(
  em: EntityManager,
  tenantId: string,
  plugin: IntegrationPlugin,
  body: IntegrationSettings,
  now: Date,
  allowPrivate: boolean,
): Promise<StoredConfig> {
  const stored = await readConfig(em, tenantId, plugin.name);
  const errors = faults(plugin, body, stored, allowPrivate);
  if (errors.length > 0) throw new PunchcardError('invalid', `invalid ${plugin.name} settings`, errors);
  const secrets: StoredSecrets = stored?.secrets ?? { current: null, previous: [] };
  const given = body[plugin.credential];
  let previous = secrets.previous.filter((p) => new Date(p.expiresAt) > now);
  if (given !== undefined && given !== secrets.current) {
    const overlapMs = plugin.credential === 'secret' ? (body.secretOverlapSeconds ?? 86_400) * 1000 : 0;
    if (secrets.current && overlapMs > 0)
      previous = [
        { value: secrets.current, expiresAt: new Date(now.getTime() + overlapMs).toISOString() },
        ...previous,
      ];
  }
  const next: StoredConfig = {
    enabled: body.enabled,
    url: body.url,
    events: (body.events as EventName[] | undefined) ?? [...plugin.events],
    secrets: { current: given ?? secrets.current, previous },
    updatedAt: now,
  };
  await em.execute(
    `insert into integration_configs (tenant_id, name, enabled, settings, secrets, updated_at)
     values (?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?)
     on conflict (tenant_id, name) do update
        set enabled = excluded.enabled, settings = excluded.settings, secrets = excluded.secrets,
            updated_at = excluded.updated_at`,
    [
      tenantId,
      plugin.name,
      next.enabled,
      JSON.stringify({ url: next.url, events: next.events }),
      JSON.stringify(next.secrets),
      now,
    ],
  );
  return next;
}

/** What the API shows: never a secret, only whether one is set and until when an old one still signs. */
export function presentConfig(plugin: IntegrationPlugin, stored: StoredConfig | null, now: Date) {
  return {
    name: plugin.name,
    enabled: stored?.enabled ?? false,
    url: stored?.url ?? null,
    events: stored?.events ?? [...plugin.events],
    availableEvents: [...plugin.events],
    [`${plugin.credential}Set`]: Boolean(stored?.secrets.current),
    ...(plugin.credential === 'secret'
      ? {
          previousSecretsExpireAt: (stored?.secrets.previous ?? [])
            .filter((p) => new Date(p.expiresAt) > now)
            .map((p) => p.expiresAt),
        }
      : {}),
    updatedAt: stored ? stored.updatedAt.toISOString() : null,
  };
}

/** The settings a plugin receives for one delivery, or null when the tenant has it off. */
export function activeConfig(stored: StoredConfig | null, now: Date): IntegrationConfig | null {
  if (!stored?.enabled || !stored.secrets.current) return null;
  return {
    url: stored.url,
    events: stored.events,
    credential: stored.secrets.current,
    previousCredentials: stored.secrets.previous
      .filter((p) => new Date(p.expiresAt) > now)
      .map((p) => p.value),
  };
}
