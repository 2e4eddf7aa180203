import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./config";
import { prefersJson } from "./routes/negotiate";

/**
 * In-isolate cache of the finished answers to anonymous GETs: a hit costs no KV read, no Durable
 * Object call and no rendering. Entries live PAGE_CACHE_SECONDS (default 3 s, 0 turns it off),
 * so a publish or a comment made elsewhere shows within seconds; any write handled by this isolate
 * clears it at once. Requests with credentials (Authorization, a session cookie) bypass it and never fill it.
 */
interface Entry {
  body: ArrayBuffer;
  status: number;
  headers: [string, string][];
  etag: string | null;
  at: number;
}

const MAX_ENTRIES = 500;
const MAX_BYTES = 32 * 1024 * 1024;
const store = new Map<string, Entry>();
let bytes = 0;

export function clearPageCache(): void {
  store.clear();
  bytes = 0;
}

function remember(key: string, entry: Entry) {
  const old = store.get(key);
  if (old) {
    bytes -= old.body.byteLength;
    store.delete(key);
  }
  store.set(key, entry);
  bytes += entry.body.byteLength;
  while (store.size > MAX_ENTRIES || bytes > MAX_BYTES) {
    const [oldest, value] = store.entries().next().value as [string, Entry];
    store.delete(oldest);
    bytes -= value.body.byteLength;
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const pageCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const seconds = Number(c.env.PAGE_CACHE_SECONDS ?? "3");
  const method = c.req.method;
  if (UNSAFE.has(method)) {
    await next();
    clearPageCache();
    return;
  }
  const credentialed = !!c.req.header("Authorization") || /(?:^|;\s*)__Host-edge_admin=/.test(c.req.header("Cookie") ?? "");
  if (!(seconds > 0) || (method !== "GET" && method !== "HEAD") || credentialed || c.req.header("Upgrade") || c.req.path.startsWith("/api/admin")) {
    await next();
    return;
  }
  const key = `${c.req.url}\n${prefersJson(c) ? "json" : "html"}`;
  const hit = store.get(key);
  const now = Date.now();
  if (hit && now - hit.at < seconds * 1000) {
    store.delete(key);
    store.set(key, hit);
    const match = c.req.header("If-None-Match");
    if (hit.etag && match && match.split(",").some((t) => t.trim().replace(/^W\//, "") === hit.etag)) {
      c.res = new Response(null, { status: 304, headers: hit.headers.filter(([k]) => ["etag", "cache-control", "vary"].includes(k)) });
    } else {
      c.res = new Response(method === "HEAD" ? null : hit.body, { status: hit.status, headers: hit.headers });
    }
    c.res.headers.set("X-Cache", "HIT");
    return;
  }
  await next();
  const res = c.res;
  const cc = res.headers.get("Cache-Control") ?? "";
  if (method === "GET" && res.status === 200 && cc.startsWith("public") && !res.headers.has("Set-Cookie") && res.body) {
    const body = await res.clone().arrayBuffer();
    const headers: [string, string][] = [];
    res.headers.forEach((value, name) => headers.push([name, value]));
    remember(key, { body, status: 200, headers, etag: res.headers.get("ETag"), at: now });
  }
  res.headers.set("X-Cache", "MISS");
};
