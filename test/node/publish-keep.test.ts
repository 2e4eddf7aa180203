import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writePostFiles } from "../../scripts/lib/write-posts";
import { kvBulkPut, kvGetMany, type KvTarget } from "../../scripts/lib/wrangler";
import { closeLocalKv } from "../../scripts/lib/local-kv";
import { publish } from "../../scripts/publish";
import { keysFor, sourceChunk } from "../../src/content/keys";
import type { PostSource } from "../../src/content/types";

let work: string;
const ROOT = join(__dirname, "../..");
const keys = keysFor("main");
const post = (slug: string, markdown: string): PostSource => ({
  slug,
  title: slug,
  date: "2025-01-01T10:00:00.000Z",
  updated: null,
  author: null,
  tags: [],
  summary: null,
  draft: false,
  markdown,
});

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-keep-"));
});
afterAll(async () => {
  await closeLocalKv();
  await rm(work, { recursive: true, force: true });
});

describe("npm run dev with a browser edit not pulled yet", () => {
  it("publishes the browser's version of that post instead of stopping, says so, and keeps it marked", async () => {
    const state = join(work, "state");
    const dir = join(work, "posts");
    const target: KvTarget = { remote: false, persistTo: state, root: ROOT };
    await writePostFiles(dir, [post("edited", "The file's words."), post("other", "Other words.")]);
    const quiet = { remote: false, persistTo: state, dryRun: false, postsDir: dir, log: () => {} };
    expect(await publish(quiet)).toBe(0);
    // A save in the browser: the sources chunk holds its version, the edit log names it.
    const chunkKey = keys.sources(sourceChunk("edited"));
    const chunk = JSON.parse((await kvGetMany(target, [chunkKey])).get(chunkKey)!) as { posts: Record<string, PostSource> };
    chunk.posts.edited = { ...chunk.posts.edited!, markdown: "The browser's words." };
    await kvBulkPut(target, [
      [chunkKey, JSON.stringify(chunk)],
      [keys.edited, JSON.stringify({ edited: { at: "2025-01-02T10:00:00.000Z", deleted: false } })],
    ]);
    // Meanwhile the other file changed: it is published all the same.
    await writePostFiles(dir, [post("edited", "The file's words."), post("other", "Other words, changed.")]);

    // A plain publish still stops.
    expect(await publish(quiet)).toBe(1);
    const lines: string[] = [];
    expect(await publish({ ...quiet, keepBrowserEdits: true, log: (l) => lines.push(l) })).toBe(0);
    const said = lines.join("\n");
    expect(said).toContain("kept from the browser: posts/edited.md differs from the version saved in the browser");
    expect(said).toContain("npm run pull");
    const held = await kvGetMany(target, [keys.post("edited"), keys.post("other"), keys.edited]);
    expect(held.get(keys.post("edited"))).toContain("The browser&#39;s words.");
    expect(held.get(keys.post("other"))).toContain("Other words, changed.");
    expect(JSON.parse(held.get(keys.edited)!)).toHaveProperty("edited");
    // And the next plain publish still refuses to overwrite it.
    expect(await publish(quiet)).toBe(1);
  });
});
