import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { contentValidator } from "../../src/core/hash";
import { keysFor } from "../../src/core/keys";
import { closeLocalKv } from "../../scripts/lib/local-kv";
import { kvBulkPut } from "../../scripts/lib/wrangler";

describe("npm run publish's KV writes", () => {
  it("write each sources key with its hash as metadata (what nightly backups compare), and no other key", { timeout: 30_000 }, async () => {
    const state = await mkdtemp(join(tmpdir(), "edge-blog-kv-metadata-"));
    const keys = keysFor("alpha");
    const chunk = JSON.stringify({ v: 1, posts: {} });
    try {
      await kvBulkPut({ remote: false, persistTo: state, root: resolve(".") }, [
        [keys.sources(7), chunk],
        [keys.post("hello"), "{}"],
      ]);
      await closeLocalKv();
      const mf = new Miniflare({
        modules: true,
        script: "export default {}",
        kvNamespaces: { POSTS: "00000000000000000000000000000000" },
        defaultPersistRoot: join(state, "v3"),
      });
      try {
        const kv = (await mf.getKVNamespace("POSTS")) as unknown as KVNamespace;
        const listed = await kv.list({ prefix: keys.prefix });
        const meta = Object.fromEntries(listed.keys.map((k) => [k.name, k.metadata ?? null]));
        expect(meta).toEqual({ [keys.sources(7)]: { h: contentValidator(chunk) }, [keys.post("hello")]: null });
      } finally {
        await mf.dispose();
      }
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
