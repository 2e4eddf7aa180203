import { DurableObject } from "cloudflare:workers";
import { migrate, wipe } from "./sqlite";

const MIGRATIONS = [
  (sql: SqlStorage) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
    sql.exec("CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at)");
  },
  // A session is a person's (null: the operator, signed in with ADMIN_TOKEN).
  (sql: SqlStorage) => {
    sql.exec("ALTER TABLE sessions ADD COLUMN person_id INTEGER");
    sql.exec("CREATE INDEX sessions_person ON sessions (person_id)");
  },
];

/**
 * Browser sessions, server side, one object per blog (and one for the operator's sessions on
 * every blog): a signed cookie is only good while its session is here, so signing out ends it for
 * good (a copied cookie stops working), and "sign out everywhere" ends them all. The main blog's
 * object is the one every session of earlier versions was kept in.
 */
export class Sessions extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  async open(id: string, expiresAt: number, personId: number | null = null): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM sessions WHERE expires_at <= ?", now);
    this.sql.exec("INSERT INTO sessions (id, created_at, expires_at, person_id) VALUES (?, ?, ?, ?)", id, now, expiresAt, personId);
  }

  /** The open session's person (null for the operator's), or undefined when it is not open. */
  async active(id: string): Promise<{ personId: number | null } | undefined> {
    const row = this.sql
      .exec<{ person_id: number | null }>("SELECT person_id FROM sessions WHERE id = ? AND expires_at > ?", id, Date.now())
      .toArray()[0];
    return row ? { personId: row.person_id } : undefined;
  }

  /** A person's open sessions, newest first. */
  async ofPerson(personId: number): Promise<{ id: string; createdAt: number; expiresAt: number }[]> {
    return this.sql
      .exec<{ id: string; created_at: number; expires_at: number }>(
        "SELECT id, created_at, expires_at FROM sessions WHERE person_id = ? AND expires_at > ? ORDER BY created_at DESC",
        personId,
        Date.now(),
      )
      .toArray()
      .map((r) => ({ id: r.id, createdAt: r.created_at, expiresAt: r.expires_at }));
  }

  /** Ends every session of one person; answers how many were open. */
  async endPerson(personId: number): Promise<number> {
    const n = this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE person_id = ? AND expires_at > ?", personId, Date.now())
      .one().n;
    this.sql.exec("DELETE FROM sessions WHERE person_id = ?", personId);
    return n;
  }

  /** How many sessions are open (what deleting a blog must leave at zero). */
  async count(): Promise<number> {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?", Date.now()).one().n;
  }

  /** The blog is being deleted: every session goes. */
  async purge(): Promise<void> {
    await wipe(this.ctx.storage, MIGRATIONS);
  }

  async end(id: string): Promise<void> {
    this.sql.exec("DELETE FROM sessions WHERE id = ?", id);
  }

  /** Ends every session of the operator (signed in with ADMIN_TOKEN); answers how many were open. */
  async endAll(): Promise<number> {
    const n = this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE person_id IS NULL AND expires_at > ?", Date.now())
      .one().n;
    this.sql.exec("DELETE FROM sessions WHERE person_id IS NULL");
    return n;
  }
}
