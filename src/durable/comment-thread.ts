import { DurableObject } from "cloudflare:workers";
import { fromBase64url, toBase64url } from "../content/base64url";
import { countLinks, parseComment, type CommentDoc } from "../content/comment-markdown";
import { keys } from "../data/keys";
import { apiComment } from "../views/json";

export type Moderation = "open" | "first-time" | "all";
export type CommentStatus = "published" | "held" | "hidden" | "deleted";

/** A comment as the worker sees it; the commenter's email and IP never leave the object. */
export interface CommentView {
  id: number;
  postSlug: string;
  parentId: number | null;
  author: string;
  doc: CommentDoc;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
}

export interface CreateInput {
  author: string;
  body: string;
  email: string | null;
  parentId: number | null;
  ip: string | null;
}

export interface ThreadPolicy {
  moderation: Moderation;
  /** Comments per IP per minute; 0 turns the limit off. */
  rateLimit: number;
  blockedWords: string[];
  /** HMAC secret for edit tokens; when absent the thread keeps a random one of its own. */
  secret: string | null;
}

export type Failure = { ok: false; status: 400 | 403 | 404 | 429; code: string; message: string; retryAfter?: number };
export type Result<T> = ({ ok: true } & T) | Failure;

export type Auth = { admin: true } | { admin: false; token: string };

export const EDIT_WINDOW_MS = 15 * 60_000;
const RATE_WINDOW_MS = 60_000;
const SCHEMA_VERSION = 1;

type Row = {
  id: number;
  parent_id: number | null;
  author: string;
  doc: string;
  status: CommentStatus;
  created_at: string;
  edited_at: string | null;
};

const fail = (status: Failure["status"], code: string, message: string, retryAfter?: number): Failure => ({ ok: false, status, code, message, retryAfter });


/**
 * One post's comment thread, in SQLite. Every write goes through this object, one at a time,
 * so concurrent comments are stored once each, in order. Live listeners hold hibernatable WebSockets.
 */
export class CommentThread extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  private migrate() {
    this.sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const version = Number(this.meta("schema") ?? 0);
    if (version < 1) {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        parent_id INTEGER REFERENCES comments(id),
        author TEXT NOT NULL,
        email TEXT,
        ip TEXT,
        commenter TEXT NOT NULL,
        body TEXT NOT NULL,
        doc TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT
      )`);
      this.sql.exec("CREATE INDEX IF NOT EXISTS comments_status ON comments (status, id)");
      this.sql.exec("CREATE INDEX IF NOT EXISTS comments_commenter ON comments (commenter, status)");
      this.sql.exec("CREATE TABLE IF NOT EXISTS hits (ip TEXT NOT NULL, at INTEGER NOT NULL)");
      this.sql.exec("CREATE INDEX IF NOT EXISTS hits_ip ON hits (ip, at)");
    }
    this.setMeta("schema", String(SCHEMA_VERSION));
  }

  private meta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? row.value : null;
  }

  private setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  private slugCache: string | null = null;

  private slug(slug?: string): string {
    if (slug && slug !== this.slugCache) {
      if (this.meta("slug") !== slug) this.setMeta("slug", slug);
      this.slugCache = slug;
    }
    return (this.slugCache ??= this.meta("slug") ?? "");
  }

  private view(row: Row): CommentView {
    return {
      id: row.id,
      postSlug: this.slug(),
      parentId: row.parent_id,
      author: row.author,
      doc: JSON.parse(row.doc) as CommentDoc,
      status: row.status,
      createdAt: row.created_at,
      editedAt: row.edited_at,
    };
  }

  private row(id: number): Row | undefined {
    return this.sql.exec<Row>("SELECT id, parent_id, author, doc, status, created_at, edited_at FROM comments WHERE id = ?", id).toArray()[0];
  }

  /** Bumps the thread's version, refreshes the public count in KV and tells live listeners. */
  private changed(event: { type: string; comment?: CommentView; id: number }) {
    const version = Number(this.meta("version") ?? 0) + 1;
    this.setMeta("version", String(version));
    const count = this.count();
    // KV takes one write per key per second: the count is written by the alarm, at most once a second.
    this.ctx.waitUntil(this.scheduleCountWrite());
    const message = JSON.stringify({ type: event.type, id: event.id, comment: event.comment ? apiComment(event.comment) : undefined, count, version });
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        /* a listener that went away */
      }
    }
  }

  /** Held comments are news for the moderation queue only: never sent to public listeners. */
  private tellAdmins(event: Record<string, unknown>) {
    const message = JSON.stringify(event);
    for (const ws of this.ctx.getWebSockets("admin")) {
      try {
        ws.send(message);
      } catch {
        /* gone */
      }
    }
  }

  private async scheduleCountWrite() {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 1000);
  }

  override async alarm() {
    const slug = this.slug();
    if (slug) await this.env.POSTS.put(keys.commentCount(slug), JSON.stringify({ n: this.count(), v: Number(this.meta("version") ?? 0) }));
  }

  private count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE status = 'published'").one().n;
  }

  private async key(secret: string | null): Promise<CryptoKey> {
    let raw = secret;
    if (!raw) {
      raw = this.meta("secret");
      if (!raw) {
        raw = toBase64url(crypto.getRandomValues(new Uint8Array(32)).buffer as ArrayBuffer);
        this.setMeta("secret", raw);
      }
    }
    return crypto.subtle.importKey("raw", new TextEncoder().encode(raw), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  }

  private async editToken(id: number, expires: number, secret: string | null): Promise<string> {
    const sig = await crypto.subtle.sign("HMAC", await this.key(secret), new TextEncoder().encode(`${this.slug()}:${id}:${expires}`));
    return `${expires}.${toBase64url(sig)}`;
  }

  private async tokenValid(id: number, token: string, secret: string | null): Promise<boolean> {
    const [expiresText, sigText] = token.split(".");
    const expires = Number(expiresText);
    const sig = sigText ? fromBase64url(sigText) : null;
    if (!sig || !Number.isSafeInteger(expires) || expires < Date.now() || expires > Date.now() + EDIT_WINDOW_MS) return false;
    return crypto.subtle.verify("HMAC", await this.key(secret), sig, new TextEncoder().encode(`${this.slug()}:${id}:${expires}`));
  }

  private held(doc: CommentDoc, body: string, policy: ThreadPolicy): boolean {
    if (countLinks(doc) > 2) return true;
    const lower = body.toLowerCase();
    return policy.blockedWords.some((w) => w && new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\p{L}\\p{N}])`, "u").test(lower));
  }

  /** Adds a comment; a held comment is stored but not shown until approved. */
  async create(
    slug: string,
    input: CreateInput,
    policy: ThreadPolicy,
  ): Promise<Result<{ comment: CommentView; editToken: string; editableUntil: string }>> {
    this.slug(slug);
    const now = Date.now();
    if (policy.rateLimit > 0 && input.ip) {
      this.sql.exec("DELETE FROM hits WHERE at <= ?", now - RATE_WINDOW_MS);
      const recent = this.sql.exec<{ at: number }>("SELECT at FROM hits WHERE ip = ? ORDER BY at", input.ip).toArray();
      if (recent.length >= policy.rateLimit) {
        const retryAfter = Math.max(1, Math.ceil((recent[recent.length - policy.rateLimit]!.at + RATE_WINDOW_MS - now) / 1000));
        return fail(429, "rate_limited", `Too many comments from your address. Try again in ${retryAfter} seconds.`, retryAfter);
      }
    }
    if (input.parentId !== null) {
      const parent = this.row(input.parentId);
      if (!parent || parent.status !== "published") return fail(400, "invalid_parent", "The comment you are replying to does not exist in this thread.");
    }
    const doc = parseComment(input.body);
    const commenter = input.email ? `email:${input.email}` : `name:${input.author.toLowerCase()}`;
    const known =
      this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE commenter = ? AND status = 'published'", commenter).one().n > 0;
    const status: CommentStatus =
      policy.moderation === "all" || (policy.moderation === "first-time" && !known) || this.held(doc, input.body, policy) ? "held" : "published";
    const createdAt = new Date(now).toISOString();
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO comments (parent_id, author, email, ip, commenter, body, doc, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        input.parentId,
        input.author,
        input.email,
        input.ip,
        commenter,
        input.body,
        JSON.stringify(doc),
        status,
        createdAt,
      )
      .one().id;
    if (policy.rateLimit > 0 && input.ip) this.sql.exec("INSERT INTO hits (ip, at) VALUES (?, ?)", input.ip, now);
    const comment = this.view(this.row(id)!);
    if (status === "published") this.changed({ type: "comment.created", comment, id });
    else this.tellAdmins({ type: "comment.held", id, comment: apiComment(comment) });
    const expires = now + EDIT_WINDOW_MS;
    return { ok: true, comment, editToken: await this.editToken(id, expires, policy.secret), editableUntil: new Date(expires).toISOString() };
  }

  /** Comments with the given status, oldest first, after the cursor id. */
  async list(opts: { after: number; limit: number; status: CommentStatus }): Promise<{ comments: CommentView[]; next: number | null; total: number }> {
    const rows = this.sql
      .exec<Row>(
        "SELECT id, parent_id, author, doc, status, created_at, edited_at FROM comments WHERE status = ? AND id > ? ORDER BY id LIMIT ?",
        opts.status,
        opts.after,
        opts.limit + 1,
      )
      .toArray();
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit).map((r) => this.view(r));
    const total = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE status = ?", opts.status).one().n;
    return { comments: page, next: more ? page[page.length - 1]!.id : null, total };
  }

  /** What the post page shows: the latest `limit` published comments, oldest first, and the thread's version. */
  async thread(limit: number): Promise<{ comments: CommentView[]; total: number; version: number }> {
    const rows = this.sql
      .exec<Row>(
        "SELECT * FROM (SELECT id, parent_id, author, doc, status, created_at, edited_at FROM comments WHERE status = 'published' ORDER BY id DESC LIMIT ?) ORDER BY id",
        limit,
      )
      .toArray();
    return { comments: rows.map((r) => this.view(r)), total: this.count(), version: Number(this.meta("version") ?? 0) };
  }

  private async authorize(id: number, auth: Auth, secret: string | null): Promise<Result<{ row: Row }>> {
    const row = this.row(id);
    if (!row || row.status === "deleted" || (!auth.admin && row.status !== "published" && row.status !== "held")) {
      return fail(404, "not_found", "There is no such comment on this post.");
    }
    if (!auth.admin && !(await this.tokenValid(id, auth.token, secret))) {
      return fail(403, "forbidden", "The edit token is not valid for this comment, or its 15 minutes have passed.");
    }
    return { ok: true, row };
  }

  /** Replaces a comment's text (its author within 15 minutes, or an admin). */
  async edit(id: number, body: string, auth: Auth, policy: ThreadPolicy): Promise<Result<{ comment: CommentView }>> {
    const check = await this.authorize(id, auth, policy.secret);
    if (!check.ok) return check;
    const doc = parseComment(body);
    const wasPublic = check.row.status === "published";
    const status: CommentStatus = wasPublic && !auth.admin && this.held(doc, body, policy) ? "held" : check.row.status;
    this.sql.exec(
      "UPDATE comments SET body = ?, doc = ?, status = ?, edited_at = ? WHERE id = ?",
      body,
      JSON.stringify(doc),
      status,
      new Date().toISOString(),
      id,
    );
    const comment = this.view(this.row(id)!);
    if (wasPublic) this.changed(status === "published" ? { type: "comment.edited", comment, id } : { type: "comment.removed", id });
    return { ok: true, comment };
  }

  /** Deletes a comment's content for good; replies stay. */
  async remove(id: number, auth: Auth, policy: ThreadPolicy): Promise<Result<{ removed: true }>> {
    const check = await this.authorize(id, auth, policy.secret);
    if (!check.ok) return check;
    this.sql.exec("UPDATE comments SET body = '', doc = '[]', email = NULL, ip = NULL, status = 'deleted', edited_at = ? WHERE id = ?", new Date().toISOString(), id);
    if (check.row.status === "published") this.changed({ type: "comment.removed", id });
    else this.tellAdmins({ type: "comment.removed", id });
    return { ok: true, removed: true };
  }

  /** Admin moderation: publish a held or hidden comment, or hide a published one. */
  async moderate(id: number, action: "approve" | "hide"): Promise<Result<{ comment: CommentView }>> {
    const row = this.row(id);
    if (!row || row.status === "deleted") return fail(404, "not_found", "There is no such comment on this post.");
    const status: CommentStatus = action === "approve" ? "published" : "hidden";
    if (row.status !== status) {
      this.sql.exec("UPDATE comments SET status = ? WHERE id = ?", status, id);
      const comment = this.view(this.row(id)!);
      this.changed(action === "approve" ? { type: "comment.approved", comment, id } : { type: "comment.removed", id });
    }
    return { ok: true, comment: this.view(this.row(id)!) };
  }

  /** Only for the live feed: upgrades to a hibernatable WebSocket. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const pair = new WebSocketPair();
    const [client, server] = Object.values(pair) as [WebSocket, WebSocket];
    // The worker sets this header only for a signed-in editor, and strips it from everyone else.
    this.ctx.acceptWebSocket(server, request.headers.get("X-Admin-Listener") === "1" ? ["admin"] : []);
    server.serializeAttachment({ since: Date.now() });
    server.send(JSON.stringify({ type: "hello", count: this.count(), version: Number(this.meta("version") ?? 0) }));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    if (message === "ping") ws.send("pong");
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string) {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }
}
