import { reset, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, getJson, makePost, publish, request } from "./helpers";

const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const post = (path: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  request(path, { method: "POST", headers, body: JSON.stringify(body) });

describe("POST /api/admin/blogs", () => {
  it("creates a blog (201) that answers at its own host", async () => {
    const res = await post("/api/admin/blogs", { name: "alpha", title: "Alpha Notes", description: "Notes from alpha" });
    expect(res.status).toBe(201);
    const { blog } = (await res.json()) as any;
    expect(blog).toMatchObject({ name: "alpha", title: "Alpha Notes", description: "Notes from alpha", url: "https://alpha.localhost" });
    expect(Date.parse(blog.createdAt)).toBeGreaterThan(0);
    const home = await at("alpha.localhost", "/");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Alpha Notes");
  });

  it.each([
    ["ab", "invalid_name"],
    ["Alpha", "invalid_name"],
    ["double--hyphen", "invalid_name"],
    ["-edge", "invalid_name"],
    ["a".repeat(31), "invalid_name"],
    ["www", "reserved_name"],
    ["admin", "reserved_name"],
    ["api", "reserved_name"],
    ["mail", "reserved_name"],
    ["static", "reserved_name"],
  ])("refuses the name %j with 400 %s", async (name, code) => {
    const res = await post("/api/admin/blogs", { name, title: "T" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe(code);
  });

  it("answers 409 name_taken for a name in use, main included", async () => {
    await createBlog("alpha");
    for (const name of ["alpha", "main"]) {
      const res = await post("/api/admin/blogs", { name, title: "Again" });
      expect(res.status).toBe(409);
      expect(((await res.json()) as any).error.code).toBe("name_taken");
    }
  });

  it("answers 409 domain_taken for a custom domain another blog has, creating nothing", async () => {
    await createBlog("alpha", "Alpha", { domains: ["alpha.example.org"] });
    const res = await post("/api/admin/blogs", { name: "beta", title: "Beta", domains: ["alpha.example.org"] });
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.code).toBe("domain_taken");
    const { body } = await getJson("/api/admin/blogs", ADMIN);
    expect(body.blogs.map((b: any) => b.name)).toEqual(["main", "alpha"]);
  });

  it("needs the operator's token, a JSON body and a title", async () => {
    expect((await post("/api/admin/blogs", { name: "alpha", title: "A" }, { "Content-Type": "application/json" })).status).toBe(401);
    const noTitle = await post("/api/admin/blogs", { name: "alpha" });
    expect(noTitle.status).toBe(400);
    expect(((await noTitle.json()) as any).error.message).toContain("title");
    const form = await request("/api/admin/blogs", { method: "POST", headers: { Authorization: ADMIN.Authorization }, body: "name=alpha" });
    expect(form.status).toBe(415);
  });

  it("works from any host, even one that names no blog", async () => {
    const res = await at("zeta.localhost", "/api/admin/blogs", {
      method: "POST",
      headers: ADMIN,
      body: JSON.stringify({ name: "zeta", title: "Zeta" }),
    });
    expect(res.status).toBe(201);
    expect((await at("zeta.localhost", "/")).status).toBe(200);
  });
});

describe("GET /api/admin/blogs", () => {
  it("lists every blog, main first, with its address and public post count", async () => {
    await createBlog("alpha", "Alpha");
    await publish([makePost({ slug: "one" }), makePost({ slug: "two" })], new Date(), "alpha");
    const { res, body } = await getJson("/api/admin/blogs", ADMIN);
    expect(res.status).toBe(200);
    expect(body.blogs).toEqual([
      expect.objectContaining({ name: "main", title: "The Edge Dispatch", url: "https://blog.example", posts: 0 }),
      expect.objectContaining({ name: "alpha", title: "Alpha", url: "https://alpha.localhost", posts: 2 }),
    ]);
  });
});

describe("DELETE /api/admin/blogs/:name", () => {
  it("stops serving the blog at once, removes its keys and objects, then frees the name", async () => {
    await createBlog("alpha");
    await publish([makePost({ slug: "doomed", title: "Doomed" })], new Date(), "alpha");
    await publish([makePost({ slug: "kept", title: "Kept" })]);
    const comment = await at("alpha.localhost", "/api/posts/doomed/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "R", body: "a comment" }),
    });
    expect(comment.status).toBe(201);
    const { editToken } = (await comment.json()) as any;
    const login = await at("alpha.localhost", "/admin/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${ADMIN_TOKEN}`,
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;

    const res = await request("/api/admin/blogs/alpha", { method: "DELETE", headers: ADMIN });
    expect(res.status).toBe(204);
    expect((await at("alpha.localhost", "/posts/doomed")).status).toBe(404);
    // Not free until its data is gone.
    expect((await post("/api/admin/blogs", { name: "alpha", title: "Again" })).status).toBe(409);

    const registry = env.BLOGS.get(env.BLOGS.idFromName("blogs"));
    // Each run removes one batch. The alarm is also due on its own 100 ms after each run: on a
    // loaded machine it may be running when we ask (then nothing is scheduled), so drive it until
    // the name is free rather than until no alarm is scheduled.
    let again: Response | null = null;
    for (let i = 0; i < 400; i++) {
      await runDurableObjectAlarm(registry);
      again = await post("/api/admin/blogs", { name: "alpha", title: "Alpha again" });
      if (again.status !== 409) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(again!.status).toBe(201);
    expect((await env.POSTS.list({ prefix: "blog:alpha:" })).keys).toEqual([]);
    expect(await env.POSTS.get("v1:post:kept")).not.toBeNull();
    expect(((await again!.json()) as { blog: { title: string } }).blog.title).toBe("Alpha again");
    const comments = await at("alpha.localhost", "/api/posts/doomed/comments");
    expect(comments.status).toBe(404);
    await publish([makePost({ slug: "doomed", title: "Back" })], new Date(), "alpha");
    expect((await (await at("alpha.localhost", "/api/posts/doomed/comments")).json()) as any).toMatchObject({ comments: [] });
    // Nothing signed for the deleted blog works on the new one of the same name.
    await at("alpha.localhost", "/api/posts/doomed/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "New", body: "first on the new blog" }),
    });
    const edit = await at("alpha.localhost", "/api/posts/doomed/comments/1", {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "X-Edit-Token": editToken },
      body: JSON.stringify({ body: "hijacked" }),
    });
    expect(edit.status).toBe(403);
    expect(await (await at("alpha.localhost", "/admin", { headers: { Cookie: cookie } })).text()).not.toContain("Sign out");
  });

  it("answers 404 for an unknown blog and 403 for main", async () => {
    expect((await request("/api/admin/blogs/nope", { method: "DELETE", headers: ADMIN })).status).toBe(404);
    expect((await request("/api/admin/blogs/main", { method: "DELETE", headers: ADMIN })).status).toBe(403);
  });
});

describe("hosts", () => {
  it("answers a free name under BLOGS_DOMAIN with a 404 page offering + Create my blog", async () => {
    const res = await at("zeta.localhost", "/");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("+ Create my blog");
    expect(html).toContain('href="https://localhost/create"');
    const api = await at("zeta.localhost", "/api/posts");
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe("blog_not_found");
  });

  it("serves the main blog at any other host", async () => {
    await publish([makePost({ slug: "main-post", title: "Main post" })]);
    for (const host of ["127.0.0.1", "10.0.0.7", "proxy.internal", "localhost", "www.localhost"]) {
      const res = await at(host, "/posts/main-post");
      expect(res.status, host).toBe(200);
    }
  });

  it("serves a blog at its custom domains", async () => {
    await createBlog("alpha", "Alpha at home", { domains: ["alpha.example.org"] });
    const res = await at("alpha.example.org", "/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Alpha at home");
    const patch = await request("/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: ADMIN,
      body: JSON.stringify({ domains: ["notes.example.net"] }),
    });
    expect(patch.status).toBe(200);
    expect((await at("notes.example.net", "/")).status).toBe(200);
    // The old domain is nobody's now: it serves the main blog.
    expect(await (await at("alpha.example.org", "/")).text()).toContain("The Edge Dispatch");
  });
});

describe("scheduled announcements", () => {
  it("mail each blog's new posts to that blog's subscribers only, from the blog's name and address", async () => {
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import("cloudflare:test");
    const { default: worker } = await import("../src/index");
    await createBlog("alpha", "Alpha Notes");
    const subscribe = await at("alpha.localhost", "/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "alpha-reader@example.org" }),
    });
    expect(subscribe.status).toBe(202);
    const outbox = async (host: string) =>
      ((await (await at(host, "/api/admin/outbox", { headers: ADMIN })).json()) as { messages: any[] }).messages;
    // The confirmation goes out after the answer: wait for it.
    let sent = await outbox("alpha.localhost");
    for (let i = 0; i < 50 && !sent.length; i++) {
      await new Promise((r) => setTimeout(r, 20));
      sent = await outbox("alpha.localhost");
    }
    const token = /token=([^\s&"<]+)/.exec(sent[0].text)![1]!;
    const confirmed = await at("alpha.localhost", "/subscribe/confirm", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${token}`,
    });
    expect(confirmed.status).toBe(200);
    // Posts dated after the confirmation (only those are announced), public a moment later.
    const soon = new Date(Date.now() + 300).toISOString();
    const later = new Date(Date.now() + 1000);
    await publish([makePost({ slug: "alpha-news", title: "Alpha news", date: soon })], later, "alpha");
    await publish([makePost({ slug: "main-news", title: "Main news", date: soon })], later);
    await new Promise((r) => setTimeout(r, 400));

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    // The jobs queue mails it (its consumer runs by itself here).
    const { subscribers } = await import("../src/data/objects");
    await vi.waitFor(async () => expect((await subscribers(env, "alpha").sendStatus("alpha-news"))?.state).toBe("sent"), {
      timeout: 4_000,
      interval: 50,
    });

    const announced = (await outbox("alpha.localhost")).filter((m) => m.subject.startsWith("Alpha news"));
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ to: "alpha-reader@example.org", from: "Alpha Notes <news@example.com>" });
    expect(announced[0].text).toContain("http://alpha.localhost:8787/posts/alpha-news");
    expect((await outbox("blog.example")).some((m) => m.subject.startsWith("Main news"))).toBe(false);
    expect((await outbox("alpha.localhost")).some((m) => m.subject.startsWith("Main news"))).toBe(false);
  });
});
