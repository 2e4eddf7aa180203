import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, launchChromium, publish, ROOT, requestAt, run, startDev, type DevServer } from "./processes";

/**
 * Several blogs on one `wrangler dev`: a state directory written by the single-blog version of
 * `npm run publish` (test/fixtures/single-blog-state.tar.gz, with a comment and a subscriber made
 * by that version's server) is served as the main blog; two blogs are created through the
 * operator API, published into with `npm run publish -- --blog`, and read by host name.
 */
let work: string;
let state: string;
let server: (DevServer & { port: number }) | undefined;
const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };

async function postsFor(name: string, marker: string): Promise<string> {
  const dir = join(work, `${name}-posts`);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "welcome.md"),
    `---\ntitle: "Welcome to ${marker}"\ndate: 2026-01-05T10:00:00Z\ntags: [intro]\n---\nThe first post of ${marker}.\n`,
  );
  await writeFile(
    join(dir, `${name}-only.md`),
    `---\ntitle: "${marker} only"\ndate: 2026-01-06T10:00:00Z\n---\nOnly ${marker} has this.\n`,
  );
  return dir;
}

const kvKeys = async (prefix: string) =>
  JSON.parse(
    (
      await run(join(ROOT, "node_modules/.bin/wrangler"), [
        "kv",
        "key",
        "list",
        "--prefix",
        prefix,
        "--binding",
        "POSTS",
        "--local",
        "--persist-to",
        state,
      ])
    ).output.replace(/^[^[]*/, ""),
  ) as { name: string }[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-blogs-"));
  await promisify(execFile)("tar", ["xzf", join(ROOT, "test/fixtures/single-blog-state.tar.gz"), "-C", work]);
  state = join(work, "state");
});

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("several blogs on one deployment", () => {
  it("refuses to publish into a blog that does not exist, uploading nothing", async () => {
    const result = await publish("--blog", "alpha", "--posts", await postsFor("alpha", "alphamark"), "--persist-to", state);
    expect(result.code).toBe(1);
    expect(result.output).toContain('there is no blog "alpha"');
    expect(result.output).toContain("Nothing was uploaded");
    expect(await kvKeys("blog:alpha:")).toEqual([]);
    const bad = await publish("--blog", "Not_A_Name", "--persist-to", state);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("--blog");
  });

  it("serves a deployment published before there were several blogs as the main blog, comments included", async () => {
    server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`]);
    const home = await requestAt(server.port, "127.0.0.1", "/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("Hello from the single-blog days");
    const post = await requestAt(server.port, "localhost", "/posts/old-hello");
    expect(post.body).toContain("A comment from before the platform.");
    const comments = JSON.parse((await requestAt(server.port, "localhost", "/api/posts/old-hello/comments")).body);
    expect(comments.comments.map((c: { author: string }) => c.author)).toEqual(["Early reader"]);
  });

  it("creates two blogs through the operator API, publishes into each, and serves each at its host", async () => {
    const port = server!.port;
    for (const [name, title] of [
      ["alpha", "Alpha Field Notes"],
      ["beta", "Beta Dispatches"],
    ]) {
      const res = await requestAt(port, "localhost", "/api/admin/blogs", {
        method: "POST",
        headers: OPERATOR,
        body: JSON.stringify({ name, title }),
      });
      expect(res.status, res.body).toBe(201);
      expect(JSON.parse(res.body).blog.url).toBe(`http://${name}.localhost:${port}`);
    }
    for (const [name, marker] of [
      ["alpha", "alphamark"],
      ["beta", "betamark"],
    ] as const) {
      const result = await publish("--blog", name, "--posts", await postsFor(name, marker), "--persist-to", state);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`Published to blog "${name}"`);
    }

    const alpha = await requestAt(port, "alpha.localhost", "/");
    expect(alpha.status).toBe(200);
    expect(alpha.body).toContain("Alpha Field Notes");
    expect(alpha.body).toContain("Welcome to alphamark");
    expect(alpha.body).not.toContain("betamark");
    expect(alpha.body).not.toContain("Hello from the single-blog days");

    const beta = await requestAt(port, "beta.localhost", "/api/posts");
    expect(JSON.parse(beta.body).posts.map((p: { slug: string }) => p.slug)).toEqual(["beta-only", "welcome"]);
    expect((await requestAt(port, "beta.localhost", "/posts/alpha-only")).status).toBe(404);
    expect((await requestAt(port, "alpha.localhost", "/posts/welcome")).body).toContain("alphamark");
    expect((await requestAt(port, "beta.localhost", "/posts/welcome")).body).toContain("betamark");

    // The main blog is as it was, at any host that is not a blog's.
    const main = JSON.parse((await requestAt(port, "127.0.0.1", "/api/posts")).body);
    expect(main.posts.map((p: { slug: string }) => p.slug)).toEqual(["old-second", "old-hello"]);

    const list = JSON.parse((await requestAt(port, "localhost", "/api/admin/blogs", { headers: OPERATOR })).body);
    expect(list.blogs.map((b: { name: string; posts: number }) => [b.name, b.posts])).toEqual([
      ["main", 2],
      ["alpha", 2],
      ["beta", 2],
    ]);
  });

  it("answers a free name under the blogs domain with a 404 that offers + Create my blog", async () => {
    const res = await requestAt(server!.port, "zeta.localhost", "/");
    expect(res.status).toBe(404);
    expect(res.body).toContain("+ Create my blog");
  });

  it("keeps comments apart between blogs with the same slug", async () => {
    const port = server!.port;
    const res = await requestAt(port, "alpha.localhost", "/api/posts/welcome/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Alpha reader", body: "Only on alpha" }),
    });
    expect(res.status).toBe(201);
    expect(JSON.parse((await requestAt(port, "beta.localhost", "/api/posts/welcome/comments")).body).comments).toEqual([]);
  });

  it("opens each blog by its host name in Chromium", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://alpha.localhost:${server!.port}/`);
      expect(await page.title()).toBe("Alpha Field Notes");
      await page.goto(`http://beta.localhost:${server!.port}/posts/welcome`);
      expect(await page.locator("h1").first().textContent()).toContain("betamark");
      expect(await page.content()).not.toContain("Only on alpha");
    } finally {
      await browser.close();
    }
  });
});
