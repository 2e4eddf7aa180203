import { objectName } from "../core/blogs";
import type { FederationApi } from "../core/federation";
import { blogRoot, keyKind } from "../core/keys";
import { mediaPrefix } from "../core/media";
import { accountsName } from "../core/people";
import { purgeStats } from "../core/stats-schema";
import type { CommentThread } from "../durable/comment-thread";
import type { Sessions } from "../durable/sessions";
import type { SiteEditor } from "../durable/site-editor";
import type { Subscribers } from "../durable/subscribers";

/** KV keys removed per alarm run while a blog is deleted; the alarm comes back for the rest. */
const PURGE_BATCH = 200;

/**
 * Removes one batch of what a blog owns, store by store (its KV keys and the comment threads
 * they name, its images, its exports, its fediverse self, statistics, subscribers, editor, sessions, members); true once nothing is
 * left. Each step is safe to repeat, so a run that dies part-way resumes at the next alarm.
 */
export async function purgeStep(env: Env, blog: string, hosts: string[]): Promise<boolean> {
  const kv = env.POSTS;
  const page = await kv.list({ prefix: blogRoot(blog), limit: PURGE_BATCH });
  const threads = new Set<string>();
  for (const { name } of page.keys) {
    const kind = keyKind(name);
    if (kind === "post" || kind === "count") threads.add(name.slice(name.lastIndexOf(":") + 1));
  }
  // Threads first: if this run dies, their keys are still there to name them next time.
  for (const slug of threads) {
    const stub = env.COMMENTS.get(env.COMMENTS.idFromName(objectName(blog, slug))) as unknown as CommentThread;
    await stub.purge();
  }
  await Promise.all(page.keys.map(({ name }) => kv.delete(name)));
  if (page.keys.length) return false;
  // Its images (R2, under the blog's prefix), a batch at a time.
  const media = await env.MEDIA.list({ prefix: mediaPrefix(blog), limit: PURGE_BATCH });
  if (media.objects.length) {
    await env.MEDIA.delete(media.objects.map((o) => o.key));
    return false;
  }
  // Its exports (R2, under the blog's name: every blog that had the name included).
  const archives = await env.ARCHIVES.list({ prefix: `${blog}/`, limit: PURGE_BATCH });
  if (archives.objects.length) {
    await env.ARCHIVES.delete(archives.objects.map((o) => o.key));
    return false;
  }
  // Its fediverse self: key pair, followers, deliveries, and Fedify's entries under its hosts.
  const federation = (env as { FEDERATION?: unknown }).FEDERATION as FederationApi | undefined;
  if (federation && !(await federation.forgetBlog(blog, hosts))) return false;
  // Its readership statistics (D1), every blog that had the name included.
  if (!(await purgeStats(env.STATS_DB, blog))) return false;
  const subscribers = env.SUBSCRIBERS.get(env.SUBSCRIBERS.idFromName(objectName(blog, "subscribers")));
  await (subscribers as unknown as Subscribers).purge();
  const editor = env.EDITOR.get(env.EDITOR.idFromName(objectName(blog, "site")));
  await (editor as unknown as SiteEditor).purge();
  const sessions = env.SESSIONS.get(env.SESSIONS.idFromName(objectName(blog, "sessions")));
  await (sessions as unknown as Sessions).purge();
  await env.ACCOUNTS.get(env.ACCOUNTS.idFromName(accountsName(blog))).purge(blog);
  return true;
}
