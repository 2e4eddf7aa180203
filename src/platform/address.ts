import { DurableObject } from "cloudflare:workers";
import { secondsToWait } from "../core/windows";
import { migrate, type Migration } from "../durable/sqlite";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec("CREATE TABLE attempts (kind TEXT NOT NULL, at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX attempts_kind ON attempts (kind, at)");
  },
];

/**
 * One network address's requests that are limited across blogs (asking to create a blog), one
 * object per address: an exact count over an hour or a day, which the Rate Limiting binding (10 s
 * or 60 s periods, counted per Cloudflare location) cannot express. No object counts for everyone.
 */
export class Address extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  /** Counts one request of `kind` unless `max` were counted within `windowMs`; answers the seconds to wait, or null. */
  async take(kind: string, windowMs: number, max: number, now: number): Promise<number | null> {
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - 24 * 3600_000);
    const rows = this.sql
      .exec<{ at: number }>("SELECT at FROM attempts WHERE kind = ? AND at > ? ORDER BY at", kind, now - windowMs)
      .toArray();
    const wait = secondsToWait(rows, windowMs, max, now);
    if (wait !== null) return wait;
    this.sql.exec("INSERT INTO attempts (kind, at) VALUES (?, ?)", kind, now);
    // Nothing is kept past a day: the object empties itself.
    await this.ctx.storage.setAlarm(now + 24 * 3600_000);
    return null;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
