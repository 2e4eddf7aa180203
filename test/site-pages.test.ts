import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { validatePost, UNDATED } from "../src/core/validate";
import { get, getJson, makePost, publish, request, signIn } from "./helpers";

const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdef0123" };

afterEach(async () => {
  await reset();
});

const put = (slug: string, body: unknown) =>
  request(`/api/posts/${slug}`, { method: "PUT", headers: { "Content-Type": "application/json", ...ADMIN }, body: JSON.stringify(body) });

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

/** Two pages (About without comments, Contact with) among two posts, as `npm run publish` writes them. */
async function blogWithPages() {
  await publish([
    makePost({ slug: "first-news", title: "First news", date: hourAgo(), tags: ["news"], markdown: "Ordinary news." }),
    makePost({ slug: "second-news", title: "Second news", date: hourAgo(), tags: ["news"] }),
    makePost({ slug: "about", title: "About us", date: UNDATED, type: "page", markdown: "We write about zeppelins." }),
    makePost({ slug: "contact", title: "Contact", date: UNDATED, type: "page", comments: true, markdown: "Write to us here." }),
  ]);
}

describe("pages (About, Contact, Legal notice)", () => {
  it("are read from front matter: type page needs no date, comments only for pages, anything else named", () => {
    const page = validatePost("about", { title: "About", type: "page" }, "Hello.");
    expect(page.ok && page.post).toMatchObject({ type: "page", date: UNDATED });
    expect(validatePost("about", { title: "About", type: "page", comments: true }, "x")).toMatchObject({ post: { comments: true } });
    const post = validatePost("news", { title: "News" }, "x");
    expect(post.ok).toBe(false);
    expect(!post.ok && post.errors).toEqual([{ field: "date", message: expect.stringContaining("date is required") }]);
    const wrong = validatePost("about", { title: "About", type: "pgae" }, "x");
    expect(!wrong.ok && wrong.errors.map((e) => e.field)).toContain("type");
    const onPost = validatePost("news", { title: "News", date: "2024-01-01T00:00:00Z", comments: false }, "x");
    expect(onPost.ok && onPost.warnings.map((w) => w.field)).toEqual(["comments"]);
  });

  it("answer at /pages/<slug> with no date, byline, tags, neighbours, subscribe box or comments", async () => {
    await blogWithPages();
    const res = await get("/pages/about");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>About us</h1>");
    expect(html).toContain("We write about zeppelins.");
    expect(html).toContain('<link rel="canonical" href="https://blog.example/pages/about"/>');
    expect(html).toContain('"@type":"WebPage"');
    for (const absent of [
      "Posted on",
      "min read",
      "Comment on this post",
      "To be informed of the latest articles",
      "live-comments.js",
      'rel="prev"',
    ])
      expect(html, absent).not.toContain(absent);
    // A page asked at a post's address moves; a post is not a page.
    const moved = await get("/posts/about?x=1");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe("/pages/about?x=1");
    expect((await get("/pages/first-news")).status).toBe(404);
    expect((await get("/pages/no-such-page")).status).toBe(404);
  });

  it("are in no listing, tag, feed, search or API list, and are in the sitemap", async () => {
    await blogWithPages();
    for (const path of ["/", "/archive", "/tags/news", "/feed.xml", "/rss.xml", "/feed.json", "/search?q=zeppelins"]) {
      const text = await (await get(path)).text();
      expect(text, path).not.toContain("/pages/about");
      expect(text, path).not.toContain("About us");
      expect(text, path).not.toContain("/posts/about");
    }
    expect(await (await get("/")).text()).toContain("First news");
    const { body } = await getJson("/api/posts");
    expect(body.posts.map((p: { slug: string }) => p.slug).sort()).toEqual(["first-news", "second-news"]);
    // The older post's neighbour is the other post, never a page.
    expect(await (await get("/posts/first-news")).text()).not.toContain("About us");
    const sitemap = await (await get("/sitemap.xml")).text();
    expect(sitemap).toContain("<loc>https://blog.example/pages/about</loc>");
    expect(sitemap).toContain("<loc>https://blog.example/pages/contact</loc>");
    // Nor in the fediverse: no Article for a page (a post has one).
    expect((await get("/posts/about", { Accept: "application/activity+json" })).status).toBe(404);
    expect((await get("/posts/first-news", { Accept: "application/activity+json" })).status).toBe(200);
    const json = await getJson("/pages/about", { Accept: "application/json" });
    expect(json.body.post).toMatchObject({ slug: "about", type: "page", comments: false, url: "https://blog.example/pages/about" });
  });

  it("take comments only when enabled: About refuses them, Contact shows its section and takes one", async () => {
    await blogWithPages();
    const comment = (slug: string) =>
      request(`/api/posts/${slug}/comments`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ author: "Reader", body: "Hello there" }),
      });
    expect((await comment("about")).status).toBe(404);
    expect((await comment("contact")).status).toBe(201);
    const html = await (await get("/pages/contact")).text();
    expect(html).toContain("Comment on this post");
    expect(html).toContain("Hello there");
    expect(html).not.toContain("To be informed of the latest articles");
  });

  it("are written through the API too, with no date, and leave the listings as they were", async () => {
    await publish([makePost({ slug: "news", title: "News", date: hourAgo() })]);
    const res = await put("legal-notice", { title: "Legal notice", type: "page", markdown: "Publisher: Jane Doe." });
    expect(res.status).toBe(201);
    expect(res.headers.get("Location")).toBe("/pages/legal-notice");
    expect(((await res.json()) as { post: { type: string } }).post.type).toBe("page");
    expect(await (await get("/pages/legal-notice")).text()).toContain("Publisher: Jane Doe.");
    expect(await (await get("/")).text()).not.toContain("Legal notice");
    expect(await (await get("/feed.xml")).text()).not.toContain("legal-notice");
    expect(await (await get("/sitemap.xml")).text()).toContain("/pages/legal-notice");
    // A post still needs its date.
    const dateless = await put("dateless", { title: "No date", markdown: "x" });
    expect(dateless.status).toBe(400);
    // Turned into a post, it joins the listings (and leaves the sitemap's pages).
    expect((await put("legal-notice", { title: "Legal notice", date: hourAgo(), markdown: "Now a post." })).status).toBe(200);
    expect(await (await get("/")).text()).toContain("Legal notice");
    expect(await (await get("/sitemap.xml")).text()).not.toContain("/pages/legal-notice");
  });

  it("are written in the browser editor with its Page choice, comments off unless chosen", async () => {
    const cookie = await signIn();
    const editor = await (await get("/admin/posts/new", { Cookie: cookie })).text();
    expect(editor).toContain('<option value="page"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(editor)![1]!;
    const fields = {
      csrf,
      slug: "mentions-legales",
      title: "Mentions légales",
      date: new Date(Date.now() - 60_000).toISOString(),
      tags: "",
      author: "",
      summary: "",
      cover: "",
      markdown: "Éditeur : Jeanne Dupont.",
      type: "page",
      comments: "",
      action: "publish",
    };
    const saved = await request("/admin/posts", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    expect(saved.status).toBe(303);
    const page = await (await get("/pages/mentions-legales")).text();
    expect(page).toContain("Éditeur : Jeanne Dupont.");
    expect(page).not.toContain("Comment on this post");
    expect(await (await get("/")).text()).not.toContain("Mentions légales");
    // Opened again, the editor keeps the choice and links to the page's address.
    const again = await (await get("/admin/posts/mentions-legales/edit", { Cookie: cookie })).text();
    expect(again).toMatch(/<option value="page" selected/);
    expect(again).toContain('href="/pages/mentions-legales"');
  });
});
