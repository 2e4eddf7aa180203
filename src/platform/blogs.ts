import { DurableObject } from "cloudflare:workers";
import { type BlogRecord, type BlogSettings, FOLLOW_VARS } from "../core/blogs";
import { platformKeys } from "../core/keys";
import { migrate, type Migration } from "../durable/sqlite";
import type { Blog } from "./blog";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec(`CREATE TABLE blogs (
      name TEXT PRIMARY KEY,
      settings TEXT NOT NULL,
      created_at TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'active',
      owner_email TEXT
    )`);
    sql.exec("CREATE TABLE domains (host TEXT PRIMARY KEY, blog TEXT NOT NULL REFERENCES blogs(name))");
  },
  // The upgrade to one object per blog: which rows have been handed over.
  (sql) => {
    sql.exec("ALTER TABLE blogs ADD COLUMN moved INTEGER NOT NULL DEFAULT 0");
  },
];

type Row = { name: string; settings: string; created_at: string; state: BlogRecord["state"]; owner_email: string | null };

export interface UpgradeProgress {
  moved: number;
  left: number;
  done: boolean;
}

/**
 * The single registry of blogs of earlier versions (one object for the deployment), kept only to
 * hand its blogs over to their own Blog objects once: `upgrade` moves a batch per call, each safe
 * to repeat, and when none is left removes the KV registry every isolate used to read.
 * Nothing else calls it.
 */
export class Blogs extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  async upgrade(limit: number, now: string): Promise<UpgradeProgress> {
    const rows = this.sql
      .exec<Row>(
        "SELECT name, settings, created_at, state, owner_email FROM blogs WHERE moved = 0 ORDER BY created_at, name LIMIT ?",
        limit,
      )
      .toArray();
    for (const row of rows) {
      const domains = this.sql
        .exec<{ host: string }>("SELECT host FROM domains WHERE blog = ? ORDER BY host", row.name)
        .toArray()
        .map((d) => d.host);
      const record: BlogRecord = {
        ...FOLLOW_VARS,
        ...(JSON.parse(row.settings) as Partial<BlogSettings>),
        name: row.name,
        domains,
        createdAt: row.created_at,
        state: row.state,
      };
      const stub = this.env.BLOG.get(this.env.BLOG.idFromName(row.name)) as unknown as Pick<Blog, "adopt">;
      await stub.adopt(record, row.owner_email, now);
      this.sql.exec("UPDATE blogs SET moved = 1 WHERE name = ?", row.name);
    }
    const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM blogs WHERE moved = 0").one().n;
    if (!left) await this.env.POSTS.delete(platformKeys.legacyRegistry);
    return { moved: rows.length, left, done: left === 0 };
  }

  /** An alarm set by an earlier version (deleting a blog): the blog's own object carries the deletion on. */
  override async alarm(): Promise<void> {}
}
