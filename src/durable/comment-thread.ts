import { COMMENT_WINDOW_MS, heldBySpamRules } from "../core/comment-policy";
import {
  apiComment,
  type Auth,
  type CommentRules,
  type CommentStatus,
  type CommentView,
  type CreateInput,
  type Reaction,
  type Reactions,
  type RemoteReply,
} from "../core/comments";
import { type ImportedComment, type ImportRef, importMark, parseImportedComments } from "../core/imports";
import { keysFor } from "../core/keys";
import { contentValidator } from "../core/hash";
import { ipBucket } from "../core/net";
import { EDIT_WINDOW_MS, DEFAULT_POST_COMMENT_LIMIT } from "../core/vocabulary";
import { failure, type Result } from "../errors";
import { COLUMNS, MIGRATIONS, type Row } from "./comment-schema";
import { ADMIN, acceptListener, answerPing, closeAll, closeBack } from "./comment-live";
import { exportedComments, mergeImported } from "./comment-imports";
import { heldByRules, limited, parseOrFail } from "./comment-rules";
import { anonymize, browsersOf, commentsFrom } from "./comment-people";
import { restoreThread, threadBackup } from "./comment-backup";
import type { ErasedPeople, ThreadBackup } from "../core/backups";
import { ThreadState } from "./thread-state";
import { wipe } from "./sqlite";

/** What the post page gets of its thread; `comments` null: the caller's `known` key is still current. */
export interface ThreadAnswer {
  comments: CommentView[] | null;
  total: number;
  version: number;
  reactions: Reactions;
  key: string;
}

/**
 * One post's comment thread, in SQLite. Every write goes through this object, one at a time,
 * so concurrent comments are stored once each, in order. Live listeners hold hibernatable WebSockets.
 */
export class CommentThread extends ThreadState {
  /** The readers' answer of the current version (see thread()). */
  private shown: { version: number; limit: number; answer: ThreadAnswer & { comments: CommentView[] } } | null = null;

  /** Adds a comment; a held comment is stored but not shown until approved. */
  async create(
    blog: string,
    slug: string,
    input: CreateInput,
    policy: CommentRules,
  ): Promise<Result<{ comment: CommentView; editToken: string; editableUntil: string }>> {
    this.blog(blog);
    this.slug(slug);
    const now = Date.now();
    const bucket = input.ip ? ipBucket(input.ip) : "";
    const perPost = policy.postLimit ?? DEFAULT_POST_COMMENT_LIMIT;
    const limits = policy.rateLimit > 0 || perPost > 0;
    if (limits) {
      this.sql.exec("DELETE FROM hits WHERE at <= ?", now - COMMENT_WINDOW_MS);
      const refused = limited(this.sql, bucket, policy.rateLimit, perPost, now);
      if (refused) return refused;
    }
    if (input.parentId !== null) {
      const parent = this.row(input.parentId);
      if (parent?.status !== "published")
        return failure("invalid_parent", "The comment you are replying to does not exist in this thread.");
    }
    const doc = parseOrFail(input.body);
    if (!Array.isArray(doc)) return doc;
    // Trust rests on the signed commenter cookie only; a comment without one is a stranger's.
    const commenter = input.commenter ? `cookie:${input.commenter}` : `anonymous:${crypto.randomUUID()}`;
    const status: CommentStatus = heldByRules(this.sql, commenter, doc, input.body, policy) ? "held" : "published";
    const createdAt = new Date(now).toISOString();
    const id = this.sql
      .exec<{ id: number }>(
        `INSERT INTO comments (parent_id, author, email, ip, commenter, body, doc, status, created_at, notify)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        input.parentId,
        input.author,
        input.email,
        input.ip,
        commenter,
        input.body,
        JSON.stringify(doc),
        status,
        createdAt,
        input.notify && input.email ? 1 : 0,
      )
      .one().id;
    if (limits) this.sql.exec("INSERT INTO hits (ip, at) VALUES (?, ?)", bucket, now);
    this.moved(null, status);
    const comment = this.view(this.row(id)!);
    if (status === "published") this.changed({ type: "comment.created", comment });
    else {
      this.send({ type: "comment.held", id, comment: apiComment(comment) }, ADMIN);
      // Its count key then exists (published count unchanged): every thread that holds a comment is found by its key (an erasure's job).
      this.ctx.waitUntil(this.scheduleCountWrite());
    }
    const expires = now + EDIT_WINDOW_MS;
    return {
      ok: true,
      comment,
      editToken: await this.editToken(id, expires, policy.secret),
      editableUntil: new Date(expires).toISOString(),
    };
  }

  /**
   * Takes in the post's imported comments once per published version of them (`imported`, the
   * mark on the post's record): new ones are added as published, in date order, under the
   * comment they answer; ones already here keep their id and status (a moderator's hide stays),
   * so importing and publishing again duplicates nothing. Nobody is told, nothing is rate-limited.
   */
  private async takeImports(ref: ImportRef | undefined): Promise<void> {
    if (!ref || this.meta("imported") === ref.mark) return;
    const imported = ref.mark;
    this.blog(ref.blog);
    const slug = this.slug(ref.slug);
    const value = await this.env.POSTS.get(keysFor(this.blog()).importedComments(slug));
    const { comments } = value ? parseImportedComments(value) : { comments: [] };
    // Another call may have taken them in while this one read KV.
    if (this.meta("imported") === imported) return;
    // KV may not hold the published version yet (it is written beside the post): take what is
    // there, and look again on the next read until it is the one the post names.
    const current = value !== null && importMark(value) === imported;
    let added = 0;
    try {
      this.ctx.storage.transactionSync(() => {
        added = mergeImported(this.sql, comments);
        if (current) this.setMeta("imported", imported);
        if (added) this.setMeta("version", String(this.version() + 1));
      });
    } catch (err) {
      // A failed transaction took its meta writes back: what this object remembers of them goes too.
      this.metaValues.clear();
      throw err;
    } finally {
      // Imported comments are counted again from the rows.
      this.published = null;
    }
    if (added) await this.scheduleCountWrite();
  }

  /** Comments with the given status, oldest first, after the cursor id. */
  async list(opts: {
    after: number;
    limit: number;
    status: CommentStatus;
    imports?: ImportRef;
  }): Promise<{ comments: CommentView[]; next: number | null; total: number }> {
    await this.takeImports(opts.imports);
    const rows = this.sql
      .exec<Row>(`SELECT ${COLUMNS} FROM comments WHERE status = ? AND id > ? ORDER BY id LIMIT ?`, opts.status, opts.after, opts.limit + 1)
      .toArray();
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit).map((r) => this.view(r));
    const total =
      opts.status === "published"
        ? this.count()
        : this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE status = ?", opts.status).one().n;
    return { comments: page, next: more ? page[page.length - 1]!.id : null, total };
  }

  /**
   * What the post page shows: the latest `limit` published comments, oldest first, the thread's
   * version, and a key naming exactly that (version and a digest of the comments). Kept until the
   * version changes (most calls are readers of an unchanged thread: no query, no parsing).
   * `imports`: the post's imported comments as last published, if it has any. `known`: the key
   * the caller already shows; when it is still current, the answer's comments are null.
   */
  async thread(limit: number, imports?: ImportRef, known?: string): Promise<ThreadAnswer> {
    await this.takeImports(imports);
    const version = this.version();
    if (this.shown?.version !== version || this.shown.limit !== limit) {
      const rows = this.sql
        .exec<Row>(
          `SELECT * FROM (
             SELECT ${COLUMNS} FROM comments WHERE status = 'published' ORDER BY created_at DESC, id DESC LIMIT ?
           ) ORDER BY created_at, id`,
          limit,
        )
        .toArray();
      const comments = rows.map((r) => this.view(r));
      const key = `${version}.${contentValidator(JSON.stringify(comments))}`;
      this.shown = { version, limit, answer: { comments, total: this.count(), version, reactions: this.reactions(), key } };
    }
    const { answer } = this.shown;
    // The caller still shows this very thread: the comments need not travel again.
    return known === answer.key ? { ...answer, comments: null } : answer;
  }

  /** For moderators: the held comments (oldest first) and the latest `recent` published ones (newest first), in one call. */
  async moderation(held: number, recent: number): Promise<{ held: CommentView[]; recent: CommentView[] }> {
    const rows = (status: CommentStatus, order: string, limit: number) =>
      this.sql
        .exec<Row>(`SELECT ${COLUMNS} FROM comments WHERE status = ? ORDER BY ${order} LIMIT ?`, status, limit)
        .toArray()
        .map((r) => this.view(r));
    return { held: rows("held", "id", held), recent: rows("published", "created_at DESC, id DESC", recent) };
  }

  private async authorize(id: number, auth: Auth, secret: string | null): Promise<Result<{ row: Row }>> {
    const row = this.row(id);
    if (!row || row.status === "deleted" || (!auth.admin && row.status !== "published" && row.status !== "held")) {
      return failure("not_found", "There is no such comment on this post.");
    }
    if (!auth.admin && !(await this.tokenValid(id, auth.token, secret))) {
      return failure("forbidden", "The edit token is not valid for this comment, or its 15 minutes have passed.");
    }
    return { ok: true, row };
  }

  /**
   * A reply from the fediverse (a `Create(Note)`, or its `Update`): a comment under the blog's
   * moderation rules, threaded under the comment it answers (ours by id, or another remote reply
   * by its Note id). The same Note again edits it, and only its author's actor may.
   */
  async remoteReply(
    blog: string,
    slug: string,
    reply: RemoteReply,
    policy: CommentRules,
  ): Promise<Result<{ comment: CommentView; created: boolean }>> {
    this.blog(blog);
    this.slug(slug);
    const doc = parseOrFail(reply.body);
    if (!Array.isArray(doc)) return doc;
    const existing = this.sql
      .exec<Row & { remote_actor: string }>(`SELECT ${COLUMNS}, commenter, remote_actor FROM comments WHERE remote_id = ?`, reply.id)
      .toArray()[0];
    const commenter = `remote:${reply.actor}`;
    if (existing) {
      if (existing.remote_actor !== reply.actor) return failure("forbidden", "Only the reply's author may change it.");
      if (existing.status === "deleted") return { ok: true, comment: this.view(existing), created: false };
      const status: CommentStatus =
        existing.status === "published" && heldBySpamRules(doc, reply.body, policy.blockedWords) ? "held" : existing.status;
      return { ok: true, comment: this.rewrite(existing.id, reply.body, doc, existing.status, status), created: false };
    }
    const parent =
      reply.parent === null
        ? null
        : (this.sql
            .exec<{ id: number }>(
              "SELECT id FROM comments WHERE status = 'published' AND (id = ? OR remote_id = ?)",
              typeof reply.parent === "number" ? reply.parent : -1,
              typeof reply.parent === "string" ? reply.parent : "",
            )
            .toArray()[0]?.id ?? null);
    if (reply.parent !== null && parent === null) return failure("invalid_parent", "The comment this reply answers is not on this post.");
    const status: CommentStatus = heldByRules(this.sql, commenter, doc, reply.body, policy) ? "held" : "published";
    const id = this.sql
      .exec<{ id: number }>(
        `INSERT INTO comments (parent_id, author, author_url, commenter, body, doc, status, created_at, remote_id, remote_actor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        parent,
        reply.author,
        reply.authorUrl,
        commenter,
        reply.body,
        JSON.stringify(doc),
        status,
        new Date().toISOString(),
        reply.id,
        reply.actor,
      )
      .one().id;
    this.moved(null, status);
    const comment = this.view(this.row(id)!);
    if (status === "published") this.changed({ type: "comment.created", comment });
    else {
      this.send({ type: "comment.held", id, comment: apiComment(comment) }, ADMIN);
      // Its count key then exists (published count unchanged): every thread that holds a comment is found by its key (an erasure's job).
      this.ctx.waitUntil(this.scheduleCountWrite());
    }
    return { ok: true, comment, created: true };
  }

  /** A fediverse `Delete` of a reply: only its author's actor may; false when there is no such reply. */
  async remoteDelete(noteId: string, actor: string): Promise<boolean> {
    const row = this.sql
      .exec<{ id: number; status: CommentStatus; remote_actor: string }>(
        "SELECT id, status, remote_actor FROM comments WHERE remote_id = ?",
        noteId,
      )
      .toArray()[0];
    if (!row || row.remote_actor !== actor || row.status === "deleted") return false;
    this.erase(row.id, row.status);
    return true;
  }

  /** A like or a boost from the fediverse (or its Undo): counted once per actor. */
  async react(blog: string, slug: string, kind: Reaction, actor: string, add: boolean): Promise<Reactions> {
    this.blog(blog);
    this.slug(slug);
    if (add) this.sql.exec("INSERT OR IGNORE INTO reactions (kind, actor) VALUES (?, ?)", kind, actor);
    else this.sql.exec("DELETE FROM reactions WHERE kind = ? AND actor = ?", kind, actor);
    this.setMeta("version", String(this.version() + 1));
    // The count key then exists: readers' pages ask this thread again (see routes/post-page.tsx).
    this.ctx.waitUntil(this.scheduleCountWrite());
    return this.reactions();
  }

  private reactions(): Reactions {
    const out: Reactions = { like: 0, announce: 0 };
    for (const r of this.sql.exec<{ kind: Reaction; n: number }>("SELECT kind, COUNT(*) AS n FROM reactions GROUP BY kind"))
      out[r.kind] = r.n;
    return out;
  }

  /** A comment's Markdown for its author's edit form (within the 15 minutes of its token). */
  async editable(id: number, token: string, policy: CommentRules): Promise<Result<{ body: string; author: string }>> {
    const check = await this.authorize(id, { admin: false, token }, policy.secret);
    if (!check.ok) return check;
    const { body } = this.sql.exec<{ body: string }>("SELECT body FROM comments WHERE id = ?", id).one();
    return { ok: true, body, author: check.row.author };
  }

  /** Replaces a comment's text (its author within 15 minutes, or an admin). */
  async edit(id: number, body: string, auth: Auth, policy: CommentRules): Promise<Result<{ comment: CommentView }>> {
    const check = await this.authorize(id, auth, policy.secret);
    if (!check.ok) return check;
    const doc = parseOrFail(body);
    if (!Array.isArray(doc)) return doc;
    // An author's edit is moderated like a new comment; an admin's edit keeps the status.
    const status: CommentStatus =
      !auth.admin && (check.row.status === "held" || heldByRules(this.sql, check.row.commenter!, doc, body, policy))
        ? "held"
        : check.row.status;
    const comment = this.rewrite(id, body, doc, check.row.status, status);
    if (status === "held") this.send({ type: "comment.held", id, comment: apiComment(comment) }, ADMIN);
    return { ok: true, comment };
  }

  /** Deletes a comment's content for good; replies stay. */
  async remove(id: number, auth: Auth, policy: CommentRules): Promise<Result<{ removed: true }>> {
    const check = await this.authorize(id, auth, policy.secret);
    if (!check.ok) return check;
    this.erase(id, check.row.status);
    return { ok: true, removed: true };
  }

  /** Admin moderation: publish a held or hidden comment, or hide a published one. */
  /**
   * Whom a published reply should be mailed to: the address of the comment it answers, when its
   * commenter asked to be told and wrote from another address; null otherwise. The address leaves
   * the thread only to be mailed (through the blog's Subscribers object, which knows its consent).
   */
  async replyRecipient(id: number): Promise<{ email: string; author: string; body: string } | null> {
    const row = this.sql
      .exec<{ email: string | null; notify: number; own: string | null; author: string; body: string }>(
        `SELECT p.email, p.notify, c.email AS own, c.author, c.body FROM comments c JOIN comments p ON p.id = c.parent_id
         WHERE c.id = ? AND c.status = 'published' AND c.remote_id IS NULL AND p.status = 'published'`,
        id,
      )
      .toArray()[0];
    if (!row?.notify || !row.email || row.email.toLowerCase() === row.own?.toLowerCase()) return null;
    return { email: row.email, author: row.author, body: row.body };
  }

  async moderate(id: number, action: "approve" | "hide"): Promise<Result<{ comment: CommentView }>> {
    const row = this.row(id);
    if (!row || row.status === "deleted") return failure("not_found", "There is no such comment on this post.");
    const status: CommentStatus = action === "approve" ? "published" : "hidden";
    if (row.status !== status) {
      this.sql.exec("UPDATE comments SET status = ? WHERE id = ?", status, id);
      this.moved(row.status, status);
      const comment = this.view(this.row(id)!);
      this.changed(action === "approve" ? { type: "comment.approved", comment } : { type: "comment.removed", id });
    }
    return { ok: true, comment: this.view(this.row(id)!) };
  }

  /** The browsers (commenter cookies) that commented here with this address: the erasure's first pass. */
  async browsersOf(email: string): Promise<string[]> {
    return browsersOf(this.sql, email);
  }

  /**
   * Erases a person's comments on request (found by their address, commentsFrom): kept under
   * `name` ("A former reader") with nothing left of them, or deleted. Readers' pages follow.
   */
  async forget(
    email: string,
    browsers: string[],
    mode: "anonymize" | "delete",
    name: string,
  ): Promise<{ anonymized: number; deleted: number }> {
    const rows = commentsFrom(this.sql, email, browsers);
    // The rate limit's recent hits from their addresses go too (they would say when they wrote).
    for (const ip of new Set(rows.map((r) => r.ip).filter((ip) => ip !== null)))
      this.sql.exec("DELETE FROM hits WHERE ip = ?", ipBucket(ip));
    for (const r of rows) {
      if (mode === "delete") {
        this.erase(r.id, r.status);
        continue;
      }
      anonymize(this.sql, r.id, name);
      if (r.status === "published") this.changed({ type: "comment.edited", comment: this.view(this.row(r.id)!) });
    }
    // Held comments changed too: the count key's fingerprint follows (nightly backups compare it).
    if (rows.length) this.ctx.waitUntil(this.scheduleCountWrite());
    return { anonymized: mode === "anonymize" ? rows.length : 0, deleted: mode === "delete" ? rows.length : 0 };
  }

  /** The thread as a night's backup keeps it; `refresh`: its count key has no fingerprint yet (written before backups), so it is written again. */
  async backup(refresh: boolean): Promise<ThreadBackup> {
    if (refresh && this.slug()) this.ctx.waitUntil(this.scheduleCountWrite());
    return threadBackup(this.sql);
  }

  /** Puts the thread back as a backup holds it (an owner's restore); readers' pages follow its new version. False: nothing changed. */
  async restoreBackup(
    blog: string,
    slug: string,
    backup: Omit<ThreadBackup, "h">,
    erased: ErasedPeople,
    formerReader: string,
  ): Promise<boolean> {
    this.blog(blog);
    this.slug(slug);
    if (!(await restoreThread(this.ctx.storage, backup, erased, formerReader))) return false;
    this.published = null;
    this.shown = null;
    const version = this.version() + 1;
    this.setMeta("version", String(version));
    await this.scheduleCountWrite();
    // Live readers are greeted again: a new version with no event for it makes their page fetch the thread anew.
    this.send({ type: "hello", count: this.count(), version });
    return true;
  }

  /** The published comments for the blog's export (its imported ones taken first). */
  async exported(imports?: ImportRef): Promise<ImportedComment[]> {
    await this.takeImports(imports);
    return exportedComments(this.sql);
  }

  /** Removes everything the thread holds (its blog is being deleted); live listeners are told to go. */
  async purge(): Promise<void> {
    closeAll(this.ctx, "This blog has been deleted.");
    await wipe(this.ctx.storage, MIGRATIONS);
    this.metaValues.clear();
    this.published = null;
    this.alarmSet = false;
    this.slugCache = null;
    this.blogCache = null;
    this.shown = null;
  }

  /** Only for the live feed: upgrades to a hibernatable WebSocket. */
  override async fetch(request: Request): Promise<Response> {
    return acceptListener(this.ctx, request, () => ({ type: "hello", count: this.count(), version: this.version() }));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    answerPing(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string) {
    closeBack(ws, code, reason);
  }
}
