import { resolve } from "node:path";
import { memoryKv } from "./memory-kv";
import { publicFiles } from "./workers";

/**
 * CPU per request of the real app in Node: app.fetch with in-memory KV and a stub comment thread
 * (no comments, no Durable Object call); 1,500 warm-up requests (the JIT settled: a warm isolate is what serves), then the mean of `n`.
 */
export async function cpuPerRequest(entries: Map<string, string>, path: string, cacheSeconds: string, n = 3000): Promise<number> {
  const { default: app } = await import("../../src/app");
  const { kv } = memoryKv(entries);
  const thread = { thread: async () => ({ comments: [], total: 0, version: 0, reactions: { like: 0, announce: 0 }, key: "stub" }) };
  const env = {
    POSTS: kv,
    // The catalogs are assets, read once per isolate as the worker does.
    ASSETS: { fetch: publicFiles(resolve(import.meta.dirname, "../../public")) },
    COMMENTS: { idFromName: () => ({}), get: () => thread },
    BLOG_TITLE: "Bench",
    BLOG_DESCRIPTION: "",
    BLOG_AUTHOR: "Desk",
    BASE_URL: "http://localhost:8787",
    TIMEZONE: "UTC",
    PAGE_CACHE_SECONDS: cacheSeconds,
  } as unknown as Env;
  for (let i = 0; i < 1500; i++) await (await app.request(path, {}, env)).arrayBuffer();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await (await app.request(path, {}, env)).arrayBuffer();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}
