import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { publish } from "./publish";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** `npm run dev [-- wrangler dev options]`: publish posts/ to local KV, then serve with wrangler dev. */
async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`Usage: npm run dev [-- <wrangler dev options>]

Publishes posts/ to local KV, then starts \`wrangler dev\` on http://localhost:8787.
Options are passed to wrangler dev; --persist-to DIR is also used for publishing.
Example: npm run dev -- --port 8788 --persist-to .state`);
    return 0;
  }
  const at = args.indexOf("--persist-to");
  const persistTo = at >= 0 ? args[at + 1] : undefined;
  const code = await publish({ remote: false, persistTo, dryRun: false, postsDir: join(ROOT, "posts") });
  if (code !== 0) return code;

  const env = { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env };
  const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), ["dev", ...args], { cwd: ROOT, stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise<number>((done) => child.on("close", (c) => done(c ?? 0)));
}

main().then((code) => process.exit(code));
