/**
 * `npm run bench:workers`: each Worker's bundle (minified, gzip) and cold start, measured in
 * Miniflare: a fresh runtime each time, from nothing to its first answer (startup: the script
 * loaded and evaluated; first answer: its first request). Medians of 5; the reader alone (as it
 * serves pages) and the federation worker (as it answers NodeInfo). `npm run bench` reports the same.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { workerFigures } from "./lib/workers";

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** BENCH_ROOT: another checkout to measure (an earlier commit, for before/after figures). */
const ROOT = resolve(process.env.BENCH_ROOT ?? HERE);

async function main() {
  for (const line of await workerFigures(ROOT, join(HERE, ".tmp", "bench-workers"))) console.log(line);
}

main();
