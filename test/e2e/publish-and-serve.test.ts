import { cp, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPosts } from "../../scripts/lib/load";
import { mkdir } from "node:fs/promises";
import { launchChromium, publish, publishWithFailingWrangler, ROOT, run, startDev, type DevServer } from "./processes";

let work: string;
let state: string;
let postsDir: string;
let server: DevServer | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-e2e-"));
  state = join(work, "state");
  postsDir = join(work, "posts");
  await cp(join(ROOT, "posts"), postsDir, { recursive: true });
});

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("npm run publish then wrangler dev --persist-to", () => {
  it("refuses a bad file, naming file and field, and uploads nothing", async () => {
    const bad = join(work, "bad-posts");
    await cp(postsDir, bad, { recursive: true });
    await writeFile(join(bad, "broken.md"), "---\ntitle: Broken\ndate: someday\n---\nText");
    const result = await publish("--posts", bad, "--persist-to", state);
    expect(result.code).toBe(1);
    expect(result.output).toContain("broken.md: date:");
    expect(result.output).toContain("Nothing was uploaded");
    const manifest = await run(join(ROOT, "node_modules/.bin/wrangler"), [
      "kv",
      "key",
      "get",
      "v1:manifest",
      "--binding",
      "POSTS",
      "--local",
      "--text",
      "--persist-to",
      state,
    ]);
    expect(manifest.output).toContain("Value not found");
  });

  it("publishes the sample posts with progress output, then reports nothing to do", async () => {
    const dry = await publish("--posts", postsDir, "--persist-to", state, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.output).toContain("+ new");
    expect(dry.output).toContain("Dry run: nothing was written.");

    const first = await publish("--posts", postsDir, "--persist-to", state);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/\[1\/\d\] Uploading \d+ post\(s\)/);
    expect(first.output).toContain("Published to local KV");

    const second = await publish("--posts", postsDir, "--persist-to", state);
    expect(second.code).toBe(0);
    expect(second.output).toContain("Nothing changed");
  });

  it("serves what was published: pages, API, 404s, drafts and scheduled posts hidden", async () => {
    server = await startDev(state);
    const { posts } = await loadPosts(postsDir);
    const now = new Date().toISOString();
    const visible = posts.filter((p) => !p.draft && p.date <= now).sort((a, b) => (a.date < b.date ? 1 : -1));
    const hidden = posts.filter((p) => p.draft || p.date > now);
    expect(visible.length).toBeGreaterThanOrEqual(10);
    expect(hidden.length).toBeGreaterThanOrEqual(2);

    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain(`/posts/${visible[0]!.slug}`);
    for (const p of hidden) expect(html).not.toContain(`/posts/${p.slug}"`);

    const post = await fetch(`${server.url}/posts/${visible[0]!.slug}`);
    expect(post.status).toBe(200);
    expect(await post.text()).toContain("Posted on <time");

    const api = (await (await fetch(`${server.url}/api/posts?limit=100`)).json()) as {
      posts: { slug: string }[];
      meta: { pagination: { total: number } };
    };
    expect(api.posts.map((p) => p.slug)).toEqual(visible.map((p) => p.slug));
    expect(api.meta.pagination.total).toBe(visible.length);

    for (const p of hidden) expect((await fetch(`${server.url}/posts/${p.slug}`)).status).toBe(404);
    expect((await fetch(`${server.url}/no/such/page`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/posts?limit=1000`)).status).toBe(400);
    expect((await fetch(`${server.url}/style.css`)).headers.get("content-type")).toContain("text/css");
    expect((await fetch(`${server.url}/images/night-train.svg`)).status).toBe(200);
  });

  it("looks right on a phone and a desktop: no horizontal scrolling, screenshots saved", async () => {
    const shots = join(ROOT, ".tmp", "screenshots");
    await mkdir(shots, { recursive: true });
    const browser = await launchChromium();
    try {
      for (const [name, width, height] of [
        ["phone", 375, 812],
        ["desktop", 1280, 900],
      ] as const) {
        const page = await browser.newPage({ viewport: { width, height } });
        for (const [label, path] of [
          ["home", "/"],
          ["post", "/posts/inside-the-grid-operators-control-room"],
          ["archive", "/archive"],
        ] as const) {
          await page.goto(`${server!.url}${path}`);
          const overflow = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
          expect(overflow, `${label} at ${width}px`).toBeLessThanOrEqual(0);
          await page.screenshot({ path: join(shots, `${label}-${name}.png`), fullPage: label !== "archive" });
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });

  it("deletes a removed post's keys on the next publish", async () => {
    const { posts } = await loadPosts(postsDir);
    const victim = posts.find((p) => !p.draft && p.date <= new Date().toISOString())!;
    await unlink(join(postsDir, `${victim.slug}.md`));
    const result = await publish("--posts", postsDir, "--persist-to", state);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`- removed  ${victim.slug}`);
    expect((await fetch(`${server!.url}/posts/${victim.slug}`)).status).toBe(404);
    expect(await (await fetch(`${server!.url}/archive`)).text()).not.toContain(`/posts/${victim.slug}"`);
  });

  it("stays consistent when wrangler fails midway, says so, and finishes on the next run", async () => {
    await writeFile(
      join(postsDir, "midway.md"),
      `---\ntitle: Midway\ndate: ${new Date(Date.now() - 60_000).toISOString()}\n---\nWritten during a failing upload.\n`,
    );
    const failed = await publishWithFailingWrangler("--posts", postsDir, "--persist-to", state);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("simulated network failure");
    expect(failed.output).toContain("Run the same command again to finish");
    // The post key is there, the listings are the old ones: nothing points to a missing post.
    const api = (await (await fetch(`${server!.url}/api/posts?limit=100`)).json()) as { posts: { slug: string }[] };
    for (const p of api.posts) expect((await fetch(`${server!.url}/posts/${p.slug}`)).status, p.slug).toBe(200);
    expect(api.posts.map((p) => p.slug)).not.toContain("midway");

    const again = await publish("--posts", postsDir, "--persist-to", state);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("Published");
    // Readers see it once the answer this isolate holds is older than PAGE_CACHE_SECONDS (3 s here): asked just before, it may still be held.
    let newest = "";
    for (let i = 0; i < 50 && newest !== "midway"; i++) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      newest = ((await (await fetch(`${server!.url}/api/posts?limit=100`)).json()) as { posts: { slug: string }[] }).posts[0]!.slug;
    }
    expect(newest).toBe("midway");
    expect((await publish("--posts", postsDir, "--persist-to", state)).output).toContain("Nothing changed");
  });

  it("keeps serving the same data after a restart on the same --persist-to", async () => {
    // Absolute URLs follow the port serving them, which changes with the restart.
    const read = async (path: string) => (await (await fetch(`${server!.url}${path}`)).text()).replaceAll(server!.url, "ORIGIN");
    const [list, page] = [await read("/api/posts?limit=100"), await read("/posts/midway")];
    await server!.stop();
    server = await startDev(state);
    expect(await read("/api/posts?limit=100")).toBe(list);
    expect(JSON.parse(list).posts.length).toBeGreaterThan(1);
    expect(await read("/posts/midway")).toBe(page);
  });
});
