import { DurableObject } from "cloudflare:workers";
import { type Migration, migrate, readMeta, wipe, writeMeta } from "../../src/durable/sqlite";

const MIGRATIONS: Migration[] = [
  (sql) => {
    sql.exec(`CREATE TABLE followers (
      id TEXT PRIMARY KEY,
      inbox TEXT NOT NULL,
      shared_inbox TEXT,
      handle TEXT NOT NULL,
      url TEXT,
      follow_id TEXT,
      created_at TEXT NOT NULL
    )`);
    // Inbox idempotency: an activity id is handled once (KV, which Fedify uses, has no compare-and-swap).
    sql.exec("CREATE TABLE seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL)");
    sql.exec("CREATE INDEX seen_at ON seen (at)");
    // What each post's followers were sent: once created, updates by content hash, and a delete.
    sql.exec("CREATE TABLE sent (slug TEXT PRIMARY KEY, hash TEXT NOT NULL, state TEXT NOT NULL, at TEXT NOT NULL)");
    // Replies taken in: their Note id → the post they are on (a reply to a reply finds its post here).
    sql.exec("CREATE TABLE notes (id TEXT PRIMARY KEY, slug TEXT NOT NULL)");
  },
];

/** The posts public when the blog started federating: the newest `slugs` (at most BACKLOG_WINDOW), the oldest date among them. */
export interface Backlog {
  slugs: string[];
  oldest: string | null;
}

export interface Follower {
  id: string;
  inbox: string;
  sharedInbox: string | null;
  handle: string;
  url: string | null;
  createdAt: string;
}

/** How long an inbox remembers an activity id (longer than any signature's time window). */
const SEEN_MS = 7 * 24 * 3600_000;

/**
 * One blog's federation state, in SQLite: its key pair, its followers, what was delivered for
 * each post, the activities already handled and the replies taken in.
 */
export class FederationState extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  /** The blog's RSA key pair (JWK), made on first use; the private key never leaves this worker. */
  async keyPair(): Promise<{ privateKey: JsonWebKey; publicKey: JsonWebKey }> {
    const stored = readMeta(this.sql, "keys");
    if (stored) return JSON.parse(stored);
    const pair = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const keys = {
      privateKey: (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey,
      publicKey: (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey,
    };
    writeMeta(this.sql, "keys", JSON.stringify(keys));
    return keys;
  }

  /**
   * When the blog started federating, and its backlog then (the newest public posts, which the
   * cron's pass looks at): posts public before then stay in its outbox, not pushed to followers.
   * Null until it starts. A blog that started before the backlog was kept has none.
   */
  async started(): Promise<{ since: string; backlog: Backlog | null } | null> {
    const since = readMeta(this.sql, "since");
    if (!since) return null;
    const backlog = readMeta(this.sql, "backlog");
    return { since, backlog: backlog ? (JSON.parse(backlog) as Backlog) : null };
  }

  /** Starts federating at `now` with this backlog, unless it already started (the first caller wins). */
  async start(now: string, backlog: Backlog): Promise<{ since: string; backlog: Backlog | null }> {
    if (!readMeta(this.sql, "since")) {
      writeMeta(this.sql, "backlog", JSON.stringify(backlog));
      writeMeta(this.sql, "since", now);
    }
    return (await this.started())!;
  }

  /** Whether this activity id is new here (and remembers it). */
  async firstTime(id: string): Promise<boolean> {
    const now = Date.now();
    this.sql.exec("DELETE FROM seen WHERE at < ?", now - SEEN_MS);
    const row = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM seen WHERE id = ?", id).one();
    if (row.n) return false;
    this.sql.exec("INSERT INTO seen (id, at) VALUES (?, ?)", id, now);
    return true;
  }

  async follow(f: Follower & { followId: string | null }): Promise<void> {
    this.sql.exec(
      `INSERT INTO followers (id, inbox, shared_inbox, handle, url, follow_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, handle = excluded.handle,
         url = excluded.url, follow_id = excluded.follow_id`,
      f.id,
      f.inbox,
      f.sharedInbox,
      f.handle,
      f.url,
      f.followId,
      f.createdAt,
    );
  }

  /** Ends a follow; false when the actor was not following. */
  async unfollow(actor: string): Promise<boolean> {
    const gone = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM followers WHERE id = ?", actor).one().n > 0;
    this.sql.exec("DELETE FROM followers WHERE id = ?", actor);
    return gone;
  }

  async followers(offset = 0, limit = 1000): Promise<Follower[]> {
    return this.sql
      .exec<{ id: string; inbox: string; shared_inbox: string | null; handle: string; url: string | null; created_at: string }>(
        "SELECT * FROM followers ORDER BY created_at, id LIMIT ? OFFSET ?",
        limit,
        offset,
      )
      .toArray()
      .map((r) => ({ id: r.id, inbox: r.inbox, sharedInbox: r.shared_inbox, handle: r.handle, url: r.url, createdAt: r.created_at }));
  }

  async count(): Promise<number> {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM followers").one().n;
  }

  async sent(slug: string): Promise<{ hash: string; state: string } | null> {
    return this.sql.exec<{ hash: string; state: string }>("SELECT hash, state FROM sent WHERE slug = ?", slug).toArray()[0] ?? null;
  }

  /** Records a delivery decision; false when another call already recorded this very one (so it is sent once). */
  async markSent(slug: string, hash: string, state: "created" | "deleted", expected: string | null): Promise<boolean> {
    const current = this.sql.exec<{ hash: string; state: string }>("SELECT hash, state FROM sent WHERE slug = ?", slug).toArray()[0];
    if ((current ? `${current.state}:${current.hash}` : null) !== expected) return false;
    this.sql.exec(
      "INSERT INTO sent (slug, hash, state, at) VALUES (?, ?, ?, ?) ON CONFLICT(slug) DO UPDATE SET hash = excluded.hash, state = excluded.state, at = excluded.at",
      slug,
      hash,
      state,
      new Date().toISOString(),
    );
    return true;
  }

  /** Forgets everything (the blog is being deleted): key pair, followers, deliveries, seen activities, replies. */
  async purge(): Promise<void> {
    await wipe(this.ctx.storage, MIGRATIONS);
  }

  /** Whether this object holds anything of a blog (the deletion test asks every store). */
  async holdsAnything(): Promise<boolean> {
    return readMeta(this.sql, "keys") !== null || readMeta(this.sql, "since") !== null || (await this.count()) > 0;
  }

  async noteOn(noteId: string, slug: string | null): Promise<string | null> {
    if (slug) this.sql.exec("INSERT OR IGNORE INTO notes (id, slug) VALUES (?, ?)", noteId, slug);
    return this.sql.exec<{ slug: string }>("SELECT slug FROM notes WHERE id = ?", noteId).toArray()[0]?.slug ?? null;
  }
}
