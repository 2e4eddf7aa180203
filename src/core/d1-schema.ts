/**
 * A D1 database's schema, step by step: step i runs once, when the stored version is i. Applied
 * on first use by whoever writes or reads (a fresh deployment, a test's storage), so no one has to
 * run a migration command; `CREATE … IF NOT EXISTS` keeps two isolates applying it at once harmless.
 */
export function d1Schema(table: string, steps: string[][]) {
  const ensured = new WeakSet<D1Database>();

  /** Brings the schema up to date once per database handle an isolate holds. */
  async function ensure(db: D1Database): Promise<void> {
    if (ensured.has(db)) return;
    await db.prepare(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER NOT NULL)`).run();
    const row = await db.prepare(`SELECT MAX(version) AS version FROM ${table}`).first<{ version: number | null }>();
    for (let version = row?.version ?? 0; version < steps.length; version++) {
      await db.batch([
        ...steps[version]!.map((s) => db.prepare(s)),
        db.prepare(`INSERT INTO ${table} (version) VALUES (?)`).bind(version + 1),
      ]);
    }
    ensured.add(db);
  }

  /** A query on the database; when its storage was replaced under this isolate (a test's reset), the schema is made again once. */
  async function on<T>(db: D1Database, query: () => Promise<T>): Promise<T> {
    await ensure(db);
    try {
      return await query();
    } catch (err) {
      if (!/no such table/i.test(String(err))) throw err;
      ensured.delete(db);
      await ensure(db);
      return query();
    }
  }

  return { ensure, on };
}
