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
      const kb = gzipSync(readFileSync(join(out, "index.js"))).length / 1024;
      console.log(`worker bundle: ${kb.toFixed(1)} KB gzip`);
      expect(kb).toBeLessThanOrEqual(150);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
