import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { countView } from "../../src/http/stats";

type Served = { mf: { dispose(): Promise<void> }; url: string };
type Load = (url: string, ep: { name: string; path: string; headers?: Record<string, string> }) => Promise<{ rps: number; errors: number }>;

/** A reader's browser: what the statistics count (the other rows send no user agent, which counts nothing). */
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The statistics' cost: the same cached post page read by browsers from the same worker with
 * counting on and off (STATS), rounds alternating, and the D1 rows the queue's consumer wrote per
 * 1,000 views counted (D1's own rows_written, from the consumer's "statistics counted" log lines).
 */
export async function benchStats(opts: {
  serve: (persist: string, vars: Record<string, string>, onLog?: (line: string) => void) => Promise<Served>;
  state: string;
  work: string;
  path: string;
  load: Load;
  rounds: number;
  say: (line?: string) => void;
}): Promise<void> {
  const { say } = opts;
  const copies = ["on", "off"].map((k) => join(opts.work, `stats-${k}`));
  for (const copy of copies) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(opts.state, copy, { recursive: true });
  }
  let views = 0;
  let rows = 0;
  let batches = 0;
  const onLog = (line: string) => {
    if (!line.includes('"statistics counted"')) return;
    try {
      const entry = JSON.parse(line) as { views: number; rowsWritten: number; batches: number };
      views += entry.views;
      rows += entry.rowsWritten;
      batches += entry.batches;
    } catch {
      /* not a log line of ours */
    }
  };
  const on = await opts.serve(copies[0]!, { STATS: "on" }, onLog);
  const off = await opts.serve(copies[1]!, { STATS: "off" });
  const ep = { name: "post page, cached, browsers", path: opts.path, headers: { "User-Agent": BROWSER } };
  try {
    await opts.load(on.url, ep);
    await opts.load(off.url, ep);
    const ratios: number[] = [];
    const onRps: number[] = [];
    const offRps: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      // Each round in the other order: neither worker always runs on a machine the other just warmed.
      const first = await opts.load(r % 2 ? off.url : on.url, ep);
      const second = await opts.load(r % 2 ? on.url : off.url, ep);
      const [a, b] = r % 2 ? [second, first] : [first, second];
      onRps.push(a.rps);
      offRps.push(b.rps);
      ratios.push(a.rps / b.rps);
    }
    // The last batches leave STATS_FLUSH_SECONDS after their first view, then wait for the queue's batch.
    await new Promise((r) => setTimeout(r, 12_000));
    say("## Statistics: counting on and off");
    say();
    say("| endpoint | req/s counting | req/s not counting | counting / not (median, min–max) |");
    say("|---|---|---|---|");
    say(
      `| ${ep.name} | ${median(onRps).toFixed(0)} | ${median(offRps).toFixed(0)} | ${median(ratios).toFixed(2)} ` +
        `(${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
    );
    say();
    say(
      `Counting a view costs ${countingCpu().toFixed(1)} µs of CPU in Node (the in-isolate tally: classing the request, the visitor sketch, the counts), ` +
        "against tens of microseconds for a page from the page cache (CPU per request, below): the req/s ratio above is within this machine's noise.",
    );
    say();
    say(
      views
        ? `The queue's consumer counted ${views.toLocaleString("en-US")} views in ${batches.toLocaleString("en-US")} isolate batches: ` +
            `${((rows / views) * 1000).toFixed(1)} D1 rows written per 1,000 views (one blog, one page; each further page, referrer, country or device a view brings adds a row per batch).`
        : "The queue's consumer reported no views (its log lines were not seen).",
    );
    say();
  } finally {
    await on.mf.dispose();
    await off.mf.dispose();
  }
}

/** CPU of counting one view in Node (the in-isolate tally, what a cached page adds): microseconds, mean of 200,000. */
export function countingCpu(): number {
  const queue = { send: async () => undefined } as unknown as Parameters<typeof countView>[2];
  const target = { blog: "main", born: "", timeZone: "Europe/Paris", host: "blog.example", path: "/posts/a-post", flushMs: 60_000 };
  const req = new Request("https://blog.example/posts/a-post", {
    headers: {
      "User-Agent": BROWSER,
      "CF-Connecting-IP": "203.0.113.9",
      Referer: "https://news.ycombinator.com/item?id=1",
      Cookie: "theme=dark",
    },
  });
  for (let i = 0; i < 20_000; i++) countView(req, target, queue);
  const start = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i++) countView(req, target, queue);
  return Number(process.hrtime.bigint() - start) / 200_000 / 1000;
}
