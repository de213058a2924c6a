import type { EntityManager } from '@mikro-orm/sql';
import Type from 'typebox';
import { query } from '../db/sql.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { component } from './openapi.ts';
import { Client } from './responses/catalog.ts';
import { closed, nullable } from './responses/common.ts';

/**
 * Finding a client by the start of a name or an email, a page at a time.
 *
 * Both sides of the match are lowercased text in the "C" collation, the expression
 * the migration 0009 indexes: `like 'sar%'` is then a range on
 * clients_name_prefix / clients_email_prefix, each read in its own order, and a
 * page lists the matches in the order of the text that matched (a name, or an
 * email when the name does not match), then id: the next page starts where the
 * last one stopped (keyset), never by skipping rows.
 */
export const ClientSearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'The start of a name or an email, any case; leave out to list every client by name',
      }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: 'Page size, 1 to 100 (25)' }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 600, description: 'The `next` of the previous page' })),
  },
  { additionalProperties: false },
);

export const ClientPage = component(
  'ClientPage',
  Type.Object(
    {
      clients: Type.Array(Client),
      next: nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last' })),
    },
    closed,
  ),
);

const pageSize = 25;

/** `%`, `_` and the escape itself match only themselves in the prefix. */
const likePrefix = (text: string) => `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The one statement a search runs (exported so a test can read its plan at 100 000 clients). */
export function clientSearchStatement(
  tenantId: string,
  search: { q?: string; limit?: string; cursor?: string },
): { text: string; params: unknown[]; limit: number } {
  const limit = search.limit ? Number(search.limit) : pageSize;
  const cursor = search.cursor ? decodeCursor(search.cursor) : null;
  const params: unknown[] = [tenantId, likePrefix(search.q?.trim() ?? '')];
  const byName = `lower(name) collate "C"`;
  const byEmail = `lower(email) collate "C"`;
  const after = (term: string) => (cursor ? `and (${term}, id) > ($3 collate "C", $4)` : '');
  if (cursor) params.push(cursor[0], cursor[1]);
  params.push(limit + 1);
  const take = `$${params.length}`;
  // One branch per index, each reading its own index in order from the cursor and
  // stopping at a page (with an OR of the two the planner walks the whole name index
  // and filters). A client whose name matches is found by name only, so no one is
  // listed twice; the merged page is in the order of the text that matched.
  const text = `select id, name, email, term from (
      (select id, name, email, ${byName} as term from clients
        where tenant_id = $1 and ${byName} like $2 ${after(byName)}
        order by ${byName}, id limit ${take})
      union all
      (select id, name, email, ${byEmail} as term from clients
        where tenant_id = $1 and email is not null and ${byEmail} like $2
          and not (${byName} like $2) ${after(byEmail)}
        order by ${byEmail}, id limit ${take})
    ) found order by term, id limit ${take}`;
  return { text, params, limit };
}

export async function searchClients(
  em: EntityManager,
  tenantId: string,
  search: { q?: string; limit?: string; cursor?: string },
) {
  const { text, params, limit } = clientSearchStatement(tenantId, search);
  const rows = await query({ tx: em }, text, params);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    clients: page.map((r) => ({ id: String(r.id), name: String(r.name), email: r.email ?? null })),
    next: rows.length > limit && last ? encodeCursor(String(last.term), String(last.id)) : null,
  };
}
