import { afterEach, describe, expect, it } from "vitest";
import { clearKv, get, getJson, makePost, publish } from "./helpers";

afterEach(clearKv);

const posts = () =>
  Array.from({ length: 25 }, (_, i) =>
    makePost({
      slug: `api-${i}`,
      title: `API ${i}`,
      date: `2024-06-${String(i + 1).padStart(2, "0")}T12:00:00Z`,
      tags: i % 2 ? ["odd"] : ["even"],
    }),
  );

function expectError(res: Response, body: any, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  expect(body.error.message.length).toBeGreaterThan(5);
}

describe("GET /api/posts", () => {
  it("answers post summaries newest first with pagination meta", async () => {
    await publish(posts());
    const { res, body } = await getJson("/api/posts?limit=10&page=2");
    expect(res.status).toBe(200);
    expect(body.posts.map((p: any) => p.slug)).toEqual(Array.from({ length: 10 }, (_, i) => `api-${14 - i}`));
    expect(body.meta.pagination).toEqual({ page: 2, limit: 10, pages: 3, total: 25, next: 3, prev: 1 });
    expect(body.posts[0]).toEqual({
      slug: "api-14",
      title: "API 14",
      date: "2024-06-15T12:00:00.000Z",
      updated: null,
      author: "The Edge Dispatch desk",
      tags: ["even"],
      summary: `Body of post ${body.posts[0].summary.match(/\d+/)[0]}.`,
      url: "https://blog.example/posts/api-14",
    });
    expect(body.posts[0]).not.toHaveProperty("html");
  });

  it("uses defaults, and answers an empty page past the end", async () => {
    await publish(posts());
    const first = await getJson("/api/posts");
    expect(first.body.meta.pagination).toEqual({ page: 1, limit: 10, pages: 3, total: 25, next: 2, prev: null });
    const past = await getJson("/api/posts?page=9");
    expect(past.res.status).toBe(200);
    expect(past.body.posts).toEqual([]);
    // past the end, prev leads back to the last real page
    expect(past.body.meta.pagination).toMatchObject({ page: 9, total: 25, pages: 3, next: null, prev: 3 });
  });

  it("accepts every limit up to 100, including ones that straddle chunks", async () => {
    await publish(posts());
    const all = await getJson("/api/posts?limit=100");
    expect(all.body.posts).toHaveLength(25);
    const odd = await getJson("/api/posts?limit=7&page=3");
    expect(odd.body.posts.map((p: any) => p.slug)).toEqual(all.body.posts.slice(14, 21).map((p: any) => p.slug));
  });

  it("filters by tag", async () => {
    await publish(posts());
    const { body } = await getJson("/api/posts?tag=odd&limit=5");
    expect(body.meta.pagination.total).toBe(12);
    expect(body.posts.every((p: any) => p.tags.includes("odd"))).toBe(true);
    // Like /tags/no-such-tag: a tag no public post carries is not found.
    const none = await getJson("/api/posts?tag=no-such-tag");
    expect(none.res.status).toBe(404);
    expect(none.body.error.code).toBe("not_found");
  });

  it.each([
    ["limit=101", "limit must be at most 100"],
    ["limit=0", "limit must be at least 1"],
    ["limit=ten", "limit must be a whole number"],
    ["page=0", "page must be at least 1"],
    ["page=-3", "page must be a whole number"],
    ["page=1e9", "page must be a whole number"],
    [`page=${"9".repeat(40)}`, "page must be a whole number"],
    ["tag=Not%20a%20slug", "tag must be a tag slug"],
    [`tag=${"a".repeat(65)}`, "tag must be at most 64"],
  ])("answers 400 for %s", async (query, message) => {
    const { res, body } = await getJson(`/api/posts?${query}`);
    expectError(res, body, 400, "invalid_query");
    expect(body.error.message).toContain(message);
  });
});

describe("GET /api/posts/:slug", () => {
  it("answers the post with its HTML", async () => {
    await publish([
      makePost({
        slug: "one",
        title: "One",
        markdown: "Hello **world**",
        summary: "Given summary",
        updated: "2024-02-02T00:00:00.000Z",
        author: "Zoë",
      }),
    ]);
    const { res, body } = await getJson("/api/posts/one");
    expect(res.status).toBe(200);
    expect(Object.keys(body.post).sort()).toEqual(["author", "date", "html", "slug", "summary", "tags", "title", "updated", "url"]);
    expect(body.post).toMatchObject({
      slug: "one",
      title: "One",
      author: "Zoë",
      summary: "Given summary",
      updated: "2024-02-02T00:00:00.000Z",
    });
    expect(body.post.html).toBe("<p>Hello <strong>world</strong></p>\n");
  });

  it("answers 404 in the error shape for an unknown or draft post", async () => {
    await publish([makePost({ slug: "draft", draft: true })]);
    for (const slug of ["missing", "draft"]) {
      const { res, body } = await getJson(`/api/posts/${slug}`);
      expectError(res, body, 404, "not_found");
    }
  });

  it("answers 400 for a malformed slug", async () => {
    const { res, body } = await getJson(`/api/posts/${encodeURIComponent("Bad Slug!")}`);
    expectError(res, body, 400, "invalid_slug");
  });
});

describe("unknown API routes", () => {
  it("answer 404 as JSON", async () => {
    for (const path of ["/api/nothing", "/api/posts/a/b/c"]) {
      const { res, body } = await getJson(path);
      expectError(res, body, 404, "not_found");
    }
  });

  it("answer JSON even to a browser", async () => {
    const res = await get("/api/nothing", { Accept: "text/html" });
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});

describe("GET /api/openapi.json and /api", () => {
  it("describes every endpoint, with request schemas taken from the validators", async () => {
    const { res, body } = await getJson("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    for (const path of [
      "/api/posts",
      "/api/posts/{slug}",
      "/api/posts/{slug}/comments",
      "/api/posts/{slug}/comments/{id}",
      "/api/posts/{slug}/comments/live",
      "/api/subscribe",
      "/api/search",
      "/api/admin/outbox",
    ]) {
      expect(body.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(body.paths["/api/posts/{slug}"]).sort()).toEqual(["delete", "get", "put"]);
    const comment = body.paths["/api/posts/{slug}/comments"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(comment.properties).sort()).toEqual(["author", "body", "email", "notify", "parentId"]);
    expect(body.paths["/api/posts"].get.parameters.map((p: any) => p.name).sort()).toEqual(["limit", "page", "tag"]);
    expect(body.paths["/api/posts/{slug}"].put.security).toBeDefined();
    // Every $ref points to a schema that exists.
    for (const [, name] of JSON.stringify(body).matchAll(/"#\/components\/schemas\/(\w+)"/g))
      expect(body.components.schemas).toHaveProperty([name!]);
  });

  it("has a readable page", async () => {
    const res = await get("/api");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<code>/api/posts/{slug}/comments</code>");
    expect(html).toContain('href="/api/openapi.json"');
  });
});
