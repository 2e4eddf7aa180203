import { DurableObject } from "cloudflare:workers";
import { migrate } from "./sqlite";

const MIGRATIONS = [
  (sql: SqlStorage) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
    sql.exec("CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at)");
  },
];

/**
 * The editors' browser sessions, server side: a signed cookie is only good while its session is
 * here, so signing out ends it for good (a copied cookie stops working), and "sign out
 * everywhere" ends them all.
 */
export class Sessions extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  async open(id: string, expiresAt: number): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM sessions WHERE expires_at <= ?", now);
    this.sql.exec("INSERT INTO sessions (id, created_at, expires_at) VALUES (?, ?, ?)", id, now, expiresAt);
  }

  async active(id: string): Promise<boolean> {
    return this.sql.exec("SELECT id FROM sessions WHERE id = ? AND expires_at > ?", id, Date.now()).toArray().length > 0;
  }

  async end(id: string): Promise<void> {
    this.sql.exec("DELETE FROM sessions WHERE id = ?", id);
  }

  /** Ends every session; answers how many were open. */
  async endAll(): Promise<number> {
    const n = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?", Date.now()).one().n;
    this.sql.exec("DELETE FROM sessions");
    return n;
  }
}
