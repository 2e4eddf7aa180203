import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");

describe("the worker bundle", () => {
  it("stays within 150 KB gzip (the performance budget)", { timeout: 60_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), "bundle-"));
    try {
      execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
        cwd: ROOT,
        stdio: "ignore",
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      });
      const code = readFileSync(join(out, "index.js"));
      const kb = gzipSync(code).length / 1024;
      console.log(`worker bundle: ${kb.toFixed(1)} KB gzip`);
      expect(kb).toBeLessThanOrEqual(150);
      // The rich editor is a static asset of the editor page only: none of it in the worker.
      expect(code.includes("prosemirror")).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("the rich editor's bundle (public/editor/rich.js, loaded by the post editor only)", () => {
  it("reports its size and stays within 175 KB gzip", { timeout: 60_000 }, async () => {
    const { buildEditor } = await import("../../scripts/build-editor.mjs");
    // A copy elsewhere: the browser tests running beside may be serving public/editor/rich.js.
    const out = mkdtempSync(join(tmpdir(), "rich-"));
    const size = await buildEditor({ quiet: true, to: join(out, "rich.js") }).finally(() => rmSync(out, { recursive: true, force: true }));
    console.log(`rich editor: ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzip`);
    expect(size.gzip / 1024).toBeLessThanOrEqual(175);
  });
});
