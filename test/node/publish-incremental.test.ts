import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeLocalKv } from "../../scripts/lib/local-kv";
import { publishMemo } from "../../scripts/lib/publish-memo";
import { syntheticPosts } from "../../scripts/lib/synthetic";
import { writePostFiles } from "../../scripts/lib/write-posts";
import { kvBulkPut, kvGetMany, type KvTarget } from "../../scripts/lib/wrangler";
import { publish } from "../../scripts/publish";
import { keysFor } from "../../src/core/keys";
import type { PostRecord } from "../../src/core/types";

/** `npm run publish` after a small change builds only what changed, and everything when it cannot know what KV holds. */
let work: string;
const ROOT = join(__dirname, "../..");
const keys = keysFor("main");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-incremental-"));
});
afterAll(async () => {
  await closeLocalKv();
  await rm(work, { recursive: true, force: true });
});

describe("npm run publish, one post changed", () => {
  it("parses and renders only that post, puts it in the search delta, and builds everything after a browser edit", async () => {
    const state = join(work, "state");
    const dir = join(work, "posts");
    const cacheDir = join(work, "cache");
    const target: KvTarget = { remote: false, persistTo: state, root: ROOT };
    const posts = syntheticPosts(30, 3);
    await writePostFiles(dir, posts);
    const run = async () => {
      const lines: string[] = [];
      expect(await publish({ remote: false, persistTo: state, dryRun: false, postsDir: dir, cacheDir, log: (l) => lines.push(l) })).toBe(0);
      return lines.join("\n");
    };
    expect(await run()).toContain("30 post(s) rendered, 0 unchanged");

    const changed = posts[10]!;
    await writePostFiles(
      dir,
      posts.map((p) => (p === changed ? { ...p, markdown: `${p.markdown}\n\nQuetzalcoatlus flew.` } : p)),
    );
    const second = await run();
    expect(second).toContain("1 post(s) rendered, 29 unchanged");
    expect(second).toMatch(/\d+ key\(s\) unchanged since the last publish, not built again; search: the changed posts in the delta/);
    expect(second).toContain("1 post(s) written");
    const held = await kvGetMany(target, [keys.post(changed.slug), keys.searchDelta]);
    expect((JSON.parse(held.get(keys.post(changed.slug))!) as PostRecord).html).toContain("Quetzalcoatlus flew.");
    expect(held.get(keys.searchDelta)).toContain("quetzalcoatlu");

    // The browser editor wrote a key since: what the last publish built no longer tells what KV holds.
    await kvBulkPut(target, [[keys.touched, JSON.stringify([keys.post(posts[0]!.slug)])]]);
    const third = await run();
    expect(third).not.toContain("unchanged since the last publish");
    expect(third).toContain("1 post(s) written");
    // And the next one builds on it again.
    await writePostFiles(dir, posts);
    expect(await run()).toContain("search: the changed posts in the delta");
  }, 60_000);

  it("trusts no build once a publish started writing (it may have stopped midway)", async () => {
    const cacheDir = join(work, "memo");
    const memo = await publishMemo(ROOT, "main", cacheDir);
    await memo.save({
      manifest: "{}",
      built: { inputs: {}, search: { slugs: [], made: {}, base: {}, delta: { v: 1, n: 0, docs: {}, dead: [] }, buckets: [] } },
    });
    expect((await publishMemo(ROOT, "main", cacheDir)).builtFor("{}")).not.toBeNull();
    expect((await publishMemo(ROOT, "main", cacheDir)).builtFor('{"other":1}')).toBeNull();
    await (await publishMemo(ROOT, "main", cacheDir)).forgetBuilt();
    expect((await publishMemo(ROOT, "main", cacheDir)).builtFor("{}")).toBeNull();
  });
});
