import { afterEach, describe, expect, it } from "vitest";
import { clearKv, DAY, get, getJson, HOUR, makePost, publish } from "./helpers";

afterEach(clearKv);

const text = (res: Response) => res.text();

describe("GET /", () => {
  it("lists the newest posts first, ten per page, with the page shell", async () => {
    const posts = Array.from({ length: 23 }, (_, i) =>
      makePost({ slug: `home-${i}`, title: `Home ${i}`, date: `2024-03-${String(i + 1).padStart(2, "0")}T10:00:00Z` }),
    );
    await publish(posts);
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await text(res);
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain("The Edge Dispatch");
    expect(html).toContain(">Follow this blog</a>");
    expect(html).toContain(">Administration</a>");
    const titles = [...html.matchAll(/<h2><a href="\/posts\/(home-\d+)">/g)].map((m) => m[1]);
    expect(titles).toEqual(Array.from({ length: 10 }, (_, i) => `home-${22 - i}`));
    expect(html).toContain("Page 1 of 3");
    expect(html).toContain('href="/?page=2" rel="next"');

    const last = await text(await get("/?page=3"));
    expect([...last.matchAll(/<h2><a href="\/posts\/(home-\d+)">/g)].map((m) => m[1])).toEqual(["home-2", "home-1", "home-0"]);
    expect(last).toContain('href="/?page=2" rel="prev"');
    expect(last).not.toContain('rel="next"');
  });

  it("shows an empty blog with status 200", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(await text(res)).toContain("Nothing has been published here yet.");
  });

  it("answers 404 past the last page", async () => {
    await publish([makePost()]);
    const res = await get("/?page=2");
    expect(res.status).toBe(404);
    expect(await text(res)).toContain("the last page is 1");
  });

  it.each(["0", "-1", "abc", "1.5", "", "99999999999", "1e3"])("answers 400 with a readable page for ?page=%s", async (page) => {
    const res = await get(`/?page=${encodeURIComponent(page)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await text(res)).toContain("page must be");
  });
});

describe("GET /posts/:slug", () => {
  it("renders the post with its title, date, author, body, tags and neighbours", async () => {
    const older = makePost({ slug: "older-post", title: "The older one", date: "2022-01-10T08:00:00Z" });
    const post = makePost({
      slug: "the-post",
      title: "Talks resume “today”",
      date: "2022-01-21T14:14:00Z",
      tags: ["World", "Diplomacy"],
      markdown: "Intro with *emphasis*.\n\n## Why it matters\n\n![A map](/images/map.svg)\n\n> quoted",
    });
    const newer = makePost({ slug: "newer-post", title: "The newer one", date: "2022-02-01T08:00:00Z", author: "Ana" });
    await publish([older, post, newer]);
    const res = await get("/posts/the-post");
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(html).toContain("<title>Talks resume “today” — The Edge Dispatch</title>");
    expect(html).toContain("<h1>Talks resume “today”</h1>");
    expect(html).toContain('Posted on <time datetime="2022-01-21T14:14:00.000Z">January 21, 2022 at 14:14</time>');
    expect(html).toContain('<span class="author">The Edge Dispatch desk</span>');
    expect(html).toContain("<p>Intro with <em>emphasis</em>.</p>");
    expect(html).toContain('<h2 id="why-it-matters">Why it matters</h2>');
    expect(html).toContain('<img src="/images/map.svg" alt="A map" loading="lazy" decoding="async">');
    expect(html).toContain('<a href="/tags/world" rel="tag">World</a>');
    expect(html).toContain('<a href="/posts/older-post" rel="prev">');
    expect(html).toContain('<a href="/posts/newer-post" rel="next">');
    expect(html).toContain('<link rel="canonical" href="https://blog.example/posts/the-post"/>');
    expect(html).toMatch(/<article class="post">/);
  });

  it("escapes front-matter text that looks like HTML", async () => {
    await publish([makePost({ slug: "evil", title: "<script>alert(1)</script>", tags: ["<b>x</b>"] })]);
    const html = await text(await get("/posts/evil"));
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("answers 404 with a readable page for an unknown slug", async () => {
    const res = await get("/posts/no-such-post");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await text(res)).toContain("Page not found");
  });

  it.each(["UPPER", "a--b", "-a", "a_b", "x".repeat(101), "%00", "..%2f..%2fetc"])(
    "answers 404 for the malformed slug %s",
    async (slug) => {
      const res = await get(`/posts/${slug}`);
      expect(res.status).toBe(404);
    },
  );

  it("never shows a draft", async () => {
    await publish([makePost({ slug: "secret", draft: true, date: "2020-01-01T00:00:00Z" })]);
    expect((await get("/posts/secret")).status).toBe(404);
    expect(await text(await get("/"))).not.toContain("secret");
  });

  it("answers the API's JSON when the client prefers JSON", async () => {
    await publish([makePost({ slug: "negotiated", title: "Negotiated", tags: ["a"] })]);
    const { res, body } = await getJson("/posts/negotiated", { Accept: "application/json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("vary")).toContain("Accept");
    const api = await getJson("/api/posts/negotiated");
    expect(body).toEqual(api.body);
    expect(body.post.title).toBe("Negotiated");

    const html = await get("/posts/negotiated", { Accept: "text/html,application/json;q=0.9" });
    expect(html.headers.get("content-type")).toContain("text/html");
    const missing = await getJson("/posts/missing", { Accept: "application/json" });
    expect(missing.res.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });
});

describe("scheduled posts", () => {
  it("stay invisible everywhere until their date, then appear without another publish", async () => {
    const publishedAt = new Date(Date.now() - 2 * DAY);
    const base = makePost({ slug: "base", title: "Base", date: new Date(publishedAt.getTime() - DAY).toISOString(), tags: ["t"] });
    const nowLive = makePost({ slug: "went-live", title: "Went live", date: new Date(Date.now() - HOUR).toISOString(), tags: ["t"] });
    const future = makePost({ slug: "future", title: "Future", date: new Date(Date.now() + 30 * DAY).toISOString(), tags: ["t"] });
    await publish([base, nowLive, future], publishedAt);

    // Scheduled at publish time, public now.
    expect((await get("/posts/went-live")).status).toBe(200);
    const home = await text(await get("/"));
    expect(home.indexOf("/posts/went-live")).toBeGreaterThan(-1);
    expect(home.indexOf("/posts/went-live")).toBeLessThan(home.indexOf("/posts/base"));
    expect(await text(await get("/posts/base"))).toContain('<a href="/posts/went-live" rel="next">');
    expect(await text(await get("/tags/t"))).toContain("/posts/went-live");

    // Still in the future.
    expect((await get("/posts/future")).status).toBe(404);
    expect(home).not.toContain("/posts/future");
    expect(await text(await get("/archive"))).not.toContain("/posts/future");
    expect(await text(await get("/tags/t"))).not.toContain("/posts/future");
    expect(await text(await get("/posts/went-live"))).not.toContain("/posts/future");
    const api = await getJson("/api/posts");
    expect(api.body.posts.map((p: { slug: string }) => p.slug)).toEqual(["went-live", "base"]);
    expect(api.body.meta.pagination.total).toBe(2);
    expect((await get("/api/posts/future")).status).toBe(404);
  });
});

describe("GET /tags/:tag", () => {
  it("lists the posts with that tag, paginated", async () => {
    const posts = Array.from({ length: 12 }, (_, i) =>
      makePost({ slug: `tagged-${i}`, date: `2024-05-${String(i + 1).padStart(2, "0")}T00:00:00Z`, tags: ["Climate Policy"] }),
    );
    await publish([...posts, makePost({ slug: "untagged" })]);
    const html = await text(await get("/tags/climate-policy"));
    expect(html).toContain("Posts tagged “Climate Policy”");
    expect(html).toContain("12 posts");
    expect(html).not.toContain("/posts/untagged");
    expect(html).toContain('href="/tags/climate-policy?page=2"');
    const page2 = await text(await get("/tags/climate-policy?page=2"));
    expect([...page2.matchAll(/<h2><a href="\/posts\/([\w-]+)">/g)].map((m) => m[1])).toEqual(["tagged-1", "tagged-0"]);
  });

  it("answers 404 for an unknown or malformed tag", async () => {
    await publish([makePost({ tags: ["known"] })]);
    expect((await get("/tags/unknown")).status).toBe(404);
    expect((await get("/tags/Not%20A%20Slug")).status).toBe(404);
    expect((await get("/tags/known?page=x")).status).toBe(400);
  });
});

describe("GET /archive", () => {
  it("groups posts by month, newest first", async () => {
    await publish([
      makePost({ slug: "jan-a", date: "2022-01-05T00:00:00Z" }),
      makePost({ slug: "jan-b", date: "2022-01-21T14:14:00Z" }),
      makePost({ slug: "mar", date: "2022-03-02T00:00:00Z" }),
    ]);
    const html = await text(await get("/archive"));
    expect(html).toContain("3 posts");
    const months = [...html.matchAll(/<h2 id="m-[\d-]+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(months).toEqual(["March 2022", "January 2022"]);
    expect(html.indexOf("/posts/jan-b")).toBeLessThan(html.indexOf("/posts/jan-a"));
    expect(html).toContain('<time datetime="2022-01-21T14:14:00.000Z">January 21, 2022</time>');
  });
});

describe("caching headers", () => {
  it("sends an ETag and Cache-Control, and answers 304 to a matching If-None-Match", async () => {
    await publish([makePost({ slug: "cached" })]);
    for (const path of ["/", "/posts/cached", "/archive", "/api/posts", "/api/posts/cached"]) {
      const first = await get(path);
      const tag = first.headers.get("etag");
      expect(tag, path).toMatch(/^"[0-9a-f]+"$/);
      expect(first.headers.get("cache-control"), path).toContain("public");
      const again = await get(path, { "If-None-Match": tag! });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
      const changed = await get(path, { "If-None-Match": '"something-else"' });
      expect(changed.status, path).toBe(200);
    }
  });

  it("gives a new ETag once the content changes", async () => {
    await publish([makePost({ slug: "changing", title: "First" })]);
    const before = (await get("/posts/changing")).headers.get("etag");
    await publish([makePost({ slug: "changing", title: "Second" })]);
    const after = await get("/posts/changing", { "If-None-Match": before! });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain("Second");
  });
});

describe("unknown URLs", () => {
  it.each(["/nope", "/posts", "/tags", "/posts/a/b", "/wp-admin.php"])("answer %s with a 404 page", async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Page not found");
  });

  it("redirects a trailing slash to the canonical URL", async () => {
    await publish([makePost({ slug: "slashed" })]);
    const res = await get("/posts/slashed/");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toMatch(/\/posts\/slashed$/);
  });
});
