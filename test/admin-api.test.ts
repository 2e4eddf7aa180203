import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { get, getJson, makePost, publish, request } from "./helpers";

const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdef0123" };

afterEach(async () => {
  await reset();
});

const put = (slug: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  request(`/api/posts/${slug}`, { method: "PUT", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe("PUT /api/posts/:slug", () => {
  it("creates a post (201) that the pages, listings, feeds and search show at once", async () => {
    await publish([makePost({ slug: "from-file", title: "From a file", tags: ["t"] })]);
    const res = await put("from-api", {
      title: "Written by an API client",
      date: hourAgo(),
      markdown: "Quasar **brightness** report.",
      tags: ["t", "space"],
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.status).toBe("published");
    expect(body.post).toMatchObject({
      slug: "from-api",
      title: "Written by an API client",
      tags: ["t", "space"],
      html: "<p>Quasar <strong>brightness</strong> report.</p>\n",
    });

    expect((await get("/posts/from-api")).status).toBe(200);
    expect((await getJson("/api/posts")).body.posts.map((p: any) => p.slug)).toEqual(["from-api", "from-file"]);
    expect(await (await get("/tags/space")).text()).toContain("/posts/from-api");
    expect(await (await get("/feed.xml")).text()).toContain("Written by an API client");
    expect((await getJson("/api/search?q=quasar")).body.results.map((r: any) => r.slug)).toEqual(["from-api"]);
    // The post from the file is untouched.
    expect((await get("/posts/from-file")).status).toBe(200);
  });

  it("replaces a post (200) and keeps drafts and scheduled posts out of sight", async () => {
    await put("changing", { title: "First", date: hourAgo(), markdown: "one" });
    const replaced = await put("changing", { title: "Second", date: hourAgo(), markdown: "two" });
    expect(replaced.status).toBe(200);
    expect(await (await get("/posts/changing")).text()).toContain("Second");

    const draft = await put("changing", { title: "Now a draft", date: hourAgo(), markdown: "x", draft: true });
    expect(((await draft.json()) as any).status).toBe("draft");
    expect((await get("/posts/changing")).status).toBe(404);

    const later = await put("later", { title: "Later", date: new Date(Date.now() + 86_400_000).toISOString(), markdown: "soon" });
    expect(((await later.json()) as any).status).toBe("scheduled");
    expect((await getJson("/api/posts")).body.posts).toEqual([]);
  });

  it("never loses a change when editors save at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => put(`parallel-${i}`, { title: `Parallel ${i}`, date: hourAgo(), markdown: `body ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const listed = (await getJson("/api/posts")).body.posts.map((p: any) => p.slug).sort();
    expect(listed).toEqual(Array.from({ length: 6 }, (_, i) => `parallel-${i}`));
  });

  it.each([
    [{ date: "2024-01-01T00:00:00Z", markdown: "x" }, "title is required"],
    [{ title: "T", markdown: "x" }, "date is required"],
    [{ title: "T", date: "someday", markdown: "x" }, "date"],
    [{ title: "T", date: "2024-01-01", markdown: 42 }, "markdown"],
    [{ title: "T", date: "2024-01-01", markdown: "x", draft: "yes" }, "draft"],
  ])("answers 400 for %j", async (body, message) => {
    const res = await put("bad-input", body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as any;
    expect(json.error.code).toBe("invalid_post");
    expect(json.error.message).toContain(message);
    expect((await get("/posts/bad-input")).status).toBe(404);
  });

  it("takes a single tag string as one tag, as in front matter", async () => {
    const res = await put("one-tag", { title: "T", date: "2024-01-01", markdown: "x", tags: "a,b" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).post.tags).toEqual(["a,b"]);
  });

  it("answers 400 with what was expected for a body that is not a JSON object", async () => {
    for (const body of ["[]", '"text"', "42", "null"]) {
      const res = await request("/api/posts/not-an-object", {
        method: "PUT",
        headers: { ...ADMIN, "Content-Type": "application/json" },
        body,
      });
      expect(res.status, body).toBe(400);
      const json = (await res.json()) as any;
      expect(json.error).toEqual({ code: "invalid_post", message: "The post must be a JSON object." });
    }
  });

  it("refuses a missing or wrong token, a bad slug and the wrong content type", async () => {
    expect((await put("x", { title: "T", date: hourAgo(), markdown: "x" }, {})).status).toBe(401);
    expect((await put("x", { title: "T", date: hourAgo(), markdown: "x" }, { Authorization: "Bearer wrong" })).status).toBe(401);
    expect((await put("Bad_Slug", { title: "T", date: hourAgo(), markdown: "x" })).status).toBe(400);
    const text = await request("/api/posts/x", { method: "PUT", headers: { ...ADMIN, "Content-Type": "text/plain" }, body: "hi" });
    expect(text.status).toBe(415);
    expect((await get("/posts/x")).status).toBe(404);
  });
});

describe("DELETE /api/posts/:slug", () => {
  it("removes the post from every page (204), then answers 404", async () => {
    await publish([makePost({ slug: "keep" }), makePost({ slug: "doomed", title: "Doomed", tags: ["gone"], markdown: "zeppelin" })]);
    const res = await request("/api/posts/doomed", { method: "DELETE", headers: ADMIN });
    expect(res.status).toBe(204);
    expect((await get("/posts/doomed")).status).toBe(404);
    expect((await get("/tags/gone")).status).toBe(404);
    expect((await getJson("/api/posts")).body.posts.map((p: any) => p.slug)).toEqual(["keep"]);
    expect((await getJson("/api/search?q=zeppelin")).body.results).toEqual([]);
    expect((await request("/api/posts/doomed", { method: "DELETE", headers: ADMIN })).status).toBe(404);
    expect((await request("/api/posts/keep", { method: "DELETE" })).status).toBe(401);
  });
});

describe("code in a post saved through the API", () => {
  it("is highlighted (by the federation worker's Highlighter), as the publish script highlights it", async () => {
    const markdown = "Before.\n\n```js\nconst answer = 42;\n```\n\n```klingon\nqapla'\n```\n\n```\nplain <b>\n```";
    expect((await put("coded", { title: "Coded", date: hourAgo(), markdown })).status).toBe(201);
    const html = await (await get("/posts/coded")).text();
    expect(html).toContain(
      '<pre><code class="hljs language-js"><span class="hljs-keyword">const</span> answer = <span class="hljs-number">42</span>;',
    );
    // A language highlight.js does not know, and no language: shown as written.
    expect(html).toContain('<pre><code class="language-klingon">qapla&#39;\n</code></pre>');
    expect(html).toContain("<pre><code>plain &#60;b&#62;\n</code></pre>");
    // The same Markdown published from a file renders the same code.
    await publish([makePost({ slug: "filed", markdown })]);
    const filed = await (await get("/posts/filed")).text();
    const code = (page: string) => page.match(/<pre>[\s\S]*?<\/pre>/g);
    expect(code(filed)).toEqual(code(html));
  });
});
