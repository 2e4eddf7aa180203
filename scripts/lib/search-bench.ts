// Code blocks are highlighted in Node by highlight.js (the worker asks the federation worker).
import "../../src/core/highlight";
import { performance } from "node:perf_hooks";
import { buildSite } from "../../src/core/build";
import { MAIN_BLOG } from "../../src/core/blogs";
import { blogStore, keysFor } from "../../src/core/keys";
import { forgetParsed } from "../../src/data/parsed";
import { searchPosts } from "../../src/data/search";
import { memoryKv } from "./memory-kv";
import { syntheticPosts } from "./synthetic";

const QUERIES = ["kalo", "mira tesu", "number 4242", "energy climate", "rasuno vida pe", "zzzz nothing", "ka lo mi ra te su no vi"];
const ROUNDS = 60;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * Search at scale: builds the real index for `count` generated posts and runs queries through the
 * worker's own search code against an in-memory KV that counts reads and bytes. CPU per query
 * twice: in a warm isolate (the index values it parsed kept, as an isolate serving searches
 * keeps them), and as a fresh isolate's first queries (everything parsed again).
 */
export async function searchFigures(count: number) {
  const posts = syntheticPosts(count);
  const now = new Date("2026-06-01T00:00:00Z");
  const t0 = performance.now();
  const entries = buildSite(keysFor(MAIN_BLOG), posts, now);
  const buildMs = performance.now() - t0;
  const buckets = [...entries].filter(([k]) => k.startsWith("v1:search:"));
  const bucketBytes = buckets.map(([, v]) => v.length);
  const { kv, stats } = memoryKv(entries);
  const store = blogStore(kv, MAIN_BLOG);
  const run = async (cold: boolean) => {
    const times: number[] = [];
    let results = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const q of QUERIES) {
        if (cold) forgetParsed();
        const t = performance.now();
        const res = await searchPosts(store, q, 0, 10, now);
        times.push(performance.now() - t);
        results += res.total;
      }
    }
    return { times: times.sort((a, b) => a - b), results };
  };
  await run(false); // the JIT warmed, as in a serving isolate
  const cold = await run(true);
  stats.calls = stats.keys = stats.bytes = 0;
  const warm = await run(false);
  const n = ROUNDS * QUERIES.length;
  return {
    count,
    queries: n,
    buildMs,
    keys: entries.size,
    bucketKeys: buckets.length,
    bucketAvgKb: bucketBytes.reduce((a, b) => a + b, 0) / Math.max(1, bucketBytes.length) / 1024,
    bucketMaxKb: Math.max(0, ...bucketBytes) / 1024,
    kvCallsPerQuery: stats.calls / n,
    kvKeysPerQuery: stats.keys / n,
    kbPerQuery: stats.bytes / n / 1024,
    p50: percentile(warm.times, 0.5),
    p99: percentile(warm.times, 0.99),
    coldP50: percentile(cold.times, 0.5),
    coldP99: percentile(cold.times, 0.99),
    avgMatches: warm.results / n,
  };
}
