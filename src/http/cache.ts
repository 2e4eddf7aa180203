import type { MiddlewareHandler } from "hono";
import { POST_SLUG_SOURCE, UNSAFE_METHODS } from "../core/vocabulary";
import { readCount } from "../data/comments";
import { invalidateCached, readCachedMany } from "../data/kv-cache";
import { MEDIA_PATH } from "../core/media";
import type { AppEnv } from "../settings";
import { afterAnswerIn } from "./after";
import { requestHasCredentials } from "./auth";
import { acceptPrefersJson, prefersJson } from "./negotiate";
import { wantsActivityJson } from "../core/federation";
import { log } from "../core/log";
import { markDirty, writtenLately } from "./just-written";
import { countable, countView, viewTargetOf } from "./stats";
import {
  askedAgain,
  clearPages,
  type Entry,
  forget,
  keptCount,
  keptEntry,
  memoryKey,
  remember,
  respond,
  type Share,
  toEntry,
  touch,
} from "./page-store";

/**
 * Two caches for the finished answers to anonymous GETs.
 * 1. In-isolate memory: a hit costs no I/O at all. Entries live PAGE_CACHE_SECONDS (default 3 s,
 *    0 turns both caches off); any write handled by this isolate clears it. Kept in page-store.ts.
 * 2. The Cache API (shared by the isolates of a location), under a key that holds the content
 *    version: the site's publish version, and on post pages the comment thread's version. A
 *    publish or a new comment changes the key, so nothing needs purging. The versions are read
 *    from KV at most once per PAGE_CACHE_SECONDS per isolate; a post this isolate just wrote a
 *    comment to skips the shared cache until its new version is in KV (just-written.ts). An answer goes into it the
 *    second time this isolate is asked for it (see admit); addresses with a query string stay out.
 * Requests with credentials (Authorization, the admin session cookie) bypass both and fill neither.
 */

/**
 * The shared cache takes an answer the second time this isolate is asked for it (a hit in memory,
 * or a refresh): a URL asked for once (a one-off query string, a crawler passing by) costs no
 * write, and cannot push the pages readers come back to out of the cache.
 */
async function admit(ctx: Waiter | undefined, entry: Entry, share: Share): Promise<void> {
  const edge = typeof caches !== "undefined" ? (caches as unknown as { default: Cache }).default : undefined;
  if (!edge) return;
  const copy = new Response(entry.body, { status: 200, headers: entry.headers });
  copy.headers.set("X-Original-Cache-Control", share.cacheControl);
  copy.headers.set("Cache-Control", `public, max-age=${share.maxAge}`);
  const put = edge
    .put(new Request(share.url, { method: "GET" }), copy)
    .catch((error: unknown) => log("warn", "edge cache put failed", { error }));
  await afterAnswerIn(ctx, put);
}

/**
 * An expired entry is refreshed by one request; the requests that arrive meanwhile get it as it
 * was (X-Cache: STALE) instead of all rendering the same page at once (the tail latency of a
 * popular page at each expiry). Only for a short while after expiry, and only while a refresh is
 * under way: a refresh that takes longer than REFRESH_MS is taken over by the next request.
 */
const STALE_MS = 30_000;
const REFRESH_MS = 10_000;

/** How long the shared cache keeps a listing (its comment counts may lag that much); versioned pages stay an hour. */
const SHARED_LISTING_SECONDS = 60;
const SHARED_PAGE_SECONDS = 3600;

/** Counts a view answered from memory; its batch, when due, leaves after the answer. */
function countedHit(req: Request, entry: Entry, env: unknown, ctx: Waiter | undefined): void {
  if (!entry.view) return;
  const sending = countView(req, entry.view, (env as Env | undefined)?.STATS_QUEUE);
  if (sending) ctx?.waitUntil(sending);
}

/** Where the views of an answer kept in memory are counted: a reader page in HTML, or a feed. */
function countedView(req: Request, headers: Headers) {
  const view = viewTargetOf(req);
  return view && countable(view, headers) ? view : undefined;
}

export function clearPageCache(): void {
  clearPages();
  invalidateCached();
}

/** A KV-held version, read at most once per `ttlMs` per isolate. */
async function version(kv: KVNamespace, key: string, ttlMs: number, read: (v: string | null) => string): Promise<string> {
  return read((await readCachedMany(kv, [key], ttlMs)).get(key) ?? null);
}

/** Paths whose content depends on one post's comment thread: its page, comment pages and API answers. */
const POST_SCOPED = new RegExp(`^/(?:api/)?posts/(${POST_SLUG_SOURCE})(?:/|$)`);

/** What the worker's execution context offers the cache: work that finishes after the answer. */
type Waiter = { waitUntil(work: Promise<unknown>): void };

/**
 * What the page cache middleware decided about a request it let through, for its answer as it
 * leaves the app (every middleware's headers on it): where to keep it, and whether to share it.
 */
interface MissPlan {
  key: string;
  at: number;
  ttl: number;
  /** The expired entry this request refreshes. */
  stale?: Entry;
  /** This isolate was asked for the address before (kept, or rendered once with a query string). */
  again: boolean;
  shared: Request | null;
  slug?: string;
}
const plans = new WeakMap<Request, MissPlan>();

/** Only what may be kept or was kept goes through: an anonymous GET or HEAD, not for ActivityPub. */
function anonymousRead(method: string, headers: Headers, accept: string | null): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return !headers.has("Upgrade") && !requestHasCredentials(headers) && !(accept && wantsActivityJson(accept));
}

/**
 * The in-isolate page cache's front door, ahead of routing and every middleware: an answer kept
 * in memory is sent as it was (all its headers), at the cost of a map lookup; an expired one is
 * sent (STALE) only while another request refreshes it. Everything else goes through the app,
 * and what the middleware chose to keep is kept here, as it leaves the app.
 */
export function withPageCache<E, C extends Waiter>(
  dispatch: (req: Request, env?: E, ctx?: C) => Response | Promise<Response>,
): (req: Request, env?: E, ctx?: C) => Response | Promise<Response> {
  const through = async (req: Request, env?: E, ctx?: C) => {
    const res = await dispatch(req, env, ctx);
    const plan = plans.get(req);
    return plan ? keepAnswer(req, res, plan, ctx) : res;
  };
  return (req, env, ctx) => (keptCount() && fromMemory(req, env, ctx)) || through(req, env, ctx);
}

/** The answer kept in memory for `req`, if it is fresh (or stale while another request refreshes it). */
function fromMemory(req: Request, env: unknown, ctx: Waiter | undefined): Response | Promise<Response> | null {
  const headers = req.headers;
  const accept = headers.get("Accept");
  if (!anonymousRead(req.method, headers, accept)) return null;
  const key = memoryKey(req.url, acceptPrefersJson(accept));
  const entry = keptEntry(key);
  if (!entry) return null;
  const now = Date.now();
  if (now - entry.at < entry.ttl) {
    touch(key, entry);
    countedHit(req, entry, env, ctx);
    const res = respond(req, entry, "HIT");
    const share = entry.share;
    if (!share) return res;
    entry.share = undefined;
    return admit(ctx, entry, share).then(() => res);
  }
  if (now - entry.at < entry.ttl + STALE_MS) {
    if (entry.refreshing !== undefined && now - entry.refreshing < REFRESH_MS) {
      countedHit(req, entry, env, ctx);
      return respond(req, entry, "STALE");
    }
    // This request refreshes it; the ones arriving meanwhile get it as it was.
    entry.refreshing = now;
  }
  return null;
}

async function keepAnswer(req: Request, res: Response, plan: MissPlan, ctx: Waiter | undefined): Promise<Response> {
  const cc = res.headers.get("Cache-Control") ?? "";
  const keepable = res.status === 200 && cc.startsWith("public") && !res.headers.has("Set-Cookie") && !!res.body;
  const keep = keepable && (plan.again || !req.url.includes("?") || askedAgain(plan.key, plan.at, plan.ttl));
  // The refresh did not give a page to keep (the post is gone, an error): nobody gets the old one any more.
  if (!keep) {
    if (plan.stale && keptEntry(plan.key) === plan.stale) forget(plan.key);
    return res;
  }
  const body = await res.arrayBuffer();
  const entry = toEntry(res, body, plan.at, plan.ttl);
  entry.view = countedView(req, res.headers);
  remember(plan.key, entry);
  if (plan.shared) {
    const share = { url: plan.shared.url, cacheControl: cc, maxAge: plan.slug ? SHARED_PAGE_SECONDS : SHARED_LISTING_SECONDS };
    // Asked for before (an expired entry): admitted now; else on the next request.
    if (plan.stale) await admit(ctx, entry, share);
    else entry.share = share;
  }
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

export const pageCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const seconds = c.var.settings.pageCacheSeconds;
  const method = c.req.method;
  if (UNSAFE_METHODS.has(method)) {
    const posts = new Set<string>();
    const threads = new Set<string>();
    c.set("changes", { post: (slug) => posts.add(slug), thread: (slug) => threads.add(slug) });
    await next();
    // Only a write that happened may have changed content: a refused one (404, 415, 403 …) clears nothing.
    if (c.res.status >= 400) return;
    // A comment changes its thread's count, not what the posts and listings are made of; a write
    // that says nothing of what it changed may have changed anything.
    if (posts.size || !threads.size) clearPageCache();
    else clearPages();
    const now = Date.now();
    for (const slug of threads) invalidateCached([c.var.store.keys.commentCount(slug)]);
    for (const slug of new Set([...posts, ...threads])) markDirty(`${c.var.store.name}/${slug}`, now);
    return;
  }
  const now = Date.now();
  const slug = POST_SCOPED.exec(c.req.path)?.[1];
  const recentlyWritten = slug !== undefined && writtenLately(c.var.store.name, slug, now);
  // Routes learn it here, from the context: its new count may not be in KV yet.
  if (recentlyWritten) c.set("threadWritten", true);
  if (
    !(seconds > 0) ||
    method !== "GET" ||
    !anonymousRead(method, c.req.raw.headers, c.req.header("Accept") ?? null) ||
    c.req.path.startsWith("/api/admin") ||
    // Images are immutable and may be large: browsers and the CDN keep them, not this isolate's memory.
    c.req.path.startsWith(MEDIA_PATH)
  ) {
    await next();
    return;
  }
  const json = prefersJson(c);
  const key = memoryKey(c.req.url, json);
  const ttl = seconds * 1000;
  // Expired (the front door sends fresh ones): this request refreshes it (see withPageCache).
  const known = keptEntry(key);
  const stale = known && now - known.at < known.ttl + STALE_MS ? known : undefined;

  // The shared cache, under the content version.
  const edge = typeof caches !== "undefined" ? (caches as unknown as { default: Cache }).default : undefined;
  let shared: Request | null = null;
  // Only the addresses readers share (no query string) are looked up there: a query string (a
  // later page, a reply form, a tracking or cache-busting parameter) is rendered by this isolate,
  // which now costs about what the lookup would, and keeps the shared cache for the pages that repeat.
  if (edge && !recentlyWritten && !c.req.url.includes("?")) {
    try {
      const { kv, keys } = c.var.store;
      const site = await version(kv, keys.version, ttl, (v) => v ?? "0");
      const thread = slug ? await version(kv, keys.commentCount(slug), ttl, (v) => String(readCount(v).v)) : "-";
      const url = new URL(c.req.url);
      url.searchParams.set("__cache", `${json ? "json" : "html"}.${site}.${thread}`);
      shared = new Request(url.toString(), { method: "GET" });
      const found = await edge.match(shared);
      if (found) {
        // Kept by an isolate as it left the app: every header is there already.
        const entry = toEntry(found, await found.arrayBuffer(), now, ttl);
        const original = found.headers.get("X-Original-Cache-Control");
        entry.headers = entry.headers.filter(([k]) => k !== "x-original-cache-control" && k !== "cache-control");
        if (original) entry.headers.push(["cache-control", original]);
        entry.view = countedView(c.req.raw, found.headers);
        remember(key, entry);
        c.res = respond(c.req.raw, entry, "HIT-EDGE");
        return;
      }
    } catch (err) {
      log("warn", "edge cache unavailable", { error: err });
      shared = null;
    }
  }

  plans.set(c.req.raw, { key, at: now, ttl, stale, again: known !== undefined, shared, slug });
  await next();
  c.res.headers.set("X-Cache", "MISS");
};
