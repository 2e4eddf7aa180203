/**
 * Search at scale: builds the real index for 50 and 10,000 generated posts and runs queries
 * through the worker's own search code against an in-memory KV that counts reads and bytes.
 * Prints KV reads per query (must not grow with the corpus), bytes read, CPU time per query
 * (warm isolate, and a fresh one), and the index's size. `npm run bench:search`
 */
import { searchFigures } from "./lib/search-bench";

const rows = [await searchFigures(50), await searchFigures(10_000)];
console.log(`Search benchmark (worker code, in-memory KV; node ${process.version})\n`);
console.log(
  "| posts | build (publish) | KV keys | index buckets | bucket avg / max | KV calls / query | keys / query | KB read / query " +
    "| CPU p50 / p99 per query | fresh isolate p50 / p99 | matches (avg) |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.count} | ${(r.buildMs / 1000).toFixed(1)} s | ${r.keys} | ${r.bucketKeys} ` +
      `| ${r.bucketAvgKb.toFixed(1)} / ${r.bucketMaxKb.toFixed(0)} KB | ${r.kvCallsPerQuery.toFixed(1)} | ${r.kvKeysPerQuery.toFixed(1)} ` +
      `| ${r.kbPerQuery.toFixed(0)} | ${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} ms | ${r.coldP50.toFixed(2)} / ${r.coldP99.toFixed(2)} ms | ${r.avgMatches.toFixed(0)} |`,
  );
}
