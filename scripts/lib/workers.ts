import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { BLOG_INFO_HEADER } from "../../src/core/federation";

/** Bundles a worker as `wrangler deploy` would (minified), into `outdir`; answers its script and gzip size. */
export function buildWorker(root: string, config: string, outdir: string): { script: string; gzipKb: number; kb: number } {
  execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir, "-c", config], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const script = join(outdir, "index.js");
  const bytes = readFileSync(script);
  return { script, gzipKb: gzipSync(bytes).length / 1024, kb: bytes.length / 1024 };
}

/**
 * The files of public/ as the worker's ASSETS binding answers them (the worker reads its catalogs
 * there once per isolate), without the static assets router in front of every request.
 */
export function publicFiles(dir: string) {
  return async (request: Request | string): Promise<Response> => {
    const url = typeof request === "string" ? request : request.url;
    const file = resolve(dir, `.${decodeURIComponent(new URL(url).pathname)}`);
    if (!file.startsWith(`${dir}/`)) return new Response(null, { status: 404 });
    const bytes = await readFile(file).catch(() => null);
    return bytes
      ? new Response(bytes, { headers: { "Content-Type": file.endsWith(".json") ? "application/json" : "text/plain" } })
      : new Response(null, { status: 404 });
  };
}

/**
 * The reader's Miniflare options from wrangler.toml, alone: no static assets router in front (its
 * ASSETS binding answers from public/), and no federation worker behind (the reader's pages never
 * call it; saves then show code as written, without asking it to highlight).
 */
export function readerOptions(root: string): Record<string, unknown> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  const {
    FEDERATION: _federation,
    HIGHLIGHT: _highlight,
    EXPORTER: _exporter,
    BACKUPS: _backups,
    ...services
  } = (workerOptions.serviceBindings ?? {}) as Record<string, unknown>;
  return {
    ...(workerOptions as object),
    assets: undefined,
    serviceBindings: { ...services, ASSETS: publicFiles(resolve(root, "public")) },
  };
}

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A fresh runtime RUNS times: from nothing to ready (startup), then to its first answer; medians. */
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

/**
 * Each Worker's bundle (minified, gzip) and cold start in Miniflare, one line each: the reader
 * alone (as it serves pages) and the federation worker (as it answers NodeInfo).
 */
export async function workerFigures(root: string, work: string): Promise<string[]> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const lines: string[] = [];
  const reader = buildWorker(root, join(root, "wrangler.toml"), join(work, "reader"));
  const readerCold = await coldStart(
    () => ({ ...readerOptions(root), modules: true, scriptPath: reader.script, defaultPersistRoot: join(work, "state") }),
    "/posts/none",
  );
  lines.push(
    `reader: ${reader.gzipKb.toFixed(1)} KB gzip (${reader.kb.toFixed(0)} KB minified); cold start ${readerCold.startup.toFixed(0)} ms to ready, first answer ${readerCold.first.toFixed(1)} ms`,
  );
  const fedConfig = join(root, "federation", "wrangler.toml");
  try {
    const fed = buildWorker(root, fedConfig, join(work, "federation"));
    const fedCold = await coldStart(
      () => ({
        modules: true,
        scriptPath: fed.script,
        compatibilityDate: "2026-04-20",
        compatibilityFlags: ["nodejs_compat"],
        kvNamespaces: ["POSTS", "FEDIFY_KV"],
        durableObjects: { FEDERATION_STATE: { className: "FederationState", useSQLite: true } },
        queueProducers: { FEDERATION_QUEUE: { queueName: "edge-blog-federation" } },
        defaultPersistRoot: join(work, "state"),
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
    lines.push(
      `federation: ${fed.gzipKb.toFixed(1)} KB gzip (${fed.kb.toFixed(0)} KB minified); cold start ${fedCold.startup.toFixed(0)} ms to ready, first answer ${fedCold.first.toFixed(1)} ms`,
    );
  } catch (err) {
    lines.push(`federation: not built here (${(err as Error).message.split("\n")[0]})`);
  }
  return lines;
}
