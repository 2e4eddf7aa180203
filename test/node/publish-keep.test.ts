import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writePostFiles } from "../../scripts/lib/write-posts";
import { kvBulkPut, kvGetMany, type KvTarget } from "../../scripts/lib/wrangler";
import { closeLocalKv } from "../../scripts/lib/local-kv";
import { publish } from "../../scripts/publish";
import { pull } from "../../scripts/pull";
import { PNG } from "../fixtures/images";
import { keysFor, sourceChunk } from "../../src/core/keys";
import type { PostSource } from "../../src/core/types";

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

describe("npm run pull after a browser edit of a post with a local image", () => {
  it("keeps the file's own image reference (images/quay.png), not the /media/ address publishing gave it", {
    timeout: 60_000,
  }, async () => {
    const state = join(work, "state-images");
    const dir = join(work, "posts-images");
    const target: KvTarget = { remote: false, persistTo: state, root: ROOT };
    await mkdir(join(dir, "images"), { recursive: true });
    await writeFile(join(dir, "images", "quay.png"), PNG);
    const file = '---\ntitle: "On the quay"\ndate: 2025-01-01T10:00:00Z\n---\nThe boats.\n\n![The quay](images/quay.png)\n';
    await writeFile(join(dir, "quay.md"), file);
    expect(await publish({ remote: false, persistTo: state, dryRun: false, postsDir: dir, log: () => {} })).toBe(0);
    // The browser changes the first line; the image stays as KV holds it (/media/<hash>.png).
    const chunkKey = keys.sources(sourceChunk("quay"));
    const chunk = JSON.parse((await kvGetMany(target, [chunkKey])).get(chunkKey)!) as { posts: Record<string, PostSource> };
    expect(chunk.posts.quay!.markdown).toMatch(/!\[The quay\]\(\/media\/[0-9a-f]+\.png\)/);
    chunk.posts.quay = { ...chunk.posts.quay!, markdown: chunk.posts.quay!.markdown.replace("The boats.", "The boats, at dawn.") };
    await kvBulkPut(target, [
      [chunkKey, JSON.stringify(chunk)],
      [keys.edited, JSON.stringify({ quay: { at: "2025-01-02T10:00:00.000Z", deleted: false } })],
    ]);
    expect(await pull({ remote: false, persistTo: state, postsDir: dir, log: () => {} })).toBe(0);
    const pulled = await readFile(join(dir, "quay.md"), "utf8");
    expect(pulled).toContain("The boats, at dawn.");
    expect(pulled).toContain("![The quay](images/quay.png)");
    expect(pulled).not.toContain("/media/");
  });
});
