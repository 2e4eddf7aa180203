import { DurableObject } from "cloudflare:workers";
import { secondsToWait } from "../core/windows";
import { toBase64url } from "../core/base64url";
import { hashOf, SIGNUP_LIMITS, type SignupMode } from "../core/people";
import { migrate, wipe, type Migration } from "../durable/sqlite";
import { failure, type Result } from "../errors";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT NOT NULL, created_at TEXT NOT NULL)");
    // The blogs this person is a member of: a hint for "sign out everywhere" (each blog's own object decides roles).
    sql.exec("CREATE TABLE blogs (blog TEXT PRIMARY KEY)");
    // "+ Create my blog" links asked for this address: only a hash of each token is kept.
    sql.exec(`CREATE TABLE links (
      hash TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      name TEXT NOT NULL,
      title TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    )`);
    sql.exec("CREATE TABLE attempts (at INTEGER NOT NULL)");
  },
  // The language they chose for the administration (null: their browser's).
  (sql) => sql.exec("ALTER TABLE person ADD COLUMN language TEXT"),
  // The editor they write in, rich text or Markdown (null: the default, rich).
  (sql) => sql.exec("ALTER TABLE person ADD COLUMN editor_mode TEXT"),
];

/** The administration's language and editor a person chose, kept for their next sign-in on any browser. */
export interface Choices {
  language: string | null;
  editorMode: string | null;
}

/** How long a mailed link stays good. */
export const LINK_MS = 15 * 60_000;

/** A person as every blog knows them: the id sessions and memberships name, and their address. */
export interface PersonRef {
  id: number;
  email: string;
}

/**
 * Ids of people made from now on: random in [2^40, 2^53), above every id the single Accounts
 * object of earlier versions gave (it counted from 1), so the two never meet. Two people drawing
 * the same id is about 1 in 18,000 at a million people; a blog refuses the second (see Accounts.admit).
 */
function newId(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2)) as unknown as [number, number];
  return 2 ** 40 + (((hi % 2 ** 21) * 2 ** 32 + lo) % (2 ** 53 - 2 ** 40));
}

/**
 * One person (one object per email address, named by its hash): their id, the blogs they belong
 * to, and the "+ Create my blog" links mailed to them. No object holds all people; a blog's
 * members, invitations, tokens and audit log are in that blog's own Accounts object.
 */
export class Person extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  private row(): PersonRef | undefined {
    return this.sql.exec<{ id: number; email: string }>("SELECT id, email FROM person").toArray()[0];
  }

  /** The person, made with a new id if the address has none yet. */
  async ensure(email: string, now: string): Promise<PersonRef> {
    return this.adopt(newId(), email, now);
  }

  /** The person, made with `id` if the address has none yet (the upgrade brings earlier versions' ids); answers the id kept. */
  async adopt(id: number, email: string, now: string): Promise<PersonRef> {
    const known = this.row();
    if (known) return known;
    this.sql.exec("INSERT INTO person (id, email, created_at) VALUES (?, ?, ?)", id, email, now);
    return { id, email };
  }

  /** The person when the address has one. */
  async get(): Promise<PersonRef | null> {
    return this.row() ?? null;
  }

  /** What the person chose for the administration, each null when they chose nothing (or there is no person yet). */
  async choices(): Promise<Choices> {
    const row = this.sql
      .exec<{ language: string | null; editor_mode: string | null }>("SELECT language, editor_mode FROM person")
      .toArray()[0];
    return { language: row?.language ?? null, editorMode: row?.editor_mode ?? null };
  }

  async setLanguage(language: string | null): Promise<void> {
    this.sql.exec("UPDATE person SET language = ?", language);
  }

  async setEditorMode(mode: string): Promise<void> {
    this.sql.exec("UPDATE person SET editor_mode = ?", mode);
  }

  async joined(blog: string): Promise<void> {
    this.sql.exec("INSERT OR IGNORE INTO blogs (blog) VALUES (?)", blog);
  }

  async left(blog: string): Promise<void> {
    this.sql.exec("DELETE FROM blogs WHERE blog = ?", blog);
  }

  /** What the platform keeps about the person themself (their data download). */
  async data(): Promise<({ id: number; email: string; createdAt: string; blogs: string[] } & Choices) | null> {
    const row = this.sql.exec<{ id: number; email: string; created_at: string }>("SELECT id, email, created_at FROM person").toArray()[0];
    return row ? { id: row.id, email: row.email, createdAt: row.created_at, ...(await this.choices()), blogs: await this.blogs() } : null;
  }

  /** The person deletes their account: nothing of them stays here (their memberships are gone first). */
  async forget(): Promise<void> {
    await wipe(this.ctx.storage, MIGRATIONS);
  }

  /** The blogs the person has joined ("sign out everywhere" ends their sessions on each). */
  async blogs(): Promise<string[]> {
    return this.sql
      .exec<{ blog: string }>("SELECT blog FROM blogs ORDER BY blog")
      .toArray()
      .map((r) => r.blog);
  }

  /**
   * A link that creates blog `name` for this address (and the person if needed), or why not:
   * sign-ups closed (or by invitation and the address is nobody's yet), or the day's limit reached.
   * The token starts with this object's key, so using it reaches this object and no other.
   */
  async createLink(
    input: { key: string; email: string; name: string; title: string },
    mode: SignupMode,
    now: number,
  ): Promise<Result<{ token: string | null }>> {
    if (mode === "closed") return failure("signups_closed", "New blogs cannot be created here at the moment.");
    const day = 24 * 3600_000;
    this.sql.exec("DELETE FROM attempts WHERE at <= ?", now - day);
    this.sql.exec("DELETE FROM links WHERE expires_at <= ?", now - LINK_MS);
    const recent = this.sql.exec<{ at: number }>("SELECT at FROM attempts ORDER BY at").toArray();
    const wait = secondsToWait(recent, day, SIGNUP_LIMITS.perEmailDay, now);
    if (wait !== null) {
      return failure("rate_limited", `Too many requests for this email address today. Try again in ${wait} seconds.`, wait);
    }
    this.sql.exec("INSERT INTO attempts (at) VALUES (?)", now);
    // By invitation: only people who already have an account (the same answer either way).
    if (mode === "invite" && !this.row()) return { ok: true, token: null };
    const token = `${input.key.slice("person:".length)}.${toBase64url(crypto.getRandomValues(new Uint8Array(32)))}`;
    this.sql.exec(
      "INSERT INTO links (hash, email, name, title, expires_at) VALUES (?, ?, ?, ?, ?)",
      await hashOf(token),
      input.email,
      input.name,
      input.title,
      now + LINK_MS,
    );
    return { ok: true, token };
  }

  /** A creation link's request while it is good, without using it (the page with the button). */
  async checkCreateLink(token: string, now: number): Promise<{ ok: boolean; email?: string; name?: string; title?: string }> {
    const row = this.sql
      .exec<{ email: string; name: string; title: string; expires_at: number; used_at: number | null }>(
        "SELECT email, name, title, expires_at, used_at FROM links WHERE hash = ?",
        await hashOf(token),
      )
      .toArray()[0];
    if (!row || row.used_at !== null || row.expires_at <= now) return { ok: false };
    return { ok: true, email: row.email, name: row.name, title: row.title };
  }

  /** Uses a creation link: the person (made if new) and the blog it asks for. */
  async useCreateLink(token: string, now: number): Promise<Result<{ person: PersonRef; name: string; title: string }>> {
    const request = await this.checkCreateLink(token, now);
    if (!request.ok) return failure("invalid_link", "This link is not valid: it works once, within 15 minutes. Ask again at /create.");
    this.sql.exec("UPDATE links SET used_at = ? WHERE hash = ?", now, await hashOf(token));
    const person = await this.ensure(request.email!, new Date(now).toISOString());
    return { ok: true, person, name: request.name!, title: request.title! };
  }
}
