/**
 * The Durable Objects' SQLite bookkeeping: a `meta` table of key/value pairs, and versioned
 * migrations. Each migration runs once, in order, in its own transaction, from the
 * constructor's blockConcurrencyWhile, so no call ever sees a half-migrated schema.
 */
import { toBase64url } from "../core/base64url";

export type Migration = (sql: SqlStorage) => void;

export function readMeta(sql: SqlStorage, key: string): string | null {
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
  return row ? row.value : null;
}

export function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
}

/** A random secret this object made on first use and keeps in `meta` (for tokens only it signs and checks). */
export function storedSecret(sql: SqlStorage): string {
  let secret = readMeta(sql, "secret");
  if (!secret) {
    secret = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
    writeMeta(sql, "secret", secret);
  }
  return secret;
}

/** Brings the schema to `migrations.length`: migration i takes it from version i to i + 1. */
export function migrate(storage: DurableObjectStorage, migrations: readonly Migration[]): void {
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const from = Number(readMeta(sql, "schema") ?? 0);
  for (let v = from; v < migrations.length; v++) {
    storage.transactionSync(() => {
      migrations[v]!(sql);
      writeMeta(sql, "schema", String(v + 1));
    });
  }
}

/**
 * Empties an object (its blog is being deleted) and leaves it as a new one would be, so that a
 * blog later created under the same name starts from nothing, with its schema in place.
 */
export async function wipe(storage: DurableObjectStorage, migrations: readonly Migration[]): Promise<void> {
  await storage.deleteAlarm();
  await storage.deleteAll();
  migrate(storage, migrations);
}
