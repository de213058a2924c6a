import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 15 (fewer bytes per swept row): a sweep batch stores its usage steps once per
 * batch in `usage_dictionaries`, and each swept reservation names its list of steps
 * with two narrow columns instead of rewriting its `explain` document. Readers go
 * through `reservation_explain`, which rebuilds exactly the document the sweep used
 * to write (src/credits/usage-dictionary.ts).
 */
export class Migration0018SweepStepsByReference extends Migration {
  override name = '0018-sweep-steps-by-reference';

  override up(): void {
    this.addSql(`create table usage_dictionaries (
  tenant_id text not null,
  id bigint generated always as identity,
  policy_version int not null,
  policy_hash text not null,
  entries jsonb not null,
  primary key (tenant_id, id)
)`);
    this.addSql('alter table reservations add column usage_dictionary bigint null');
    this.addSql('alter table reservations add column usage_entry int null');
    // The document's steps, then the referenced list, the latest 20 kept (stepsKept).
    this.addSql(`create function reservation_explain(explain jsonb, tenant text, dictionary bigint, entry int)
returns jsonb language sql stable as $$
  select jsonb_build_object(
           'assignment', coalesce(explain -> 'assignment', 'null'::jsonb),
           'usage', (select coalesce(jsonb_agg(u.step order by u.n), '[]'::jsonb) from (
                       select e.step, e.n from jsonb_array_elements(
                         coalesce(explain -> 'usage', '[]'::jsonb) || coalesce(d.entries -> entry, '[]'::jsonb))
                         with ordinality as e(step, n)
                        order by e.n desc limit 20) u),
           'policyVersion', d.policy_version, 'policyHash', d.policy_hash)
    from usage_dictionaries d where d.tenant_id = tenant and d.id = dictionary
$$`);
  }

  override down(): void {
    this.addSql('drop function reservation_explain(jsonb, text, bigint, int)');
    this.addSql('alter table reservations drop column usage_entry');
    this.addSql('alter table reservations drop column usage_dictionary');
    this.addSql('drop table usage_dictionaries');
  }
}
