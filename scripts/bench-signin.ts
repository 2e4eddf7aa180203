/**
 * `npm run bench:signin`: the time of `POST /signin` for an address that is a member and for one
 * that is not, alternating, against the built worker in Miniflare (no wrangler dev proxy). The
 * answer is the same page either way and the mail goes out after it; this shows the timing is too.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { readerOptions } from "./lib/workers";

const ROOT = resolve(import.meta.dirname, "..");
const TOKEN = "bench-admin-token-0123456789abcdef0123456789";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

async function main() {
  // Inside the project: workerd will not read a script whose source map points above its folder.
  const work = join(ROOT, ".tmp", "signin");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", join(work, "dist")], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const workerOptions = readerOptions(ROOT) as { bindings?: object };
  const mf = new Miniflare({
    ...workerOptions,
    modules: true,
    scriptPath: join(work, "dist", "index.js"),
    defaultPersistRoot: join(work, "state"),
    bindings: { ...workerOptions.bindings, ADMIN_TOKEN: TOKEN },
  } as ConstructorParameters<typeof Miniflare>[0]);
  const base = (await mf.ready).href.replace(/\/$/, "");
  const call = (path: string, init: RequestInit = {}) => mf.dispatchFetch(`${base}${path}`, init as never);
  const operator = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
  await (
    await call("/api/members", { method: "POST", headers: operator, body: JSON.stringify({ email: "member@example.org", role: "editor" }) })
  ).text();
  await new Promise((r) => setTimeout(r, 200));
  const outbox = (await (await call("/api/admin/outbox", { headers: operator })).json()) as { messages: { text: string }[] };
  const token = decodeURIComponent(/\/invite\/accept\?token=(\S+)/.exec(outbox.messages.at(-1)!.text)![1]!);
  await (
    await call("/invite/accept", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${encodeURIComponent(token)}`,
    })
  ).text();

  const times: Record<"member" | "stranger", number[]> = { member: [], stranger: [] };
  const ask = async (email: string) => {
    const t = performance.now();
    const res = await call("/signin", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `email=${encodeURIComponent(email)}`,
    });
    await res.text();
    return performance.now() - t;
  };
  for (let i = 0; i < 20; i++) await ask(`warm${i}@example.org`);
  for (let i = 0; i < ROUNDS; i++) {
    times.member.push(await ask("member@example.org"));
    times.stranger.push(await ask(`stranger${i}@example.org`));
  }
  for (const [who, xs] of Object.entries(times)) {
    console.log(
      `${who.padEnd(8)} median ${quantile(xs, 0.5).toFixed(2)} ms, p90 ${quantile(xs, 0.9).toFixed(2)} ms (${xs.length} requests)`,
    );
  }
  console.log(`member / stranger (median): ${(quantile(times.member, 0.5) / quantile(times.stranger, 0.5)).toFixed(2)}`);
  await mf.dispose();
  rmSync(work, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
