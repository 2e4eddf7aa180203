import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, importFixture, launchChromium, publish, requestAt, signInAsOperator, startDev, type DevServer } from "./processes";

/**
 * Moving a blog here: the test WXR (WordPress/Overblog) is imported into a new blog with
 * `npm run import`, published with `npm run publish -- --blog`, and served by `wrangler dev`:
 * old URLs answer 301 to the new posts and the imported comments are on the page, threaded.
 */
let work: string;
let state: string;
let posts: string;
let server: (DevServer & { port: number }) | undefined;
const BLOG = "carnets";
const HOST = `${BLOG}.localhost`;

const importWxr = () => importFixture(BLOG, posts);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-import-"));
  state = join(work, "state");
  posts = join(work, "posts");
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`]);
  const created = await requestAt(server.port, "localhost", "/api/admin/blogs", {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: BLOG, title: "Carnets de route" }),
  });
  expect(created.status, created.body).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("npm run import, then npm run publish", () => {
  it("imports the WordPress export into a blog and publishes it with its comments and old URLs", async () => {
    const imported = await importWxr();
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toContain(`npm run publish -- --blog ${BLOG} --posts`);
    const published = await publish("--blog", BLOG, "--posts", posts, "--persist-to", state);
    expect(published.code, published.output).toBe(0);
    expect(published.output).toContain("imported: 4 comment(s) on 1 post(s), 13 old URL(s)");
  });

  it("answers every old URL with 301 to the new post, on that blog only", async () => {
    const port = server!.port;
    for (const [old, slug] of [
      ["/2022/01/21/hello-world/", "hello-world"],
      ["/?p=101", "hello-world"],
      ["/?page_id=2", "a-propos"],
      ["/2022/01/mon-article.html", "mon-article"],
    ]) {
      const res = await requestAt(port, HOST, old!);
      expect(res.status, old).toBe(301);
      expect(res.headers.location, old).toBe(`/posts/${slug}`);
    }
    expect((await requestAt(port, HOST, "/posts/mon-article")).body).toContain("youtube-nocookie.com/embed/xyz");
    expect((await requestAt(port, "127.0.0.1", "/?p=101")).status).toBe(200);
    expect((await requestAt(port, "127.0.0.1", "/2022/01/21/hello-world")).status).toBe(404);
    expect((await requestAt(port, HOST, "/posts/my-diary")).status).toBe(404);
  });

  it("shows the imported comments on the post in their threads, followed from an old URL in Chromium", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://${HOST}:${server!.port}/2022/01/21/hello-world/`);
      expect(new URL(page.url()).pathname).toBe("/posts/hello-world");
      expect(await page.locator("h1").textContent()).toBe("Hello, world & déjà vu");
      const top = page.locator(".comment-list[data-depth='0'] > li.comment");
      expect(await top.count()).toBe(2);
      expect(await top.nth(0).locator(":scope > article .comment-author").textContent()).toBe("Aïcha");
      expect(await top.nth(0).locator(":scope > article .comment-author a").getAttribute("href")).toBe("https://aicha.example.net/");
      const reply = top.nth(0).locator(":scope > ol.replies > li.comment");
      expect(await reply.locator(":scope > article .comment-author").textContent()).toBe("Claire Dupré");
      const replyToReply = reply.locator(":scope > ol.replies > li.comment");
      expect(await replyToReply.locator(":scope > article .comment-body").textContent()).toContain("A reply to the reply.");
      expect(await top.nth(1).locator(":scope > article .comment-body").textContent()).toContain("A second thread.");
      expect(await page.locator(".comment-author a[href^='javascript']").count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("duplicates nothing when the import and the publish run again", async () => {
    const again = await importWxr();
    expect(again.output).toMatch(/files +0 created, 0 updated, 7 unchanged/);
    const published = await publish("--blog", BLOG, "--posts", posts, "--persist-to", state);
    expect(published.code, published.output).toBe(0);
    expect(published.output).toContain("Nothing changed");
    const comments = JSON.parse((await requestAt(server!.port, HOST, "/api/posts/hello-world/comments")).body);
    expect(comments.comments.map((c: { author: string }) => c.author)).toEqual(["Aïcha", "Claire Dupré", "Aïcha", "Bob"]);
  });

  it("opens an imported post in the rich editor: one word changed is one word changed in its Markdown", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const base = `http://${HOST}:${server!.port}`;
      await signInAsOperator(page, base);
      const markdownNow = async () => {
        await page.goto(`${base}/admin/posts/hello-world/edit`);
        await page.locator(".rich-surface .ProseMirror").waitFor();
        return page.inputValue("#ed-markdown");
      };
      const before = await markdownNow();
      // The word, chosen as a writer does (a double click), and typed over.
      await page
        .locator(".rich-surface .ProseMirror p", { hasText: "Second paragraph" })
        .getByText("Second paragraph")
        .dblclick({
          position: { x: 4, y: 8 },
        });
      await page.keyboard.type("Next");
      await Promise.all([page.waitForURL(/saved=updated/), page.click('button[value="publish"]')]);
      const after = await markdownNow();
      const words = (text: string) => text.split(/(\s+)/);
      const changed = words(before)
        .map((w, i) => [w, words(after)[i]])
        .filter(([a, b]) => a !== b);
      expect(words(after)).toHaveLength(words(before).length);
      expect(changed).toEqual([["Second", "Next"]]);
      expect((await requestAt(server!.port, HOST, "/posts/hello-world")).body).toContain("Next paragraph: café");
    } finally {
      await browser.close();
    }
  });
});
