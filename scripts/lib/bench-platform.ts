/** `npm run bench` figures for the platform: saving posts through the editor object, and a second blog's cached pages. */
import type { Miniflare } from "miniflare";
import type { PostSource } from "../../src/core/types";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface EditResult {
  created: boolean;
  stats: { kvReads: number; kvWrites: number; imported: boolean };
}

/**
 * Saves through the main blog's editor object, called over RPC from Node: wall time per call
 * (an upper bound of the object's CPU time: local KV and SQLite I/O included) and the KV reads
 * and writes it reports. A trivial call to the same object is the baseline.
 */
export async function benchEdits(mf: Miniflare, posts: PostSource[], say: (line?: string) => void): Promise<void> {
  const ns = (await mf.getDurableObjectNamespace("EDITOR")) as unknown as { get(id: unknown): unknown; idFromName(name: string): unknown };
  const editor = ns.get(ns.idFromName("site")) as {
    save(blog: string, post: PostSource): Promise<EditResult>;
    source(blog: string, slug: string): Promise<unknown>;
    remove(blog: string, slug: string): Promise<boolean>;
  };
  const timed = async <T>(run: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const result = await run();
    return [performance.now() - t, result];
  };
  const stats = async (r: EditResult) => ({ ...(await r.stats) });
  const [importMs, first] = await timed(() =>
    editor.save("main", { ...posts[1]!, markdown: `${posts[1]!.markdown}\n\nFirst edit after the publish.` }),
  );
  const firstStats = await stats(first);
  const rows: [string, number[], { kvReads: number; kvWrites: number }[]][] = [];
  const measure = async (label: string, make: (i: number) => PostSource) => {
    const times: number[] = [];
    const costs: { kvReads: number; kvWrites: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const [ms, result] = await timed(() => editor.save("main", make(i)));
      times.push(ms);
      costs.push(await stats(result));
    }
    rows.push([label, times, costs]);
  };
  const middle = posts[Math.floor(posts.length / 2)]!;
  const old = posts[5]!;
  await measure("edit a post in place (middle of the blog)", (i) => ({ ...middle, markdown: `${middle.markdown}\n\nEdit ${i}.` }));
  await measure("retitle one of the oldest posts", (i) => ({ ...old, title: `${old.title} (${i})` }));
  await measure("new post (newest)", (i) => ({
    ...middle,
    slug: `bench-new-${i}`,
    title: `A new post ${i}`,
    date: new Date(Date.now() - 1000).toISOString(),
  }));
  const baseline: number[] = [];
  for (let i = 0; i < 5; i++) baseline.push((await timed(() => editor.source("main", middle.slug)))[0]);
  say(`### Saving posts at ${posts.length.toLocaleString("en-US")} posts (editor object)`);
  say();
  say(
    `First save after the publish (takes the blog in from KV): ${importMs.toFixed(0)} ms, ${firstStats.kvReads} KV reads, ` +
      `${firstStats.kvWrites} KV writes. A trivial call to the same object (baseline): ${median(baseline).toFixed(1)} ms.`,
  );
  say();
  say("| save | median ms | max ms | KV writes (max) | KV reads (max) |");
  say("|---|---|---|---|---|");
  for (const [label, times, costs] of rows) {
    say(
      `| ${label} | ${median(times).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${Math.max(...costs.map((c) => c.kvWrites))} | ` +
        `${Math.max(...costs.map((c) => c.kvReads))} |`,
    );
  }
  say();
  say(
    "Before (the single-blog editor, which rebuilt the whole site from KV on every save; measured once at 10,000 posts " +
      "on this machine): ~5.6 s per edit and ~8–11 s and 4,222 KV writes per new post.",
  );
  say();
}
