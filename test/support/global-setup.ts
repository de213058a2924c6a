import { migrate, openOrm } from '../../src/db/orm.ts';

/** On a real server, migrate once before the workers start, so they never race to. */
export default async function setup() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return;
  const orm = await openOrm({ databaseUrl });
  await migrate(orm);
  await orm.close();
}
