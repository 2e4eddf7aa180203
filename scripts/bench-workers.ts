/**
 * `npm run bench:workers`: each Worker's bundle (minified, gzip) and cold start, measured in
 * Miniflare: a fresh runtime each time, from nothing to its first answer (startup: the script
 * loaded and evaluated; first answer: its first request). Medians of 5; the reader alone (as it
 * serves pages) and the federation worker (as it answers WebFinger).
 */
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { BLOG_INFO_HEADER } from "../src/content/federation";
import { buildWorker, readerOptions } from "./lib/workers";

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** BENCH_ROOT: another checkout to measure (an earlier commit, for before/after figures). */
const ROOT = resolve(process.env.BENCH_ROOT ?? HERE);
const WORK = join(HERE, ".tmp", "bench-workers");
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function coldStart(options: () => object, path: string, headers: Record<string, string> = {}) {
  const startup: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const mf = new Miniflare({ ...options(), port: 0 } as ConstructorParameters<typeof Miniflare>[0]);
    const url = await mf.ready;
    const t1 = performance.now();
    const res = await mf.dispatchFetch(new URL(path, url).href, { headers });
    await res.arrayBuffer();
    const t2 = performance.now();
    if (res.status >= 500) throw new Error(`${path} answered ${res.status}`);
    await mf.dispose();
    startup.push(t1 - t0);
    first.push(t2 - t1);
  }
  return { startup: median(startup), first: median(first) };
}

async function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const reader = buildWorker(ROOT, join(ROOT, "wrangler.toml"), join(WORK, "reader"));
  const readerCold = await coldStart(
    () => ({ ...readerOptions(ROOT), modules: true, scriptPath: reader.script, defaultPersistRoot: join(WORK, "state") }),
    "/posts/none",
  );
  console.log(
    `reader: ${reader.gzipKb.toFixed(1)} KB gzip (${reader.kb.toFixed(0)} KB minified); cold start ${readerCold.startup.toFixed(0)} ms to ready, first answer ${readerCold.first.toFixed(1)} ms`,
  );
  const fedConfig = join(ROOT, "federation", "wrangler.toml");
  try {
    const fed = buildWorker(ROOT, fedConfig, join(WORK, "federation"));
    const fedCold = await coldStart(
      () => ({
        modules: true,
        scriptPath: fed.script,
        compatibilityDate: "2026-04-20",
        compatibilityFlags: ["nodejs_compat"],
        kvNamespaces: ["POSTS", "FEDIFY_KV"],
        durableObjects: { FEDERATION_STATE: { className: "FederationState", useSQLite: true } },
        queueProducers: { FEDERATION_QUEUE: { queueName: "edge-blog-federation" } },
        defaultPersistRoot: join(WORK, "state"),
      }),
      "/.well-known/nodeinfo",
      {
        [BLOG_INFO_HEADER]: JSON.stringify({
          name: "main",
          baseUrl: "http://localhost",
          title: "",
          description: "",
          language: "en",
          icon: null,
          allowPrivate: false,
        }),
      },
    );
    console.log(
      `federation: ${fed.gzipKb.toFixed(1)} KB gzip (${fed.kb.toFixed(0)} KB minified); cold start ${fedCold.startup.toFixed(0)} ms to ready, first answer ${fedCold.first.toFixed(1)} ms`,
    );
  } catch (err) {
    console.log(`federation: not built here (${(err as Error).message.split("\n")[0]})`);
  }
}

main();
