import type { Context, MiddlewareHandler } from "hono";
import { POST_SLUG_SOURCE, UNSAFE_METHODS } from "../content/vocabulary";
import { readCount } from "../data/comments";
import { forgetHeld, heldTexts } from "../data/held";
import { MEDIA_PATH } from "../content/media";
import type { AppEnv } from "../settings";
import { afterAnswer } from "./after";
import { hasCredentials } from "./auth";
import { prefersJson } from "./negotiate";

/**
 * Two caches for the finished answers to anonymous GETs.
 * 1. In-isolate memory: a hit costs no I/O at all. Entries live PAGE_CACHE_SECONDS (default 3 s,
 *    0 turns both caches off); any write handled by this isolate clears it.
 * 2. The Cache API (shared by the isolates of a location), under a key that holds the content
 *    version: the site's publish version, and on post pages the comment thread's version. A
 *    publish or a new comment changes the key, so nothing needs purging. The versions are read
 *    from KV at most once per PAGE_CACHE_SECONDS per isolate; a post this isolate just wrote a
 *    comment to skips the shared cache until its new version is in KV. An answer goes into it the
 *    second time this isolate is asked for it (see admit); addresses with a query string stay out.
 * Requests with credentials (Authorization, the admin session cookie) bypass both and fill neither.
 */
interface Entry {
  body: ArrayBuffer;
  status: number;
  headers: [string, string][];
  etag: string | null;
  at: number;
  /** When a request began to refresh this expired entry (the others are answered with it meanwhile). */
  refreshing?: number;
  /** Where the shared cache is to keep this answer, once this isolate is asked for it again (see admit). */
  share?: Share;
}

interface Share {
  url: string;
  cacheControl: string;
  maxAge: number;
}

/**
 * The shared cache takes an answer the second time this isolate is asked for it (a hit in memory,
 * or a refresh): a URL asked for once (a one-off query string, a crawler passing by) costs no
 * write, and cannot push the pages readers come back to out of the cache.
 */
function admit(c: Context, edge: Cache, entry: Entry, share: Share): Promise<void> {
  const copy = new Response(entry.body, { status: 200, headers: entry.headers });
  copy.headers.set("X-Original-Cache-Control", share.cacheControl);
  copy.headers.set("Cache-Control", `public, max-age=${share.maxAge}`);
  const put = edge
    .put(new Request(share.url, { method: "GET" }), copy)
    .catch((err: unknown) => console.error("edge cache put failed:", err));
  return afterAnswer(c, put);
}

/**
 * An expired entry is refreshed by one request; the requests that arrive meanwhile get it as it
 * was (X-Cache: STALE) instead of all rendering the same page at once (the tail latency of a
 * popular page at each expiry). Only for a short while after expiry, and only while a refresh is
 * under way: a refresh that takes longer than REFRESH_MS is taken over by the next request.
 */
const STALE_MS = 30_000;
const REFRESH_MS = 10_000;

const MAX_ENTRIES = 500;
const MAX_BYTES = 32 * 1024 * 1024;
/** How long the shared cache keeps a listing (its comment counts may lag that much); versioned pages stay an hour. */
const SHARED_LISTING_SECONDS = 60;
const SHARED_PAGE_SECONDS = 3600;
const store = new Map<string, Entry>();
let bytes = 0;
/** Posts this isolate wrote to in the last DIRTY_MS skip the shared cache until their new version is in KV. */
const dirty = new Map<string, number>();
const DIRTY_MS = 5000;

/** Whether this isolate wrote to a post's thread in the last few seconds (its new count may not be in KV yet). */
export const writtenLately = (blog: string, slug: string, now = Date.now()) => now - (dirty.get(`${blog}/${slug}`) ?? 0) < DIRTY_MS;

/** For tests: how many posts are remembered as just written. */
export const dirtyCount = () => dirty.size;

/** Remembers a post this isolate just wrote to; entries older than the window are dropped as it goes. */
function markDirty(slug: string, now: number) {
  for (const [known, at] of dirty) if (now - at >= DIRTY_MS) dirty.delete(known);
  dirty.set(slug, now);
}

export function clearPageCache(): void {
  store.clear();
  forgetHeld();
  bytes = 0;
}

function forget(key: string) {
  const old = store.get(key);
  if (!old) return;
  bytes -= old.body.byteLength;
  store.delete(key);
}

function remember(key: string, entry: Entry) {
  forget(key);
  store.set(key, entry);
  bytes += entry.body.byteLength;
  while (store.size > MAX_ENTRIES || bytes > MAX_BYTES) {
    const [oldest, value] = store.entries().next().value as [string, Entry];
    store.delete(oldest);
    bytes -= value.body.byteLength;
  }
}

/** A KV-held version, read at most once per `ttlMs` per isolate. */
async function version(kv: KVNamespace, key: string, ttlMs: number, read: (v: string | null) => string): Promise<string> {
  return read((await heldTexts(kv, [key], ttlMs)).get(key) ?? null);
}

/** Paths whose content depends on one post's comment thread: its page, comment pages and API answers. */
const POST_SCOPED = new RegExp(`^/(?:api/)?posts/(${POST_SLUG_SOURCE})(?:/|$)`);
/** Paths whose writes change one post's thread (comment forms and API, moderation). */
const POST_WRITES = new RegExp(`^/(?:api/|admin/)?(?:posts|comments)/(${POST_SLUG_SOURCE})(?:/|$)`);

function toEntry(res: Response, body: ArrayBuffer, at: number): Entry {
  const headers: [string, string][] = [];
  res.headers.forEach((value, name) => {
    if (name !== "x-cache") headers.push([name, value]);
  });
  return { body, status: res.status, headers, etag: res.headers.get("ETag"), at };
}

function respond(c: Context, entry: Entry, label: string): Response {
  const match = c.req.header("If-None-Match");
  const res =
    entry.etag && match?.split(",").some((t) => t.trim().replace(/^W\//, "") === entry.etag)
      ? new Response(null, { status: 304, headers: entry.headers.filter(([k]) => ["etag", "cache-control", "vary"].includes(k)) })
      : new Response(c.req.method === "HEAD" ? null : entry.body, { status: entry.status, headers: entry.headers });
  res.headers.set("X-Cache", label);
  return res;
}

export const pageCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const seconds = c.var.settings.pageCacheSeconds;
  const method = c.req.method;
  if (UNSAFE_METHODS.has(method)) {
    await next();
    // Only a write that happened may have changed content: a refused one (404, 415, 403 …) clears nothing.
    if (c.res.status >= 400) return;
    clearPageCache();
    const slug = POST_WRITES.exec(c.req.path)?.[1];
    if (slug) markDirty(`${c.var.store.name}/${slug}`, Date.now());
    return;
  }
  const credentialed = hasCredentials(c);
  if (
    !(seconds > 0) ||
    (method !== "GET" && method !== "HEAD") ||
    credentialed ||
    c.req.header("Upgrade") ||
    c.req.path.startsWith("/api/admin") ||
    // Images are immutable and may be large: browsers and the CDN keep them, not this isolate's memory.
    c.req.path.startsWith(MEDIA_PATH)
  ) {
    await next();
    return;
  }
  const variant = prefersJson(c) ? "json" : "html";
  const key = `${c.req.url}\n${variant}`;
  const now = Date.now();
  const edge = typeof caches !== "undefined" ? (caches as unknown as { default: Cache }).default : undefined;
  const hit = store.get(key);
  if (hit && now - hit.at < seconds * 1000) {
    store.delete(key);
    store.set(key, hit);
    c.res = respond(c, hit, "HIT");
    const share = hit.share;
    if (share && edge) {
      hit.share = undefined;
      await admit(c, edge, hit, share);
    }
    return;
  }
  const stale = hit && now - hit.at < seconds * 1000 + STALE_MS ? hit : undefined;
  if (stale) {
    if (stale.refreshing !== undefined && now - stale.refreshing < REFRESH_MS) {
      c.res = respond(c, stale, "STALE");
      return;
    }
    stale.refreshing = now;
  }

  // The shared cache, under the content version.
  const ttl = seconds * 1000;
  const slug = POST_SCOPED.exec(c.req.path)?.[1];
  const recentlyWritten = slug !== undefined && writtenLately(c.var.store.name, slug, now);
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
      url.searchParams.set("__cache", `${variant}.${site}.${thread}`);
      shared = new Request(url.toString(), { method: "GET" });
      const found = await edge.match(shared);
      if (found) {
        const entry = toEntry(found, await found.arrayBuffer(), now);
        const original = found.headers.get("X-Original-Cache-Control");
        entry.headers = entry.headers.filter(([k]) => k !== "x-original-cache-control" && k !== "cache-control");
        if (original) entry.headers.push(["cache-control", original]);
        remember(key, entry);
        c.res = respond(c, entry, "HIT-EDGE");
        return;
      }
    } catch (err) {
      console.error("edge cache unavailable:", err);
      shared = null;
    }
  }

  await next();
  const res = c.res;
  const cc = res.headers.get("Cache-Control") ?? "";
  const keep = method === "GET" && res.status === 200 && cc.startsWith("public") && !res.headers.has("Set-Cookie") && res.body;
  // The refresh did not give a page to keep (the post is gone, an error): nobody gets the old one any more.
  if (stale && !keep && store.get(key) === stale) forget(key);
  if (keep) {
    const body = await res.clone().arrayBuffer();
    const entry = toEntry(res, body, now);
    remember(key, entry);
    if (shared && edge) {
      const share = { url: shared.url, cacheControl: cc, maxAge: slug ? SHARED_PAGE_SECONDS : SHARED_LISTING_SECONDS };
      // Asked for before (an expired entry): admitted now; else on the next request.
      if (hit) await admit(c, edge, entry, share);
      else entry.share = share;
    }
  }
  res.headers.set("X-Cache", "MISS");
};
