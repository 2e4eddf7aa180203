import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blogOption } from "../../scripts/lib/blogs";
import { parseCli, publish } from "../../scripts/publish";
import { pull } from "../../scripts/pull";

let state: string;

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-publish-blog-"));
});

afterAll(async () => {
  await rm(state, { recursive: true, force: true });
});

describe("npm run publish -- --blog", () => {
  it("defaults to the main blog and posts/", () => {
    const opts = parseCli([]);
    expect(opts).toMatchObject({ blog: "main", postsDir: resolve("posts") });
  });

  it("takes a blog name and a posts folder", () => {
    expect(parseCli(["--blog", "city-notes", "--posts", "elsewhere"])).toMatchObject({
      blog: "city-notes",
      postsDir: resolve("elsewhere"),
    });
  });

  it.each(["Alpha", "ab", "with space", "double--hyphen", "-x-"])("refuses %j as a blog name, naming the option", (name) => {
    expect(() => parseCli(["--blog", name])).toThrow(/--blog/);
    expect(() => blogOption(name)).toThrow(/not a blog name/);
  });

  it("says a blog that was never created does not exist, and uploads nothing", async () => {
    const lines: string[] = [];
    const code = await publish({
      remote: false,
      persistTo: state,
      dryRun: false,
      postsDir: resolve("posts"),
      blog: "nowhere",
      log: (l) => lines.push(l),
    });
    expect(code).toBe(1);
    const output = lines.join("\n");
    expect(output).toContain('--blog: there is no blog "nowhere"');
    expect(output).toContain("Nothing was uploaded");
    expect(output).not.toContain("Uploading");
  });
});

describe("npm run pull -- --blog", () => {
  it("refuses a blog that does not exist", async () => {
    const lines: string[] = [];
    const code = await pull({ remote: false, persistTo: state, postsDir: state, blog: "nowhere", log: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect(lines.join("\n")).toContain('there is no blog "nowhere"');
  });
});
