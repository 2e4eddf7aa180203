/**
 * `npm run bench` figures for a platform of many blogs: two workers served side by side from
 * Miniflare, one holding a handful of blogs and one holding SCALE_BLOGS (seeded directly: each
 * blog's KV record and directory row, what creating it writes), measured alternately so both
 * see the same machine: creating a blog, a blog's cached and uncached pages, and the operator's
 * list. Also the memory an isolate holds for tenancy after many distinct hosts (the worker's own
 * code over an in-memory KV).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Miniflare } from "miniflare";
import { type BlogRecord, FOLLOW_VARS } from "../../src/core/blogs";
import { platformKeys } from "../../src/core/keys";
import { blogAt, forgetBlogRecords, heldRecordCount, RECORDS } from "../../src/data/blogs";
import { benchDashboards } from "./bench-dashboards";
import { memoryKv } from "./memory-kv";

export interface ScaleDeps {
  /** A worker over the storage under `persist` (emptied first when `fresh`). */
  serve: (persist: string, fresh?: boolean) => Promise<{ mf: Miniflare; url: string }>;
  /** The KV namespace and D1 database ids the worker's bindings use. */
  storage: { kv: string; d1: string };
  load: (
    base: string,
    ep: { name: string; path: string; host?: string; unique?: boolean },
  ) => Promise<{ rps: number; p99: number; errors: number }>;
  say: (line?: string) => void;
  token: string;
  work: string;
  blogs: number;
  rounds: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;
const fmt = (n: number) => n.toLocaleString("en-US");

/** A blog's record as its Blog object writes it. */
function seededRecord(name: string, createdAt: string): BlogRecord {
  return {
    ...FOLLOW_VARS,
    title: `Seeded blog ${name}`,
    description: "A blog seeded for the benchmark.",
    name,
    domains: [],
    createdAt,
    state: "active",
    version: 1,
  };
}

/**
 * A worker that writes seeded blogs into the same storage (persist dir, KV namespace, D1
 * database) as the measured worker: inside workerd, a KV put costs far less than through
 * Miniflare's Node API.
 */
const SEEDER = `
export default {
  async fetch(request, env) {
    const { from, count, base } = await request.json();
    const records = [];
    for (let n = from; n < from + count; n++) {
      const name = "seeded-" + n;
      const createdAt = new Date(base + n * 60000).toISOString();
      records.push({ title: "Seeded blog " + name, description: "A blog seeded for the benchmark.", author: null, language: null,
        timeZone: null, moderation: null, blockedWords: null, rateLimit: null, name, domains: [], createdAt, state: "active", version: 1 });
    }
    await Promise.all(records.map((r) => env.POSTS.put("platform:blog:" + r.name, JSON.stringify(r))));
    await env.PLATFORM.batch(records.map((r) => env.PLATFORM.prepare(
      "INSERT INTO blogs (name, title, description, state, created_at, domains, owner_email, updated_at, rank) VALUES (?, ?, ?, 'active', ?, '[]', NULL, ?, 1)"
    ).bind(r.name, r.title, r.description, r.createdAt, r.createdAt)));
    return new Response("ok");
  },
};`;

/** Writes `count` blogs' KV records and directory rows straight into the storage under `persist` (its directory must exist). */
async function seed(persist: string, options: { kv: string; d1: string }, count: number, say: (line?: string) => void): Promise<void> {
  const mf = new Miniflare({
    modules: true,
    script: SEEDER,
    compatibilityDate: "2026-04-20",
    defaultPersistRoot: `${persist}/v3`,
    kvNamespaces: { POSTS: options.kv },
    d1Databases: { PLATFORM: options.d1 },
  });
  try {
    const t = performance.now();
    const base = Date.parse("2025-01-01T00:00:00.000Z");
    const BATCH = 1000;
    for (let from = 0; from < count; from += BATCH) {
      const res = await mf.dispatchFetch("http://seed/", {
        method: "POST",
        body: JSON.stringify({ from, count: Math.min(BATCH, count - from), base }),
      });
      if (!res.ok) throw new Error(`seeding answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
    say(`Seeded ${fmt(count)} blogs (a KV record and a directory row each) in ${((performance.now() - t) / 1000).toFixed(0)} s.`);
  } finally {
    await mf.dispose();
  }
}

async function post(url: string, token: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function timed(run: () => Promise<Response>, expect: number): Promise<number> {
  const t = performance.now();
  const res = await run();
  await res.arrayBuffer();
  if (res.status !== expect) throw new Error(`answered ${res.status} instead of ${expect}`);
  return performance.now() - t;
}

/** Bytes of the KV values under `platform:` (what creations wrote) and their number. */
async function platformKv(mf: Miniflare): Promise<{ keys: number; bytes: number }> {
  const kv = (await mf.getKVNamespace("POSTS")) as unknown as KVNamespace;
  let keys = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: "platform:", cursor });
    for (const key of page.keys) {
      keys++;
      bytes += ((await kv.get(key.name)) ?? "").length;
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return { keys, bytes };
}

/** Tenancy's memory in one isolate: the worker's host → blog code over an in-memory KV of `count` records. */
function tenancyMemory(hosts: number[]): Promise<string[]> {
  const entries = new Map<string, string>();
  const most = Math.max(...hosts);
  for (let i = 0; i < most; i++)
    entries.set(platformKeys.blog(`seeded-${i}`), JSON.stringify(seededRecord(`seeded-${i}`, "2025-01-01T00:00:00.000Z")));
  const { kv } = memoryKv(entries);
  // A full collection before each reading, so the figure is what stays held.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  return (async () => {
    const out: string[] = [];
    for (const count of hosts) {
      forgetBlogRecords();
      gc();
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < count; i++) await blogAt(kv, { name: `seeded-${i}` });
      gc();
      gc();
      const after = process.memoryUsage().heapUsed;
      out.push(`${fmt(count)} distinct hosts: ${fmt(heldRecordCount())} records held, ${((after - before) / 1024 / 1024).toFixed(1)} MB`);
    }
    forgetBlogRecords();
    return out;
  })();
}

export async function benchScale(deps: ScaleDeps): Promise<void> {
  const { say, token, rounds } = deps;
  // Before any worker runs in this process, so nothing else is being collected meanwhile.
  const memory = await tenancyMemory([1_000, 10_000]);
  const small = await deps.serve(`${deps.work}/scale-small`);
  let large = await deps.serve(`${deps.work}/scale-large`);
  try {
    // Each worker makes its directory on first use; then the large one gets its blogs.
    for (const w of [small, large])
      await (await fetch(`${w.url}/api/admin/blogs`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
    await large.mf.dispose();
    await seed(`${deps.work}/scale-large`, deps.storage, deps.blogs, say);
    large = await deps.serve(`${deps.work}/scale-large`, false);
    // Both warmed by the same few creations (the small one then has 10 blogs: main, these, and two below).
    for (let i = 0; i < 7; i++) {
      for (const w of [small, large])
        await timed(() => post(w.url, token, "/api/admin/blogs", { name: `early-${i}`, title: "Early" }), 201);
    }

    // Creating blogs, alternately on each worker.
    const createSmall: number[] = [];
    const createLarge: number[] = [];
    const before = { small: await platformKv(small.mf) };
    const CREATIONS = 1000;
    for (let i = 0; i < CREATIONS; i++) {
      // Alternately first, so neither always follows the other.
      const order = i % 2 ? [large, small] : [small, large];
      for (const w of order) {
        const ms = await timed(() => post(w.url, token, "/api/admin/blogs", { name: `new-${i}`, title: `New blog ${i}` }), 201);
        (w === small ? createSmall : createLarge).push(ms);
      }
    }
    const after = await platformKv(small.mf);
    const perCreation = { keys: (after.keys - before.small.keys) / CREATIONS, bytes: (after.bytes - before.small.bytes) / CREATIONS };

    // One blog with a few posts on each worker; its pages at a handful of blogs and at SCALE_BLOGS.
    for (const w of [small, large]) {
      await timed(() => post(w.url, token, "/api/admin/blogs", { name: "measured", title: "Measured" }), 201);
      for (let i = 0; i < 5; i++) {
        // dispatchFetch keeps the URL's host (Node's fetch would drop a Host header).
        const res = await w.mf.dispatchFetch(`http://measured.localhost/api/posts/post-${i}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            title: `Post ${i}`,
            date: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
            markdown: `Words of post ${i}.`,
          }),
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`a post of blog "measured" answered ${res.status}`);
      }
    }
    const pages = [
      { name: "a blog's home (cached)", path: "/", host: "measured.localhost" },
      { name: "a blog's home (miss)", path: "/", host: "measured.localhost", unique: true },
      { name: "a blog's post (cached)", path: "/posts/post-1", host: "measured.localhost" },
    ];
    const pageRows: string[] = [];
    const pageRounds = Math.max(rounds, 9);
    for (const ep of pages) {
      const s: number[] = [];
      const l: number[] = [];
      for (const w of [small, large]) await deps.load(w.url, ep);
      for (let r = 0; r < pageRounds; r++) {
        // A B, then B A: drift on the machine falls on both alike.
        for (const w of r % 2 ? [large, small] : [small, large]) (w === small ? s : l).push((await deps.load(w.url, ep)).rps);
      }
      const ratios = l.map((x, i) => x / s[i]!);
      pageRows.push(
        `| ${ep.name} | ${median(s).toFixed(0)} | ${median(l).toFixed(0)} | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
      );
    }

    // The operator's first page of blogs, and a page deep in the list.
    const list: number[] = [];
    const smallList: number[] = [];
    const get = (url: string, path: string) => () => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 20; i++) {
      smallList.push(await timed(get(small.url, "/api/admin/blogs"), 200));
      list.push(await timed(get(large.url, "/api/admin/blogs"), 200));
    }
    const search: number[] = [];
    for (let i = 0; i < 10; i++) search.push(await timed(get(large.url, "/api/admin/blogs?q=seeded-9999"), 200));
    const stats: number[] = [];
    for (let i = 0; i < 10; i++) stats.push(await timed(get(large.url, "/api/admin/platform"), 200));

    // Last on the small worker (it gains 50 blogs): signed-in dashboards on many blogs against one.
    const desks = await benchDashboards(small.mf, small.url, token, Math.max(rounds, 5));

    const n = fmt(deps.blogs);
    say(`### ${n} blogs on one deployment`);
    say();
    say(
      `Two workers side by side, measured alternately: one with 10 blogs, one with ${n} more (seeded). Host → blog reads one KV record per host (held per isolate); ` +
        "creating a blog is its own object's work (the name's), so neither depends on how many blogs there are.",
    );
    say();
    say(`| creating a blog (POST /api/admin/blogs, ${CREATIONS} each) | at 10 blogs | at ${n} blogs | ratio |`);
    say("|---|---|---|---|");
    say(
      `| median ms | ${median(createSmall).toFixed(1)} | ${median(createLarge).toFixed(1)} | ${(median(createLarge) / median(createSmall)).toFixed(2)} |`,
    );
    say(
      `| p99 ms | ${p99(createSmall).toFixed(1)} | ${p99(createLarge).toFixed(1)} | ${(p99(createLarge) / p99(createSmall)).toFixed(2)} |`,
    );
    say();
    say(
      `KV writes per creation: ${perCreation.keys.toFixed(0)} key (the blog's record; one more per custom domain), ${perCreation.bytes.toFixed(0)} bytes, ` +
        `plus one directory row (D1) — the same at any number of blogs. Before: the whole registry (~370 bytes per blog: ${fmt(Math.round((deps.blogs * 370) / 1024))} KB at ${n} blogs) rewritten on every creation.`,
    );
    say();
    say(`| page (req/s, median of ${pageRounds} rounds) | at 3 blogs | at ${n} blogs | ratio, median of the rounds (lowest–highest) |`);
    say("|---|---|---|---|");
    for (const row of pageRows) say(row);
    say();
    say(
      `Operator's list at ${n} blogs (D1, the worker's own query): first page (100 blogs) median ${median(list).toFixed(1)} ms, p99 ${p99(list).toFixed(1)} ms ` +
        `(at 10 blogs: ${median(smallList).toFixed(1)} ms); search by part of a name ${median(search).toFixed(1)} ms; counts and sign-ups per day ${median(stats).toFixed(1)} ms.`,
    );
    say();
    for (const line of desks) say(line);
    say();
    say(`Tenancy's memory in one isolate (at most ${fmt(RECORDS)} records held, the least recently used dropped first):`);
    for (const line of memory) say(`- ${line}`);
    say();
  } finally {
    await small.mf.dispose();
    await large.mf.dispose();
  }
}
