import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/** Where the federation worker is bundled for the workerd tests, which run it beside the reader. */
export const FEDERATION_BUNDLE = resolve(__dirname, "../../.tmp/federation-build");

/** vitest globalSetup: bundles federation/ with wrangler, as `wrangler deploy` would, before the workers start. */
export default function setup(): void {
  const root = resolve(__dirname, "../..");
  execFileSync(
    resolve(root, "node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", FEDERATION_BUNDLE, "-c", resolve(root, "federation/wrangler.toml")],
    { cwd: root, stdio: "pipe", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
}
