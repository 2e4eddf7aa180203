import { BoundedMap } from "../core/maps";
import { ifNoneMatchHits, notModifiedHeaders } from "./freshness";
import type { ViewTarget } from "./stats";

/**
 * The page cache's memory: whole answers kept in this isolate, least recently used first out, at
 * most MAX_ENTRIES and MAX_BYTES. Which answers go in, and when they are shared, is http/cache.ts's.
 */

export interface Entry {
  body: ArrayBuffer;
  status: number;
  headers: [string, string][];
  etag: string | null;
  at: number;
  /** How long (ms) it is fresh: the page cache's seconds when it was kept. */
  ttl: number;
  /** When a request began to refresh this expired entry (the others are answered with it meanwhile). */
  refreshing?: number;
  /** Where the shared cache is to keep this answer, once this isolate is asked for it again (see admit). */
  share?: Share;
  /** Its headers with each X-Cache label, made on first use: a Headers object is copied whole, a list header by header. */
  sent?: Map<string, Headers>;
  /** Where its views are counted (a reader page or a feed), when it is one. */
  view?: ViewTarget;
}

export interface Share {
  url: string;
  cacheControl: string;
  maxAge: number;
}

const MAX_ENTRIES = 500;
const MAX_BYTES = 32 * 1024 * 1024;
const store = new Map<string, Entry>();
let bytes = 0;
/**
 * Addresses with a query string this isolate rendered once, and when: kept in memory the second
 * time within the entry's lifetime. A one-off query (a cache-busting or tracking parameter) costs
 * no copy of its answer and pushes nothing out of the store.
 */
const askedOnce = new BoundedMap<string, number>(1000);

/** The entry kept under `key`, if any (fresh or not). */
export const keptEntry = (key: string): Entry | undefined => store.get(key);

/** How many answers are kept (the front door skips its lookup when none is). */
export const keptCount = (): number => store.size;

/** Marks an entry as just used (the least recently used goes first). */
export function touch(key: string, entry: Entry): void {
  store.delete(key);
  store.set(key, entry);
}

export function clearPages(): void {
  store.clear();
  askedOnce.clear();
  bytes = 0;
}

export function forget(key: string) {
  const old = store.get(key);
  if (!old) return;
  bytes -= old.body.byteLength;
  store.delete(key);
}

export function remember(key: string, entry: Entry) {
  forget(key);
  store.set(key, entry);
  bytes += entry.body.byteLength;
  while (store.size > MAX_ENTRIES || bytes > MAX_BYTES) {
    const [oldest, value] = store.entries().next().value as [string, Entry];
    store.delete(oldest);
    bytes -= value.body.byteLength;
  }
}

export /** Whether an address with a query string was rendered before within `ttlMs` (else it is noted, and not kept yet). */
function askedAgain(key: string, now: number, ttlMs: number): boolean {
  const before = askedOnce.peek(key);
  if (before !== undefined && now - before < ttlMs) return true;
  askedOnce.set(key, now);
  return false;
}

export function toEntry(res: Response, body: ArrayBuffer, at: number, ttl: number): Entry {
  const headers: [string, string][] = [];
  res.headers.forEach((value, name) => {
    if (name !== "x-cache") headers.push([name, value]);
  });
  return { body, status: res.status, headers, etag: res.headers.get("ETag"), at, ttl };
}

/** An entry's headers as sent with `label` (a 304's are the few it keeps). */
function sentHeaders(entry: Entry, label: string, notModified: boolean): Headers {
  entry.sent ??= new Map();
  const name = notModified ? `304 ${label}` : label;
  let headers = entry.sent.get(name);
  if (!headers) {
    headers = notModified ? notModifiedHeaders(entry.headers) : new Headers(entry.headers);
    headers.set("X-Cache", label);
    entry.sent.set(name, headers);
  }
  return headers;
}

/** An entry as the answer to `req`: a 304 to a matching If-None-Match (http/freshness.ts), else the whole answer. */
export function respond(req: Request, entry: Entry, label: string): Response {
  if (ifNoneMatchHits(req.headers.get("If-None-Match"), entry.etag)) {
    return new Response(null, { status: 304, headers: sentHeaders(entry, label, true) });
  }
  return new Response(req.method === "HEAD" ? null : entry.body, { status: entry.status, headers: sentHeaders(entry, label, false) });
}

export /** The key of an answer in memory: the address and whether JSON or HTML was asked for. */
const memoryKey = (url: string, json: boolean) => `${url}\n${json ? "json" : "html"}`;
