/**
 * What every operation of a comment thread (durable/comment-thread.ts) stands on: its meta values
 * (blog, slug, version), its rows as views, the published count, the version bump that tells live
 * listeners and schedules the public count's KV write, and the edit tokens.
 */
import { DurableObject } from "cloudflare:workers";
import type { CommentDoc } from "../core/comment-markdown";
import { editTokenValid, signEditToken } from "../core/comment-policy";
import { apiComment, type CommentStatus, type CommentView, type LiveEvent } from "../core/comments";
import { MAIN_BLOG } from "../core/blogs";
import { keysFor } from "../core/keys";
import { toBase64url } from "../core/base64url";
import { COLUMNS, MIGRATIONS, type Row } from "./comment-schema";
import { ADMIN, broadcast } from "./comment-live";
import { threadBackup } from "./comment-backup";
import { migrate, readMeta, storedSecret, writeMeta } from "./sqlite";

export abstract class ThreadState extends DurableObject<Env> {
  protected sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  /** Meta values as last read or written: every reader's call asks for the version, and only this object writes it. */
  protected metaValues = new Map<string, string | null>();

  protected meta(key: string): string | null {
    let value = this.metaValues.get(key);
    if (value === undefined) {
      value = readMeta(this.sql, key);
      this.metaValues.set(key, value);
    }
    return value;
  }

  protected setMeta(key: string, value: string) {
    writeMeta(this.sql, key, value);
    this.metaValues.set(key, value);
  }

  protected slugCache: string | null = null;
  protected blogCache: string | null = null;

  /** The blog this thread belongs to (told by every create; threads older than the platform are the main blog's). */
  protected blog(blog?: string): string {
    if (blog && blog !== this.blogCache) {
      if (this.meta("blog") !== blog) this.setMeta("blog", blog);
      this.blogCache = blog;
    }
    this.blogCache ??= this.meta("blog") ?? MAIN_BLOG;
    return this.blogCache;
  }

  protected slug(slug?: string): string {
    if (slug && slug !== this.slugCache) {
      if (this.meta("slug") !== slug) this.setMeta("slug", slug);
      this.slugCache = slug;
    }
    this.slugCache ??= this.meta("slug") ?? "";
    return this.slugCache;
  }

  protected view(row: Row): CommentView {
    return {
      id: row.id,
      postSlug: this.slug(),
      parentId: row.parent_id,
      author: row.author,
      authorUrl: row.author_url,
      doc: JSON.parse(row.doc) as CommentDoc,
      status: row.status,
      createdAt: row.created_at,
      editedAt: row.edited_at,
    };
  }

  protected row(id: number): Row | undefined {
    return this.sql.exec<Row>(`SELECT ${COLUMNS}, commenter FROM comments WHERE id = ?`, id).toArray()[0];
  }

  protected version(): number {
    return Number(this.meta("version") ?? 0);
  }

  protected send(event: LiveEvent, tag?: string) {
    broadcast(this.ctx, event, tag);
  }

  /** Bumps the thread's version, schedules the public count's KV write and tells live listeners. */
  protected changed(
    change:
      | { type: "comment.created" | "comment.edited" | "comment.approved"; comment: CommentView }
      | { type: "comment.removed"; id: number },
  ) {
    const version = this.version() + 1;
    this.setMeta("version", String(version));
    const count = this.count();
    // KV takes one write per key per second: the count is written by the alarm, at most once a second.
    this.ctx.waitUntil(this.scheduleCountWrite());
    this.send(
      change.type === "comment.removed"
        ? { type: change.type, id: change.id, count, version }
        : { type: change.type, id: change.comment.id, comment: apiComment(change.comment), count, version },
    );
  }

  protected async scheduleCountWrite() {
    // The first change writes the count at once: until the key exists, readers' pages do not ask
    // this thread (routes/post-page.tsx). Later ones wait for the alarm.
    if (this.meta("counted") === null && this.slug()) {
      this.setMeta("counted", "1");
      await this.alarm();
      return;
    }
    if (this.alarmSet) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 1000);
    this.alarmSet = true;
  }

  /** An alarm is known to be set (so a burst of comments asks storage once); the alarm clears it. */
  protected alarmSet = false;

  override async alarm() {
    this.alarmSet = false;
    const slug = this.slug();
    // The metadata: the rows' fingerprint, which a night's backup compares (durable/comment-backup.ts).
    if (slug)
      await this.env.POSTS.put(keysFor(this.blog()).commentCount(slug), JSON.stringify({ n: this.count(), v: this.version() }), {
        metadata: { h: threadBackup(this.sql).h },
      });
  }

  /** The published comments, counted once and then kept up to date by every status change (a count scans an index of every comment). */
  protected published: number | null = null;

  protected count(): number {
    this.published ??= this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM comments WHERE status = 'published'").one().n;
    return this.published;
  }

  /** A comment went from `was` (null: new) to `now`: the kept count follows. */
  protected moved(was: CommentStatus | null, now: CommentStatus): void {
    if (this.published === null) return;
    this.published += (now === "published" ? 1 : 0) - (was === "published" ? 1 : 0);
  }

  /** The edit-token secret: the blog's, or one this thread made up (when no ADMIN_TOKEN is set). */
  protected secret(secret: string | null): string {
    return secret ?? storedSecret(this.sql);
  }

  /**
   * A random value made with this thread's storage and gone with it: edit tokens carry it, so a
   * token signed before the thread was purged (its blog deleted, the name taken again) is
   * worthless afterwards whatever secret the caller signs with.
   */
  protected generation(): string {
    let value = this.meta("generation");
    if (!value) {
      value = toBase64url(crypto.getRandomValues(new Uint8Array(9)));
      this.setMeta("generation", value);
    }
    return value;
  }

  protected editToken(id: number, expires: number, secret: string | null): Promise<string> {
    return signEditToken(this.secret(secret), this.slug(), id, this.generation(), expires);
  }

  protected tokenValid(id: number, token: string, secret: string | null): Promise<boolean> {
    return editTokenValid(this.secret(secret), token, { slug: this.slug(), id, generation: this.generation() }, Date.now());
  }

  /** Replaces a comment's text (and status); a comment that was public is edited for listeners, or leaves. */
  protected rewrite(id: number, body: string, doc: CommentDoc, was: CommentStatus, status: CommentStatus): CommentView {
    this.sql.exec(
      "UPDATE comments SET body = ?, doc = ?, status = ?, edited_at = ? WHERE id = ?",
      body,
      JSON.stringify(doc),
      status,
      new Date().toISOString(),
      id,
    );
    this.moved(was, status);
    const comment = this.view(this.row(id)!);
    if (was === "published") this.changed(status === "published" ? { type: "comment.edited", comment } : { type: "comment.removed", id });
    return comment;
  }

  /** Deletes a comment's content and whatever it held of its author for good (its replies stay), and tells listeners. */
  protected erase(id: number, was: CommentStatus): void {
    this.sql.exec(
      "UPDATE comments SET body = '', doc = '[]', email = NULL, ip = NULL, status = 'deleted', edited_at = ? WHERE id = ?",
      new Date().toISOString(),
      id,
    );
    this.moved(was, "deleted");
    if (was === "published") this.changed({ type: "comment.removed", id });
    else {
      this.send({ type: "comment.removed", id }, ADMIN);
      this.ctx.waitUntil(this.scheduleCountWrite());
    }
  }
}
