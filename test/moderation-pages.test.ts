import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { get, makePost, publish, request, requestWith, signIn } from "./helpers";

afterEach(async () => {
  await reset();
});

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

async function comment(slug: string, author: string, body: string): Promise<number> {
  const res = await request(`/api/posts/${slug}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `10.1.${Math.floor(Math.random() * 250)}.1` },
    body: JSON.stringify({ author, body }),
  });
  return ((await res.json()) as any).comment.id;
}

describe("GET /posts/:slug for moderators", () => {
  it("shows Hide and Delete on every published comment to a signed-in moderator, and to nobody else", async () => {
    await publish([makePost({ slug: "talked" })]);
    const id = await comment("talked", "Ann", "A fine post.");
    const anonymous = await (await get("/posts/talked")).text();
    expect(anonymous).not.toContain("moderation-form");
    const cookie = await signIn();
    const res = await get("/posts/talked", { Cookie: cookie });
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="/admin/comments/talked/${id}" class="moderation-form">`);
    expect(html).toContain('<input type="hidden" name="back" value="post"/>');
    expect(html).toContain('data-moderate="1"');
  });

  it("hides a published comment from the post page and comes back to it", async () => {
    await publish([makePost({ slug: "talked" })]);
    const id = await comment("talked", "Ann", "Regrettable words.");
    const cookie = await signIn();
    const html = await (await get("/posts/talked", { Cookie: cookie })).text();
    const res = await request(`/admin/comments/talked/${id}`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ csrf: csrfOf(html), back: "post", action: "hide" }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/posts/talked#comments");
    expect(await (await get("/posts/talked")).text()).not.toContain("Regrettable words.");
  });

  it("never redirects anywhere the form names but the dashboard or the post", async () => {
    await publish([makePost({ slug: "talked" })]);
    const id = await comment("talked", "Ann", "Hello.");
    const cookie = await signIn();
    const html = await (await get("/admin", { Cookie: cookie })).text();
    const res = await request(`/admin/comments/talked/${id}`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ csrf: csrfOf(html), back: "https://evil.example/", action: "approve" }).toString(),
    });
    expect(res.headers.get("location")).toBe("/admin");
  });

  it("shows held comments in place to moderators, with Approve", async () => {
    await publish([makePost({ slug: "talked" })]);
    const res = await requestWith({ COMMENT_MODERATION: "all" }, "/api/posts/talked/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Bea", body: "Waiting here." }),
    });
    const id = ((await res.json()) as any).comment.id;
    expect(await (await get("/posts/talked")).text()).not.toContain("Waiting here.");
    const html = await (await get("/posts/talked", { Cookie: await signIn() })).text();
    expect(html).toContain(`<li class="comment comment-held" id="comment-${id}"`);
    expect(html).toContain('<button type="submit" name="action" value="approve" class="small">Approve</button>');
    expect(html).toContain("Waiting here.");
  });
});

describe("GET /admin: the latest comments", () => {
  it("lists published comments with Hide and Delete, newest first", async () => {
    await publish([makePost({ slug: "one", title: "One" }), makePost({ slug: "two", title: "Two" })]);
    const first = await comment("one", "Ann", "First!");
    const second = await comment("two", "Bob", "Second.");
    const html = await (await get("/admin", { Cookie: await signIn() })).text();
    const recent = html.slice(html.indexOf('id="recent-comments"'));
    expect(recent.indexOf(`recent-two-${second}`)).toBeLessThan(recent.indexOf(`recent-one-${first}`));
    expect(recent).toContain(`action="/admin/comments/one/${first}"`);
    expect(recent).toContain('<button type="submit" name="action" value="hide" class="small secondary">Hide</button>');
  });
});

describe("a commenter's own comment in the browser", () => {
  async function postForm(body: string) {
    const res = await request("/posts/talked/comments", {
      method: "POST",
      headers: { ...FORM, "CF-Connecting-IP": "10.3.3.3" },
      body: new URLSearchParams({ author: "Cleo", email: "", body, parentId: "", website: "" }).toString(),
    });
    expect(res.status).toBe(303);
    const id = Number(/#comment-(\d+)/.exec(res.headers.get("location")!)![1]);
    const cookies = res.headers.getSetCookie();
    const edits = cookies.find((c) => c.startsWith("comment-edits="))!;
    return { id, edits, cookie: edits.split(";")[0]! };
  }

  it("keeps the edit token in a cookie of the post's path for 15 minutes", async () => {
    await publish([makePost({ slug: "talked" })]);
    const { id, edits } = await postForm("Hello there.");
    expect(edits).toMatch(new RegExp(`^comment-edits=${id}%3A[\\w-]+\\.\\d+\\.[\\w-]+;`));
    expect(edits).toContain("Path=/posts/talked");
    expect(edits).toContain("Max-Age=900");
    expect(edits).not.toContain("HttpOnly");
  });

  it("edits the comment from its edit page, and the post shows (edited)", async () => {
    await publish([makePost({ slug: "talked" })]);
    const { id, cookie } = await postForm("Helo there.");
    const page = await get(`/posts/talked/comments/${id}/edit`, { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(await page.text()).toContain(">Helo there.</textarea>");
    const saved = await request(`/posts/talked/comments/${id}/edit`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ body: "Hello there.", action: "save" }).toString(),
    });
    expect(saved.headers.get("location")).toBe(`/posts/talked#comment-${id}`);
    const html = await (await get("/posts/talked")).text();
    expect(html).toContain("<p>Hello there.</p>");
    expect(html).toContain('<span class="comment-edited"> (edited)</span>');
  });

  it("deletes the comment from its edit page", async () => {
    await publish([makePost({ slug: "talked" })]);
    const { id, cookie } = await postForm("Oops, wrong post.");
    await request(`/posts/talked/comments/${id}/edit`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ body: "", action: "delete" }).toString(),
    });
    expect(await (await get("/posts/talked")).text()).not.toContain("Oops, wrong post.");
  });

  it("refuses another browser (no cookie) and a forged token with a readable page", async () => {
    await publish([makePost({ slug: "talked" })]);
    const { id } = await postForm("Mine.");
    const none = await get(`/posts/talked/comments/${id}/edit`);
    expect(none.status).toBe(403);
    expect(await none.text()).toContain("This comment can no longer be edited here");
    const forged = await get(`/posts/talked/comments/${id}/edit`, { Cookie: `comment-edits=${id}:eA.${Date.now() + 60_000}.AAAA` });
    expect(forged.status).toBe(403);
    const post = await request(`/posts/talked/comments/${id}/edit`, {
      method: "POST",
      headers: FORM,
      body: new URLSearchParams({ body: "Hijacked", action: "save" }).toString(),
    });
    expect(post.status).toBe(403);
    expect(await (await get("/posts/talked")).text()).not.toContain("Hijacked");
  });

  it("shows the error and keeps the text when the edit is invalid", async () => {
    await publish([makePost({ slug: "talked" })]);
    const { id, cookie } = await postForm("Fine.");
    const res = await request(`/posts/talked/comments/${id}/edit`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ body: "   ", action: "save" }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('role="alert"');
  });
});
