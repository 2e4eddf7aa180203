import { WorkerEntrypoint } from "cloudflare:workers";
import { MAIN_BLOG } from "./core/blogs";
import { apiComment, type ApiComment, type Reaction, type Reactions, type RemoteReply } from "./core/comments";
import { blogStore } from "./core/keys";
import { blogRecord } from "./data/blogs";
import { commentThread } from "./data/comments";
import { siteEditor, subscribers } from "./data/objects";
import { restoreSettings } from "./data/look";
import type { BackupSubscriber, ErasedPeople, ThreadBackup } from "./core/backups";
import type { BlogSettings } from "./core/blogs";
import type { PostSource } from "./core/types";
import type { ImportedComment } from "./core/imports";
import { getPublicPost } from "./data/posts";
import { type ErrorCode, failure, type Failure } from "./errors";
import { readSettings } from "./settings";

/**
 * What the federation worker may ask of the blogs, over its service binding (a named entrypoint:
 * never reachable from the internet). Replies, deletions and reactions go to the post's own
 * comment thread, under the blog's rules, only while the post is public.
 */
export class Internal extends WorkerEntrypoint<Env> {
  private async blog(name: string) {
    const found = await blogRecord(this.env.POSTS, name);
    const record = found?.state === "active" ? found : null;
    if (!record && name !== MAIN_BLOG) return null;
    return { settings: readSettings(this.env, undefined, record), store: blogStore(this.env.POSTS, name) };
  }

  private async publicPost(blog: string, slug: string) {
    const found = await this.blog(blog);
    const post = found ? await getPublicPost(found.store, slug, new Date()) : null;
    return found && post ? { ...found, post } : null;
  }

  /** A reply (or its edit) as a comment of the post: its id and status, or why not. */
  async reply(
    blog: string,
    slug: string,
    reply: RemoteReply,
  ): Promise<{ ok: true; id: number; status: string; created: boolean } | Failure> {
    const found = await this.publicPost(blog, slug);
    if (!found) return failure("not_found", `No published post has the slug "${slug}".`);
    try {
      const { comment, created } = await commentThread(this.env, blog, slug).remoteReply(blog, slug, reply, found.settings.comments);
      return { ok: true, id: comment.id, status: comment.status, created };
    } catch (err) {
      const code = (err as { code?: ErrorCode }).code;
      return failure(code ?? "unavailable", err instanceof Error ? err.message : "The comment could not be stored.");
    }
  }

  async deleteReply(blog: string, slug: string, noteId: string, actor: string): Promise<boolean> {
    if (!(await this.publicPost(blog, slug))) return false;
    return commentThread(this.env, blog, slug).remoteDelete(noteId, actor);
  }

  async react(blog: string, slug: string, kind: Reaction, actor: string, add: boolean): Promise<Reactions | null> {
    if (!(await this.publicPost(blog, slug))) return null;
    return commentThread(this.env, blog, slug).react(blog, slug, kind, actor, add);
  }

  /** The post's published comments, oldest first (its Article's `replies`). */
  async replies(blog: string, slug: string): Promise<ApiComment[]> {
    if (!(await this.publicPost(blog, slug))) return [];
    const page = await commentThread(this.env, blog, slug).list({ after: 0, limit: 100, status: "published" });
    return page.comments.map(apiComment);
  }

  /** A post's published comments as an export holds them (its imported ones taken first): for the export's steps. */
  async exportedComments(blog: string, slug: string, imported: string | undefined): Promise<ImportedComment[]> {
    return commentThread(this.env, blog, slug).exported(imported ? { blog, slug, mark: imported } : undefined);
  }

  /** The blog's subscribers as CSV, for its export. */
  async subscribersCsv(blog: string): Promise<string> {
    return subscribers(this.env, blog).csv();
  }

  /** A thread as a night's backup keeps it (federation/src/backups.ts); `refresh`: its count key has no fingerprint yet. */
  threadBackup(blog: string, slug: string, refresh: boolean): Promise<ThreadBackup> {
    return commentThread(this.env, blog, slug).backup(refresh);
  }

  /** The subscribers as a backup keeps them; no rows when their fingerprint is still `known`. */
  subscribersBackup(blog: string, known: string | null): Promise<{ h: string; rows: BackupSubscriber[] | null }> {
    return subscribers(this.env, blog).backup(known);
  }

  /** A whole-blog restore's writes, as edits: a post saved by the editor object (pages, listings, search and feeds follow)… */
  async restorePost(blog: string, post: PostSource): Promise<void> {
    await siteEditor(this.env, blog).save(blog, post);
  }

  /** …a post the point did not have, moved to the trash (restorable)… */
  async trashPost(blog: string, slug: string): Promise<void> {
    await siteEditor(this.env, blog).remove(blog, slug);
  }

  /** …a thread put back as the point holds it (but for the people erased since)… */
  restoreThread(blog: string, slug: string, thread: Omit<ThreadBackup, "h">, erased: ErasedPeople, formerReader: string): Promise<boolean> {
    return commentThread(this.env, blog, slug).restoreBackup(blog, slug, thread, erased, formerReader);
  }

  /** …the settings, as the settings page writes them… */
  async restoreSettings(blog: string, settings: Partial<BlogSettings>, customCss: string): Promise<void> {
    await restoreSettings(this.env, blog, settings, customCss);
  }

  /** …and the subscribers who are no longer on the list. */
  restoreSubscribers(blog: string, rows: BackupSubscriber[]): Promise<number> {
    return subscribers(this.env, blog).restoreBackup(rows);
  }

  /** An erasure's steps (data/erasure.ts, run by the federation worker): the address off the subscribers… */
  forgetSubscriber(blog: string, email: string) {
    return subscribers(this.env, blog).forget(email);
  }

  /** …the browsers that commented with it in a thread… */
  browsersOf(blog: string, slug: string, email: string) {
    return commentThread(this.env, blog, slug).browsersOf(email);
  }

  /** …and their comments in it, kept under `name` or deleted. */
  forgetComments(blog: string, slug: string, email: string, browsers: string[], mode: "anonymize" | "delete", name: string) {
    return commentThread(this.env, blog, slug).forget(email, browsers, mode, name);
  }
}
