import { readCachedMany } from "./kv-cache";
import { TIMEOUTS } from "../core/vocabulary";
import type { CommentThread } from "../durable/comment-thread";
import { objectName } from "../core/blogs";
import type { ImportRef } from "../core/imports";
import type { BlogStore } from "../core/keys";
import { guarded, rpcClient } from "./rpc";

/** The CommentThread of one post of one blog (named by blog and slug), with the timeout applied to every call. */
export function commentThread(env: Env, blog: string, slug: string, timeoutMs: number = TIMEOUTS.default) {
  return rpcClient<CommentThread>(threadStub(env, blog, slug), "comments", timeoutMs);
}

function threadStub(env: Env, blog: string, slug: string) {
  return env.COMMENTS.get(env.COMMENTS.idFromName(objectName(blog, slug)));
}

/** What a post's thread is told of the post's imported comments (nothing for most posts). */
export function importsOf(store: BlogStore, post: { slug: string; imported?: string }): ImportRef | undefined {
  return post.imported ? { blog: store.name, slug: post.slug, mark: post.imported } : undefined;
}

/** Hands a WebSocket upgrade request to the thread's live feed. */
export function openLiveFeed(env: Env, blog: string, slug: string, request: Request): Promise<Response> {
  return guarded("comments", threadStub(env, blog, slug).fetch(request), TIMEOUTS.default);
}

/** The count key holds `{"n": count, "v": thread version}` (older values: a bare count). */
export function readCount(value: string | null | undefined): { n: number; v: number } {
  if (!value) return { n: 0, v: 0 };
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === "number") return { n: parsed, v: 0 };
    const r = parsed as { n?: unknown; v?: unknown };
    return { n: Number(r.n) || 0, v: Number(r.v) || 0 };
  } catch {
    return { n: 0, v: 0 };
  }
}

/**
 * Published comment counts for listing cards: one bulk KV read, whatever the number of cards (at
 * most 100); a count the store holds (its holdMs, data/kv-cache.ts) is not read again.
 */
export async function commentCounts({ kv, keys, holdMs }: BlogStore, slugs: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!slugs.length) return out;
  const values = await readCachedMany(kv, slugs.map(keys.commentCount), holdMs);
  for (const slug of slugs) {
    const { n } = readCount(values.get(keys.commentCount(slug)));
    if (n > 0) out.set(slug, n);
  }
  return out;
}
