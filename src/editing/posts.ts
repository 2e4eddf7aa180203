import type { Context } from "hono";
import type { PostRecord, PostSource } from "../core/types";
import { validatePost } from "../core/validate";
import { siteEditor, subscribers } from "../data/objects";
import { queueMailings } from "../data/mailings";
import { MAIL_HORIZON_MS } from "../core/jobs";
import { log } from "../core/log";
import { AppError } from "../errors";
import { type AuditAction, audit } from "../http/audit";
import { announceChange } from "../http/federation";
import { asAuthorMaySave } from "../http/post-html";
import type { AppEnv } from "../settings";

/**
 * Every change of a post, whichever door it comes through (the editor's form, the JSON API, the
 * trash): validate → save → audit → announce to the fediverse → tell the page cache what changed.
 * Routes parse their input and shape their answer; the rules of a save live here once.
 * (`npm run publish` and imports write KV from the command line, through the same validation.)
 */

export type PostStatus = "published" | "draft" | "scheduled";

/** Where a saved post stands: a draft, online, or online at a later date. */
export const statusOf = (record: { draft: boolean; date: string }, now: string): PostStatus =>
  record.draft ? "draft" : record.date > now ? "scheduled" : "published";

/** A post's fields checked as a file's front matter is by `npm run publish`; 400 invalid_post naming each field. */
export function checkedPost(slug: string, fields: Record<string, unknown>, markdown: string): PostSource {
  const checked = validatePost(slug, fields, markdown);
  if (!checked.ok) throw new AppError("invalid_post", checked.errors.map((e) => `${e.field}: ${e.message}`).join("; "));
  return checked.post;
}

export interface Saved {
  created: boolean;
  record: PostRecord;
  status: PostStatus;
  /** What the HTML filter removed (only owners post unfiltered HTML). */
  dropped: string[];
}

/**
 * Saves a checked post as its author may (their HTML filtered unless they are an owner); with
 * `renamedFrom`, a draft moves to its new slug (a published post keeps its address: 400).
 */
export async function savePost<E extends AppEnv>(c: Context<E>, checked: PostSource, renamedFrom?: string): Promise<Saved> {
  const { post, dropped } = await asAuthorMaySave(c, checked);
  const blog = c.var.store.name;
  const editor = siteEditor(c.env, blog);
  let created = false;
  let record: PostRecord;
  if (renamedFrom !== undefined && renamedFrom !== post.slug) {
    ({ record } = await editor.rename(blog, renamedFrom, post));
    changed(c, renamedFrom);
    await recorded(c, "post.renamed", `${renamedFrom} → ${post.slug}`, post.slug);
  } else {
    ({ created, record } = await editor.save(blog, post));
    await recorded(c, "post.saved", post.slug, post.slug);
  }
  const status = statusOf(record, new Date().toISOString());
  await mailingFollows(c, record, status);
  return { created, record, status, dropped };
}

/**
 * A post public now starts its mailing to the subscribers (the jobs queue sends it, once per
 * subscriber), or takes up one it had stopped; one that now says not to stops any under way. A failure here loses nothing: the
 * cron starts what is not started.
 */
async function mailingFollows<E extends AppEnv>(c: Context<E>, record: PostRecord, status: PostStatus): Promise<void> {
  if (status !== "published" || record.type === "page" || Date.now() - Date.parse(record.date) > MAIL_HORIZON_MS) return;
  const blog = c.var.store.name;
  try {
    if ((record.email ?? c.var.settings.blog.emailPosts) === false)
      await subscribers(c.env, blog).stopSend(record.slug, record.date, new Date().toISOString());
    else await queueMailings(c.env, blog, [record], true);
  } catch (error) {
    log("error", "starting the post's mailing failed; the cron starts it", { slug: record.slug, error });
  }
}

/** Moves a post to the trash (restorable for 30 days); false when there is no such post. */
export async function deletePost<E extends AppEnv>(c: Context<E>, slug: string): Promise<boolean> {
  const removed = await siteEditor(c.env, c.var.store.name).remove(c.var.store.name, slug);
  if (!removed) return false;
  await recorded(c, "post.deleted", slug, slug);
  return true;
}

/** Puts a post back from the trash as it was (404 not in the trash, 409 its slug taken since). */
export async function restorePost<E extends AppEnv>(c: Context<E>, slug: string): Promise<PostRecord> {
  const { record } = await siteEditor(c.env, c.var.store.name).restore(c.var.store.name, slug);
  await recorded(c, "post.restored", slug, slug);
  return record;
}

/** Deletes a post in the trash for good, with its earlier versions; false when it is not there. */
export async function purgePost<E extends AppEnv>(c: Context<E>, slug: string): Promise<boolean> {
  if (!(await siteEditor(c.env, c.var.store.name).purgeTrashed(slug))) return false;
  await audit(c, "post.purged", slug);
  return true;
}

/** What follows every change of a post: the audit log, the page cache told, the fediverse told. */
async function recorded<E extends AppEnv>(c: Context<E>, action: AuditAction, target: string, slug: string): Promise<void> {
  await audit(c, action, target);
  changed(c, slug);
  await announceChange(c, slug);
}

/** Tells the page cache (through the context: this module never imports it) that a post and the lists it is in changed. */
function changed<E extends AppEnv>(c: Context<E>, slug: string): void {
  c.var.changes?.post(slug);
}
