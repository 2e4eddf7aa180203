import { Temporal } from "@js-temporal/polyfill";
import type { BlogInfo } from "../../src/core/federation";
import { fnv1a } from "../../src/core/hash";
import { blogStore } from "../../src/core/keys";
import { getListingPage, getFederatedPost } from "../../src/data/posts";
import { articleOf, Create, Delete, federationFor, PUBLIC_COLLECTION, stateOf, Tombstone, Update } from "./federation";
import type { Backlog } from "./state";

/** What followers saw of a post: a change of any of these is an Update. */
const contentHash = (p: { title: string; html: string; summary: string; updated: string | null; tags: string[]; cover?: string }) =>
  String(fnv1a(JSON.stringify([p.title, p.html, p.summary, p.updated, p.tags, p.cover ?? null])));

/** The posts the cron's pass looks at: the newest this many of the home listing. */
export const BACKLOG_WINDOW = 20;

/**
 * Starts the blog's federation now if it has not started (its first follower, or the first post
 * considered), keeping the backlog: the newest public posts at that moment.
 */
export async function startFederation(env: Env, blog: string, now: Date): Promise<{ since: string; backlog: Backlog | null }> {
  const state = stateOf(env, blog);
  const started = await state.started();
  if (started) return started;
  const page = await getListingPage(blogStore(env.POSTS, blog), { kind: "home" }, 0, BACKLOG_WINDOW, now);
  const items = page?.items ?? [];
  return state.start(now.toISOString(), { slugs: items.map((p) => p.slug), oldest: items.at(-1)?.date ?? null });
}

/**
 * Whether a public post was public before the blog started federating (it stays in the outbox):
 * decided by when it became public, not by its date — a file dated this morning and published
 * this afternoon, after the first follower arrived at noon, is news. It was public then if it was
 * among the newest posts then, or older than all of them while they filled the window; a blog
 * that started before the backlog was kept falls back to the post's date.
 */
async function inBacklog(env: Env, blog: string, post: { slug: string; date: string }, now: Date): Promise<boolean> {
  const { since, backlog } = await startFederation(env, blog, now);
  if (!backlog) return post.date < since;
  if (backlog.slugs.includes(post.slug)) return true;
  return backlog.slugs.length >= BACKLOG_WINDOW && backlog.oldest !== null && post.date < backlog.oldest;
}

/**
 * Brings a post's followers up to date, through the queue: Create when it is public and was
 * never sent (and is not older than the blog's federation), Update when what they saw changed,
 * Delete when it is no longer public. The state object records each decision once (compare and
 * set), so a post is created once however many saves, sweeps and retries race. Answers what it did.
 */
export async function deliver(env: Env, blog: BlogInfo, slug: string, now = new Date()): Promise<string> {
  const state = stateOf(env, blog.name);
  const post = await getFederatedPost(blogStore(env.POSTS, blog.name), slug, now);
  const sent = await state.sent(slug);
  const expected = sent ? `${sent.state}:${sent.hash}` : null;
  // Decided first: most calls (a sweep's unchanged posts) stop here, before any federation work.
  const hash = post ? contentHash(post) : null;
  if (post && hash) {
    if (sent?.state === "created" && sent.hash === hash) return "unchanged";
    if (sent?.state !== "created" && (await inBacklog(env, blog.name, post, now))) return "older than the blog's federation";
  } else if (sent?.state !== "created") return "not public";
  if (!(await state.markSent(slug, hash ?? sent!.hash, post ? "created" : "deleted", expected))) return "already sent";

  const federation = await federationFor(env, blog.allowPrivate);
  const ctx = federation.createContext(new URL(blog.baseUrl), { env, blog });
  const actor = ctx.getActorUri(blog.name);
  const recipients = (await state.followers()).map((f) => ({
    id: new URL(f.id),
    inboxId: new URL(f.inbox),
    endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
  }));
  let activity: Create | Update | Delete;
  let what: string;
  if (post) {
    const article = await articleOf(ctx, blog, post);
    const kind = sent?.state === "created" ? Update : Create;
    what = kind === Update ? "update" : "create";
    activity = new kind({
      id: new URL(`${article.id!.href}#${what}-${hash}`),
      actor,
      object: article,
      published: Temporal.Instant.from(now.toISOString()),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(blog.name),
    });
  } else {
    const id = new URL(`${blog.baseUrl}/posts/${slug}`);
    what = "delete";
    activity = new Delete({
      id: new URL(`${id.href}#delete-${now.getTime()}`),
      actor,
      object: new Tombstone({ id }),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(blog.name),
    });
  }
  if (recipients.length) await ctx.sendActivity({ identifier: blog.name }, recipients, activity, { preferSharedInbox: true });
  return `${what} to ${recipients.length} follower(s)`;
}

/** The newest public posts, checked against what followers were sent (posts published by file, or whose time came). */
export async function sweep(env: Env, blog: BlogInfo, now = new Date()): Promise<string[]> {
  if ((await stateOf(env, blog.name).count()) === 0) return [];
  const page = await getListingPage(blogStore(env.POSTS, blog.name), { kind: "home" }, 0, BACKLOG_WINDOW, now);
  const out: string[] = [];
  for (const p of page?.items ?? []) {
    const result = await deliver(env, blog, p.slug, now);
    if (result !== "unchanged" && !result.startsWith("older")) out.push(`${p.slug}: ${result}`);
  }
  return out;
}
