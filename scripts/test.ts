/**
 * `npm test`: the whole suite in two Vitest runs side by side — the end-to-end files one at a
 * time (each starts its own `wrangler dev` and Chromium), and the workerd and Node tiers beside
 * them. One Vitest run cannot do this: it runs a project whose files go one at a time after every
 * other project (and on two cores its default is one worker for all), so the tiers added up.
 *
 * Arguments go to both runs; `--outputFile.json=F` becomes `F` with `.e2e`/`.units` before its
 * extension. With a file filter or `--project`, it is one plain `vitest run` with those arguments.
 */
import { spawn } from "node:child_process";
import { extname } from "node:path";

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(`npm test [-- vitest arguments]

Runs the end-to-end tests (one file at a time) beside the workerd and Node tests.
  npm test                              the whole suite
  npm test -- test/stats.test.ts        one file (a plain vitest run)
  npm test -- --project e2e             one tier
Reports: --reporter=json --outputFile.json=F writes F.e2e.json and F.units.json.`);
  process.exit(0);
}

const vitest = "node_modules/.bin/vitest";
const plain = args.some((a) => !a.startsWith("-") || a.startsWith("--project"));

function withSuffix(arg: string, suffix: string): string {
  const match = /^(--outputFile\.json=)(.+)$/.exec(arg);
  if (!match) return arg;
  const [, option, file] = match as unknown as [string, string, string];
  const ext = extname(file);
  return `${option}${file.slice(0, file.length - ext.length)}.${suffix}${ext || ".json"}`;
}

/** Runs one Vitest, its lines prefixed so two side by side stay readable; resolves to its exit code. */
function run(label: string, runArgs: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(vitest, ["run", ...runArgs], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      let rest = "";
      from.setEncoding("utf8");
      from.on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) to.write(`[${label}] ${line}\n`);
      });
      from.on("end", () => rest && to.write(`[${label}] ${rest}\n`));
    }
    child.on("close", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

if (plain) {
  const child = spawn(vitest, ["run", ...args], { stdio: "inherit" });
  child.on("close", (code) => process.exit(code ?? 1));
} else {
  const started = Date.now();
  const codes = await Promise.all([
    run("e2e", ["--project", "e2e", ...args.map((a) => withSuffix(a, "e2e"))]),
    // One worker: with two, the workerd files' queue messages (mails, jobs) were consumed in another file's isolated
    // storage and lost (three CI runs), and the machine's two cores were over-full beside Chromium.
    run("units", ["--project", "worker", "--project", "node", "--maxWorkers=1", ...args.map((a) => withSuffix(a, "units"))]),
  ]);
  console.log(
    `npm test: e2e ${codes[0] ? "failed" : "passed"}, workerd and Node ${codes[1] ? "failed" : "passed"} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  process.exit(codes.some(Boolean) ? 1 : 0);
}
