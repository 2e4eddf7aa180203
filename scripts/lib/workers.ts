import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

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
 * The reader's Miniflare options from wrangler.toml, alone: no static assets router in front, and
 * no federation worker behind (the reader's pages never call it).
 */
export function readerOptions(root: string): Record<string, unknown> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  const { FEDERATION: _federation, ...services } = (workerOptions.serviceBindings ?? {}) as Record<string, unknown>;
  return { ...(workerOptions as object), assets: undefined, serviceBindings: services };
}
