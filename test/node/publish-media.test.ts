import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localImages } from "../../scripts/lib/media";
import { kvGet } from "../../scripts/lib/wrangler";
import { publish } from "../../scripts/publish";
import { keysFor } from "../../src/core/keys";
import { mediaName } from "../../src/core/media";
import { MAX_MEDIA_BYTES } from "../../src/core/vocabulary";
import { GIF, PNG, TEXT_AS_PNG } from "../fixtures/images";

let dir: string;
let state: string;
const ROOT = resolve(".");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-blog-media-"));
  state = join(dir, "state");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const post = (title: string, body: string, extra = "") => `---\ntitle: "${title}"\ndate: 2024-01-01T00:00:00Z\n${extra}---\n\n${body}\n`;

async function postsWith(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const posts = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(posts, path, ".."), { recursive: true });
    await writeFile(join(posts, path), content);
  }
  return posts;
}

async function run(postsDir: string): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await publish({ remote: false, persistTo: state, dryRun: false, postsDir, log: (l) => lines.push(l) });
  return { code, output: lines.join("\n") };
}

describe("npm run publish with images next to the posts", () => {
  it("uploads each referenced image to R2 once and rewrites the links to /media/", async () => {
    const posts = await postsWith("good", {
      "with-map.md": post("With a map", 'Intro.\n\n![The map](images/map.png)\n\nAnd <img src="./images/map.png" alt="again">.'),
      "covered.md": post("Covered", "Text.", "cover: images/cover.gif\n"),
      "images/map.png": PNG,
      "images/cover.gif": GIF,
      "images/unused.png": PNG,
    });
    const first = await run(posts);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain("2 image(s) referenced, 2 to upload");
    expect(first.output).toMatch(/Uploading image 1\/2/);
    const map = await mediaName(PNG, "png");
    const cover = await mediaName(GIF, "gif");

    const record = JSON.parse((await kvGet({ remote: false, persistTo: state, root: ROOT }, keysFor("main").post("with-map")))!);
    expect(record.html).toContain(`src="/media/${map}"`);
    expect(record.html).not.toContain("images/map.png");
    const covered = JSON.parse((await kvGet({ remote: false, persistTo: state, root: ROOT }, keysFor("main").post("covered")))!);
    expect(covered.cover).toBe(`/media/${cover}`);

    // The bytes are in the local bucket that `wrangler dev --persist-to` serves.
    const out = join(dir, "back.png");
    await promisify(execFile)(
      join(ROOT, "node_modules/.bin/wrangler"),
      ["r2", "object", "get", `edge-blog-media/main/${map}`, "--file", out, "--local", "--persist-to", state],
      { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
    );
    expect(new Uint8Array(await readFile(out))).toEqual(PNG);

    // Unchanged images are not uploaded again.
    const second = await run(posts);
    expect(second.code).toBe(0);
    expect(second.output).toContain("2 image(s) referenced, 0 to upload");
    expect(second.output).not.toContain("Uploading image");
  }, 60_000);

  it("names the file and line of a missing image, a non-image and an oversized one, and uploads nothing", async () => {
    const big = new Uint8Array(MAX_MEDIA_BYTES + 1);
    big.set(PNG);
    const posts = await postsWith("bad", {
      "missing.md": post("Missing", "Line one.\n\nLine two.\n\n![gone](images/gone.png)"),
      "fake.md": post("Fake", "![fake](images/fake.png)"),
      "huge.md": post("Huge", "![huge](images/huge.png)"),
      "images/fake.png": TEXT_AS_PNG,
      "images/huge.png": big,
    });
    const { code, output } = await run(posts);
    expect(code).toBe(1);
    expect(output).toMatch(/error: .*missing\.md:10: image: image images\/gone\.png not found \(looked for .*images\/gone\.png\)/);
    expect(output).toMatch(/error: .*fake\.md:6: image: images\/fake\.png: The file is not a PNG, JPEG, WebP, AVIF or GIF image/);
    expect(output).toMatch(/error: .*huge\.md:6: image: images\/huge\.png: The image is larger than 10 MB/);
    expect(output).toContain("Nothing was uploaded");
  });

  it("leaves absolute and remote images alone", async () => {
    const { posts, images, errors } = await localImages(dir, [
      {
        slug: "x",
        title: "x",
        date: "2024-01-01T00:00:00.000Z",
        updated: null,
        author: null,
        tags: [],
        summary: null,
        draft: false,
        markdown: "![a](/images/library.svg) ![b](https://cdn.example/b.png) ![c](data:image/png;base64,AAAA)",
      },
    ]);
    expect(errors).toEqual([]);
    expect(images.size).toBe(0);
    expect(posts[0]!.markdown).toBe("![a](/images/library.svg) ![b](https://cdn.example/b.png) ![c](data:image/png;base64,AAAA)");
  });
});
