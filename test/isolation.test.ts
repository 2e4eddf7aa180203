import { reset } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, makePost, publish, signIn } from "./helpers";

/**
 * The isolation matrix: three blogs (main, alpha, beta) with a post of the same slug and one of
 * their own each. Every reader surface, API, WebSocket and admin route of each blog must show
 * its own marker and never another's, and no write through one blog may change another.
 */
const BLOGS = [
  { name: "main", host: "blog.example", marker: "mainmarker" },
  { name: "alpha", host: "alpha.localhost", marker: "alphamarker" },
  { name: "beta", host: "beta.localhost", marker: "betamarker" },
] as const;
type Blog = (typeof BLOGS)[number];
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const JSON_ADMIN = { ...ADMIN, "Content-Type": "application/json" };

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

beforeEach(async () => {
  for (const blog of BLOGS) {
    if (blog.name !== "main") await createBlog(blog.name, `Title ${blog.marker}`);
    const date = new Date(Date.now() - 3_600_000).toISOString();
    await publish(
      [
        makePost({ slug: "shared", title: `Shared ${blog.marker}`, tags: ["common", blog.marker], date, markdown: `Body ${blog.marker}` }),
        makePost({ slug: `only-${blog.name}`, title: `Own ${blog.marker}`, tags: ["common"], markdown: `Own body ${blog.marker}` }),
      ],
      new Date(),
      blog.name,
    );
    // Each blog's shared post has a comment naming the blog, so the comment surfaces have a marker to show.
    const comment = await at(blog.host, "/api/posts/shared/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: `Reader ${blog.marker}`, body: `Comment ${blog.marker}` }),
    });
    expect(comment.status).toBe(201);
  }
});

const others = (blog: Blog) => BLOGS.filter((b) => b !== blog).map((b) => b.marker);

async function text(blog: Blog, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await at(blog.host, path, { headers });
  return { status: res.status, body: await res.text() };
}

const READER_PATHS = [
  "/",
  "/posts/shared",
  "/tags/common",
  "/archive",
  "/search?q=shared",
  "/follow",
  "/feed.xml",
  "/rss.xml",
  "/feed.json",
  "/tags/common/feed.xml",
  "/sitemap.xml",
  "/api/posts",
  "/api/posts/shared",
  "/api/posts?tag=common",
  "/api/search?q=shared",
  "/api/posts/shared/comments",
];

describe("isolation between blogs", () => {
  it.each(BLOGS)("every reader surface of $name shows its own posts and no other blog's", async (blog) => {
    for (const path of READER_PATHS) {
      const { status, body } = await text(blog, path);
      expect(status, `${blog.name} ${path}`).toBe(200);
      for (const marker of others(blog)) expect(body, `${blog.name} ${path} shows ${marker}`).not.toContain(marker);
      // The follow page names the blog; main's name is the deployment's title, the others' carry their marker.
      const own = path === "/follow" && blog.name === "main" ? "The Edge Dispatch" : blog.marker;
      expect(body, `${blog.name} ${path}`).toContain(own);
    }
  });

  it.each(BLOGS)("$name answers 404 for the other blogs' own posts, tags and feeds", async (blog) => {
    for (const other of BLOGS.filter((b) => b !== blog)) {
      for (const path of [
        `/posts/only-${other.name}`,
        `/api/posts/only-${other.name}`,
        `/tags/${other.marker}`,
        `/api/posts/only-${other.name}/comments`,
      ]) {
        expect((await at(blog.host, path)).status, `${blog.name} ${path}`).toBe(404);
      }
    }
  });

  it.each(BLOGS)("$name's robots, sitemap and OpenAPI name its own address only", async (blog) => {
    const origin = `https://${blog.host}`;
    const robots = await text(blog, "/robots.txt");
    expect(robots.body).toContain(`Sitemap: ${origin}/sitemap.xml`);
    const sitemap = await text(blog, "/sitemap.xml");
    const locs = [...sitemap.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(locs.length).toBeGreaterThan(0);
    expect(locs.every((l) => l.startsWith(origin))).toBe(true);
    const api = JSON.parse((await text(blog, "/api/openapi.json")).body);
    expect(api.servers.map((s: { url: string }) => s.url).every((u: string) => u.startsWith(origin))).toBe(true);
  });

  it("a comment on one blog's post never reaches the same slug on another, live or not", async () => {
    const [main, alpha, beta] = BLOGS;
    const socket = await at(beta.host, "/api/posts/shared/comments/live", { headers: { Upgrade: "websocket" } });
    expect(socket.status).toBe(101);
    const events: unknown[] = [];
    socket.webSocket!.accept();
    socket.webSocket!.addEventListener("message", (e) => events.push(e.data));

    const res = await at(alpha.host, "/api/posts/shared/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Reader", body: "comment for alphamarker only" }),
    });
    expect(res.status).toBe(201);
    const { comment, editToken } = (await res.json()) as any;

    expect((await text(alpha, "/api/posts/shared/comments")).body).toContain("comment for alphamarker only");
    for (const blog of [main, beta]) {
      const { comments } = JSON.parse((await text(blog, "/api/posts/shared/comments")).body) as { comments: { html: string }[] };
      expect(comments.map((c) => c.html)).toEqual([`<p>Comment ${blog.marker}</p>`]);
      expect((await text(blog, "/posts/shared")).body).not.toContain("comment for alphamarker");
    }
    // The edit token is alpha's: the same id on beta's same slug cannot be changed with it.
    await at(beta.host, "/api/posts/shared/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Other", body: "beta own comment" }),
    });
    const forged = await at(beta.host, `/api/posts/shared/comments/${comment.id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "X-Edit-Token": editToken },
      body: JSON.stringify({ body: "hijacked" }),
    });
    expect(forged.status).toBe(403);
    expect((await text(beta, "/api/posts/shared/comments")).body).toContain("beta own comment");
    await new Promise((r) => setTimeout(r, 50));
    expect(events.every((e) => !String(e).includes("alphamarker"))).toBe(true);
    expect(events.some((e) => String(e).includes("beta own comment"))).toBe(true);
    socket.webSocket!.close(1000);
  });

  it("posts written through one blog's API land on that blog only", async () => {
    const [main, alpha, beta] = BLOGS;
    const put = await at(alpha.host, "/api/posts/written", {
      method: "PUT",
      headers: JSON_ADMIN,
      body: JSON.stringify({ title: "Written alphamarker", date: new Date(Date.now() - 60_000).toISOString(), markdown: "x" }),
    });
    expect(put.status).toBe(201);
    expect((await at(alpha.host, "/posts/written")).status).toBe(200);
    for (const blog of [main, beta]) expect((await at(blog.host, "/posts/written")).status).toBe(404);

    // Deleting through beta cannot reach alpha's post, and deleting beta's "shared" leaves the others'.
    expect((await at(beta.host, "/api/posts/written", { method: "DELETE", headers: ADMIN })).status).toBe(404);
    expect((await at(beta.host, "/api/posts/shared", { method: "DELETE", headers: ADMIN })).status).toBe(204);
    expect((await at(beta.host, "/posts/shared")).status).toBe(404);
    for (const blog of [main, alpha]) expect((await text(blog, "/posts/shared")).body).toContain(blog.marker);
  });

  it("subscribers, their mail and the outbox belong to one blog", async () => {
    const [main, alpha, beta] = BLOGS;
    const res = await at(alpha.host, "/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "reader@example.org" }),
    });
    expect(res.status).toBe(202);
    // The confirmation goes out after the answer: wait for it.
    let outbox: any[] = [];
    for (let i = 0; i < 50 && !outbox.length; i++) {
      if (i) await new Promise((r) => setTimeout(r, 20));
      outbox = JSON.parse((await text(alpha, "/api/admin/outbox", ADMIN)).body).messages;
    }
    expect(outbox).toHaveLength(1);
    expect(outbox[0].from).toBe("Title alphamarker <news@example.com>");
    expect(outbox[0].text).toContain("https://alpha.localhost/subscribe/confirm?token=");
    for (const blog of [main, beta]) expect(JSON.parse((await text(blog, "/api/admin/outbox", ADMIN)).body).messages).toEqual([]);
    // alpha's confirmation link is worthless on beta.
    const token = /token=([^\s&"]+)/.exec(outbox[0].text)![1]!;
    const onBeta = await at(beta.host, "/subscribe/confirm", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${token}`,
    });
    expect(onBeta.status).toBe(400);
  });

  it("an admin session of one blog is not a session on another", async () => {
    const [main, alpha] = BLOGS;
    const cookie = await signIn(main.host);
    expect((await text(main, "/admin", { Cookie: cookie })).body).toContain("Sign out");
    const there = await text(alpha, "/admin", { Cookie: cookie });
    expect(there.body).not.toContain("Sign out");
    expect(there.body).toContain('action="/signin"');
    const write = await at(alpha.host, "/api/posts/shared", { method: "DELETE", headers: { Cookie: cookie } });
    expect(write.status).toBe(401);
  });

  it.each(BLOGS)("$name's dashboard lists its own posts only", async (blog) => {
    const { status, body } = await text(blog, "/admin", { Cookie: await signIn(blog.host) });
    expect(status).toBe(200);
    expect(body).toContain(`only-${blog.name}`);
    for (const other of BLOGS.filter((b) => b !== blog)) expect(body).not.toContain(`only-${other.name}`);
  });
});
