import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { noteDevServer } from "./lib/dev-server";
import { publish } from "./publish";
import { buildEditor } from "./build-editor.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: npm run dev [-- <wrangler dev options>]

Publishes posts/ to local KV, then starts \`wrangler dev\` on http://localhost:8787 with the
federation worker beside the blog (-c wrangler.toml -c federation/wrangler.toml: ActivityPub,
with peers on loopback allowed) and the scheduled job enabled: open
http://localhost:8787/__scheduled to announce new posts to subscribers and followers now (the
cron trigger runs every 5 minutes in production).
Options are passed to wrangler dev; --persist-to DIR is also used for publishing, and
--port P moves every link (pages, feeds, mails) to that port.
Example: npm run dev -- --port 8788 --persist-to .state`;

/** Secrets `npm run dev` passes on from its environment. */
const SECRETS = ["ADMIN_TOKEN", "MAIL_API_KEY"] as const;

/** The value of `--name V` or `--name=V` among wrangler's options. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** `npm run dev [-- wrangler dev options]`: publish posts/ to local KV, then serve with wrangler dev. */
async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const persistTo = option(args, "--persist-to");
  // The rich editor as editor/ is now (npm install built it; a change since must show).
  await buildEditor();
  // Posts changed in the browser and not pulled yet keep their browser version (the files' are not published); it says which.
  const code = await publish({ remote: false, persistTo, dryRun: false, postsDir: join(ROOT, "posts"), keepBrowserEdits: true });
  if (code !== 0) return code;

  const port = option(args, "--port") ?? "8787";
  const extra = args.includes("--test-scheduled") ? [] : ["--test-scheduled"];
  // The federation worker runs beside the blog, as in production (unless other configs were given).
  if (!args.some((a) => a === "-c" || a === "--config" || a.startsWith("--config="))) {
    extra.push("-c", join(ROOT, "wrangler.toml"), "-c", join(ROOT, "federation", "wrangler.toml"));
  }
  // Development: fediverse peers on this machine may federate.
  if (!args.some((a) => a.startsWith("FEDERATION_ALLOW_PRIVATE:"))) extra.push("--var", "FEDERATION_ALLOW_PRIVATE:true");
  // Links in mails sent by the scheduled job (which has no request to take a host from) follow the port too.
  if (!args.some((a) => a.startsWith("BASE_URL:"))) extra.push("--var", `BASE_URL:http://localhost:${port}`);
  // Secrets from the shell (`ADMIN_TOKEN=… npm run dev`): wrangler dev itself reads only .dev.vars.
  for (const name of SECRETS) {
    const value = process.env[name];
    if (value && !args.some((a) => a.startsWith(`${name}:`))) extra.push("--var", `${name}:${value}`);
  }
  console.log(`Serving on http://localhost:${port}; run the scheduled job with http://localhost:${port}/__scheduled`);
  // npm run publish / pull / import without --persist-to then write where this server reads.
  noteDevServer(ROOT, persistTo, port);
  const env = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", ...process.env };
  const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), ["dev", ...extra, ...args], { cwd: ROOT, stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise<number>((done) => child.on("close", (c) => done(c ?? 0)));
}

main().then((code) => process.exit(code));
