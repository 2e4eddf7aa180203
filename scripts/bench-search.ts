/**
 * Search at scale: builds the real index for 50 and 10,000 generated posts and runs queries
 * through the worker's own search code against an in-memory KV that counts reads and bytes.
 * Prints KV reads per query (must not grow with the corpus), bytes read, CPU time per query,
 * and the index's size. `npm run bench:search`
 */
import { performance } from "node:perf_hooks";
import { buildSite } from "../src/content/build";
import { searchPosts } from "../src/data/search";
import { memoryKv } from "./lib/memory-kv";
import { syntheticPosts } from "./lib/synthetic";
import { MAIN_BLOG } from "../src/content/blogs";
import { blogStore, keysFor } from "../src/content/keys";

const QUERIES = ["kalo", "mira tesu", "number 4242", "energy climate", "rasuno vida pe", "zzzz nothing", "ka lo mi ra te su no vi"];

async function measure(count: number) {
  const posts = syntheticPosts(count);
  const t0 = performance.now();
  const entries = buildSite(keysFor(MAIN_BLOG), posts, new Date("2026-06-01T00:00:00Z"));
  const buildMs = performance.now() - t0;
  const buckets = [...entries].filter(([k]) => k.startsWith("v1:search:"));
  const bucketBytes = buckets.map(([, v]) => v.length);
  const { kv, stats } = memoryKv(entries);
  const now = new Date("2026-06-01T00:00:00Z");
  for (const q of QUERIES) await searchPosts(blogStore(kv, MAIN_BLOG), q, 0, 10, now); // warm up
  stats.calls = stats.keys = stats.bytes = 0;
  const rounds = 20;
  const times: number[] = [];
  let results = 0;
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const t = performance.now();
      const res = await searchPosts(blogStore(kv, MAIN_BLOG), q, 0, 10, now);
      times.push(performance.now() - t);
      results += res.total;
    }
  }
  times.sort((a, b) => a - b);
  const n = rounds * QUERIES.length;
  return {
    count,
    buildMs,
    keys: entries.size,
    bucketKeys: buckets.length,
    bucketAvgKb: bucketBytes.reduce((a, b) => a + b, 0) / Math.max(1, bucketBytes.length) / 1024,
    bucketMaxKb: Math.max(0, ...bucketBytes) / 1024,
    kvCallsPerQuery: stats.calls / n,
    kvKeysPerQuery: stats.keys / n,
    kbPerQuery: stats.bytes / n / 1024,
    p50: times[Math.floor(n / 2)]!,
    p99: times[Math.floor(n * 0.99)]!,
    avgMatches: results / n,
  };
}

const rows = [await measure(50), await measure(10_000)];
console.log(`Search benchmark (worker code, in-memory KV; node ${process.version})\n`);
console.log(
  "| posts | build (publish) | KV keys | index buckets | bucket avg / max | KV calls / query | keys / query | KB read / query " +
    "| CPU p50 / p99 per query | matches (avg) |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.count} | ${(r.buildMs / 1000).toFixed(1)} s | ${r.keys} | ${r.bucketKeys} ` +
      `| ${r.bucketAvgKb.toFixed(1)} / ${r.bucketMaxKb.toFixed(0)} KB | ${r.kvCallsPerQuery.toFixed(1)} | ${r.kvKeysPerQuery.toFixed(1)} ` +
      `| ${r.kbPerQuery.toFixed(0)} | ${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} ms | ${r.avgMatches.toFixed(0)} |`,
  );
}
