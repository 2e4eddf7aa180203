import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import app from "../src/app";
import { readSettings } from "../src/settings";
import { commentThread } from "../src/data/comments";
import type { CommentRules } from "../src/core/comments";
import { clearKv, get, getJson, listen, makePost, publish, request } from "./helpers";
import { MAIN_BLOG } from "../src/core/blogs";

const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdef0123" };
let slug: string;
let ipCounter = 0;

beforeEach(async () => {
  slug = `commented-${Math.random().toString(36).slice(2, 10)}`;
  await publish([makePost({ slug, title: "Commented post" }), makePost({ slug: "other-post" })]);
});
afterEach(async () => {
  vi.useRealTimers();
  await clearKv();
});

function send(
  path: string,
  init: { method?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; raw?: string; ip?: string },
) {
  const headers: Record<string, string> = { "CF-Connecting-IP": init.ip ?? `10.0.0.${++ipCounter % 250}`, ...init.headers };
  let body: string | undefined = init.raw;
  if (init.json !== undefined) {
    headers["Content-Type"] ??= "application/json";
    body = JSON.stringify(init.json);
  }
  if (init.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  }
  return request(path, { method: init.method ?? "POST", headers, body });
}

async function comment(json: Record<string, unknown>, ip?: string) {
  const res = await send(`/api/posts/${slug}/comments`, { json, ip });
  return { res, body: (await res.json()) as any };
}

const open: CommentRules = { moderation: "open", rateLimit: 0, blockedWords: [], secret: null };

describe("POST /api/posts/:slug/comments", () => {
  it("creates a comment and answers 201 with the Comment, an edit token and no private data", async () => {
    const { res, body } = await comment({ author: "Ada", body: "Hello *there*", email: "Ada@Example.COM" });
    expect(res.status).toBe(201);
    expect(body.comment).toEqual({
      id: expect.any(Number),
      postSlug: slug,
      parentId: null,
      author: "Ada",
      html: "<p>Hello <em>there</em></p>",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      editedAt: null,
    });
    expect(body.moderation).toBe("published");
    expect(body.editToken).toMatch(/^[\w-]+\.\d+\.[\w-]+$/);
    expect(JSON.stringify(body)).not.toMatch(/example\.com|10\.0\.0/i);
  });

  it.each([
    [{ body: "no author" }, "author is required"],
    [{ author: "   ", body: "blank author" }, "author is required"],
    [{ author: "x".repeat(81), body: "long author" }, "author must be at most 80"],
    [{ author: "A\u0007B", body: "bell" }, "control characters"],
    [{ author: "A" }, "body is required"],
    [{ author: "A", body: "  \n " }, "body is required"],
    [{ author: "A", body: "b".repeat(5001) }, "at most 5,000"],
    [{ author: "A", body: "ok", email: "not-an-email" }, "email must be a valid address"],
    [{ author: "A", body: "ok", parentId: "seven" }, "parentId"],
    [{ author: 42, body: "ok" }, "author"],
  ])("answers 400 for %j", async (json, message) => {
    const { res, body } = await comment(json);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_comment");
    expect(body.error.message).toContain(message);
  });

  it("answers 400 when parentId is not a comment of this thread", async () => {
    const other = await send("/api/posts/other-post/comments", { json: { author: "B", body: "elsewhere" } });
    const otherId = ((await other.json()) as any).comment.id as number;
    const { res, body } = await comment({ author: "A", body: "reply", parentId: otherId + 1000 });
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid_parent");
  });

  it("answers 404 for an unknown or unpublished post, 400 for a malformed slug", async () => {
    await publish([makePost({ slug: "later", date: new Date(Date.now() + 86_400_000).toISOString() })]);
    for (const target of ["no-such-post", "later"]) {
      const res = await send(`/api/posts/${target}/comments`, { json: { author: "A", body: "b" } });
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).error.code).toBe("not_found");
    }
    expect((await send("/api/posts/Bad_Slug/comments", { json: { author: "A", body: "b" } })).status).toBe(400);
  });

  it("answers 413 for a body over 64 KB, 400 for malformed JSON and 415 for another content type", async () => {
    const big = await send(`/api/posts/${slug}/comments`, {
      raw: JSON.stringify({ author: "A", body: "x".repeat(70_000) }),
      headers: { "Content-Type": "application/json" },
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe("payload_too_large");
    const malformed = await send(`/api/posts/${slug}/comments`, {
      raw: '{"author": "A", "body": ',
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error).toEqual({ code: "bad_request", message: expect.any(String) });
    const wrongType = await send(`/api/posts/${slug}/comments`, { raw: "author=A&body=b", headers: { "Content-Type": "text/plain" } });
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as any).error.code).toBe("unsupported_media_type");
    const notObject = await send(`/api/posts/${slug}/comments`, { raw: "[1,2]", headers: { "Content-Type": "application/json" } });
    expect(notObject.status).toBe(400);
  });

  it("limits each IP to 5 comments a minute on a post, with Retry-After", async () => {
    for (let i = 0; i < 5; i++) expect((await comment({ author: "Fast", body: `n${i}` }, "192.0.2.7")).res.status).toBe(201);
    const limited = await comment({ author: "Fast", body: "sixth" }, "192.0.2.7");
    expect(limited.res.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await comment({ author: "Other", body: "fine" }, "192.0.2.8")).res.status).toBe(201);
  });
});

describe("GET /api/posts/:slug/comments", () => {
  it("lists comments oldest first with cursor pagination", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await comment({ author: `C${i}`, body: `body ${i}` })).body.comment.id);
    const first = await getJson(`/api/posts/${slug}/comments?limit=3`);
    expect(first.body.comments.map((c: any) => c.id)).toEqual(ids.slice(0, 3));
    expect(first.body.meta.pagination).toEqual({ limit: 3, total: 7, next: String(ids[2]) });
    const second = await getJson(`/api/posts/${slug}/comments?limit=3&cursor=${first.body.meta.pagination.next}`);
    expect(second.body.comments.map((c: any) => c.id)).toEqual(ids.slice(3, 6));
    const last = await getJson(`/api/posts/${slug}/comments?limit=3&cursor=${second.body.meta.pagination.next}`);
    expect(last.body.comments.map((c: any) => c.id)).toEqual(ids.slice(6));
    expect(last.body.meta.pagination.next).toBeNull();
    expect(JSON.stringify(first.body)).not.toMatch(/email|"ip"/);
  });

  it("answers 400 for bad query values and 404 for an unknown post", async () => {
    expect((await getJson(`/api/posts/${slug}/comments?limit=101`)).res.status).toBe(400);
    expect((await getJson(`/api/posts/${slug}/comments?cursor=abc`)).res.status).toBe(400);
    expect((await getJson(`/api/posts/${slug}/comments?status=held`)).res.status).toBe(401);
    expect((await getJson(`/api/posts/nope/comments`)).res.status).toBe(404);
  });
});

describe("safe rendering", () => {
  const hostile = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    "<iframe src=//evil.example></iframe>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "<svg onload=alert(1)>",
    "[x](vbscript:msgbox(1))",
  ];

  it.each(hostile)("shows %s as text, in the API and on the page", async (text) => {
    const { body } = await comment({ author: '<b onmouseover="alert(1)">Mallory</b>', body: text });
    const html: string = body.comment.html;
    expect(html).not.toMatch(/<(script|img|iframe|svg)\b/i);
    expect(html).not.toMatch(/href="(javascript|data|vbscript):/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    const page = await (await get(`/posts/${slug}`)).text();
    const section = page.slice(page.indexOf('<section class="comments"'));
    expect(section).not.toMatch(/<(script|img|iframe|svg)\b[^>]*(alert|onerror|onload)/i);
    expect(section).not.toContain("<b onmouseover");
    expect(section).toContain("&lt;b onmouseover=");
  });

  it("keeps the Markdown subset and marks links nofollow ugc", async () => {
    const { body } = await comment({
      author: "A",
      body: "**bold** `code` [site](https://example.org/a?b=1&c=2) <mailto:me@example.org>\n\n> quote\n\n- one\n- two",
    });
    expect(body.comment.html).toBe(
      '<p><strong>bold</strong> <code>code</code> <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">site</a> ' +
        '<a href="mailto:me@example.org" rel="nofollow ugc noopener">mailto:me@example.org</a></p>' +
        "<blockquote><p>quote</p></blockquote><ul><li><p>one</p></li><li><p>two</p></li></ul>",
    );
  });
});

describe("the post page", () => {
  it("renders the thread in the server HTML, oldest first, with replies nested up to 3 levels", async () => {
    const root = (await comment({ author: "Root", body: "first" })).body.comment.id;
    const r1 = (await comment({ author: "Reply1", body: "second", parentId: root })).body.comment.id;
    const r2 = (await comment({ author: "Reply2", body: "third", parentId: r1 })).body.comment.id;
    const r3 = (await comment({ author: "Reply3", body: "fourth", parentId: r2 })).body.comment.id;
    await comment({ author: "Later", body: "fifth" });
    const html = await (await get(`/posts/${slug}`)).text();
    expect(html).toContain("Comment on this post");
    expect(html).toContain("5 comments");
    for (const id of [root, r1, r2, r3]) expect(html).toContain(`id="comment-${id}"`);
    expect(html.indexOf(`comment-${root}"`)).toBeLessThan(html.indexOf("Later"));
    // The level-3 list holds both the reply and the reply to the reply.
    const level3 = html.slice(html.indexOf('<ol class="replies" data-depth="2">'));
    expect(level3.indexOf("Reply2")).toBeLessThan(level3.indexOf("Reply3"));
    expect(html).not.toContain('data-depth="4"');
    expect(html).toContain('<script src="/live-comments.js" defer=""></script>');
  });

  it("has a page of all comments, oldest first, a hundred at a time", async () => {
    for (let i = 0; i < 3; i++) await comment({ author: `Reader ${i}`, body: `Note ${i}` });
    const res = await get(`/posts/${slug}/comments`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("3 comments, oldest first.");
    expect(html.indexOf("Note 0")).toBeLessThan(html.indexOf("Note 2"));
    expect(html).not.toContain('rel="next"');
    expect((await get(`/posts/${slug}/comments?after=x`)).status).toBe(400);
    expect((await get(`/posts/no-such/comments`)).status).toBe(404);
  });

  it("shows a comment another isolate added at the next request, though it asks the thread only whether it changed", async () => {
    await comment({ author: "First", body: "one" });
    expect(await (await get(`/posts/${slug}`)).text()).toContain("First");
    // Straight to the thread, as another isolate would: nothing in this one is cleared.
    await commentThread(env, MAIN_BLOG, slug).create(
      MAIN_BLOG,
      slug,
      { author: "Elsewhere", body: "two", email: null, parentId: null, ip: null, commenter: "reader-2" },
      open,
    );
    for (let i = 0; i < 2; i++) {
      const html = await (await get(`/posts/${slug}`)).text();
      expect(html).toContain("First");
      expect(html).toContain("Elsewhere");
      expect(html).toContain("2 comments");
    }
  });

  it("does not ask the thread of a post nobody commented on, and asks it from the first comment on", async () => {
    const broken = {
      ...env,
      COMMENTS: {
        idFromName: env.COMMENTS.idFromName.bind(env.COMMENTS),
        get: () => ({ thread: () => Promise.reject(new Error("asked")) }),
      },
    };
    const untouched = await app.request(`https://blog.example/posts/${slug}`, {}, broken as unknown as Env);
    expect(await untouched.text()).toContain("No comments yet.");
    // The first comment, straight to the thread as another isolate would: its count key is written at once.
    await commentThread(env, MAIN_BLOG, slug).create(
      MAIN_BLOG,
      slug,
      { author: "First", body: "one", email: null, parentId: null, ip: null, commenter: "reader-1" },
      open,
    );
    await vi.waitFor(async () => expect(await env.POSTS.get(`v1:count:${slug}`)).toContain('"n":1'), { timeout: 10_000, interval: 10 });
    expect(await (await get(`/posts/${slug}`)).text()).toContain("First");
    const asked = await app.request(`https://blog.example/posts/${slug}`, {}, broken as unknown as Env);
    expect(await asked.text()).toContain("Comments are unavailable right now.");
  });

  it("shows the reply form for ?replyto", async () => {
    const id = (await comment({ author: "Grace", body: "hi" })).body.comment.id;
    const html = await (await get(`/posts/${slug}?replyto=${id}`)).text();
    expect(html).toContain("Replying to <strong>Grace</strong>");
    expect(html).toContain(`name="parentId" value="${id}"`);
  });
});

describe("POST /posts/:slug/comments (the form, without JavaScript)", () => {
  it("stores the comment and lands on it, told so, with Edit beside it and the name remembered", async () => {
    const res = await send(`/posts/${slug}/comments`, {
      form: { author: "Form user", email: "", body: "Posted from a form", parentId: "", website: "" },
    });
    expect(res.status).toBe(303);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/posts/${slug}\\?comment=posted&id=(\\d+)#comment-\\1$`));
    const id = Number(location.split("#comment-")[1]);
    // The browser's cookies: the edit token (this post's path) and the name it signed with.
    const cookies = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    expect(cookies).toContain("comment-edits=");
    expect(cookies).toContain("comment-name=Form%20user");
    const back = await get(location.split("#")[0]!, { Cookie: cookies });
    expect(back.headers.get("cache-control")).toBe("private, no-store");
    const html = await back.text();
    expect(html).toContain(`id="comment-${id}"`);
    expect(html).toContain("Posted from a form");
    expect(html).toContain("Thank you: your comment is published.");
    expect(html).toContain(`<a class="edit-own" href="/posts/${slug}/comments/${id}/edit">`);
    expect(html).toContain('value="Form user"');
    // Another browser at the same address: no Edit, no name, no notice.
    const stranger = await (await get(location.split("#")[0]!)).text();
    expect(stranger).toContain("Posted from a form");
    expect(stranger).not.toContain("edit-own");
    expect(stranger).not.toContain('value="Form user"');
    expect(stranger).not.toContain("Thank you: your comment is published.");
    // The edit page works without JavaScript, with the same cookies.
    const edit = await get(`/posts/${slug}/comments/${id}/edit`, { Cookie: cookies });
    expect(edit.status).toBe(200);
    expect(await edit.text()).toContain("Posted from a form");
  });

  it("shows the page again with the error and the reader's text kept", async () => {
    const res = await send(`/posts/${slug}/comments`, { form: { author: "", body: "My <careful> words", website: "" } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('role="alert">Your name is required');
    expect(html).toContain("My &lt;careful&gt; words</textarea>");
  });

  it("names every problem of the form at once, by the form's labels", async () => {
    const res = await send(`/posts/${slug}/comments`, { form: { author: "", body: " ", email: "nope", website: "" } });
    expect(res.status).toBe(400);
    const error = /role="alert">([^<]*)</.exec(await res.text())![1]!;
    expect(error).toContain("Your name is required");
    expect(error).toContain("Your comment is required");
    expect(error).toContain("Your email must be a valid address");
    expect(error).not.toMatch(/\b(author|body|email):/);
  });

  it("pretends to accept a bot that fills the honeypot, and stores nothing", async () => {
    const res = await send(`/posts/${slug}/comments`, { form: { author: "Bot", body: "spam", website: "http://spam.example" } });
    expect(res.status).toBe(303);
    expect((await getJson(`/api/posts/${slug}/comments`)).body.comments).toEqual([]);
  });

  it("answers 404 for an unknown post and 415 for another content type", async () => {
    expect((await send(`/posts/nope/comments`, { form: { author: "A", body: "b" } })).status).toBe(404);
    expect((await send(`/posts/${slug}/comments`, { raw: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(415);
  });
});

describe("moderation", () => {
  it("holds comments with more than two links or a blocked word until an admin approves them", async () => {
    const links = await comment({ author: "L", body: "https://a.example https://b.example https://c.example" });
    expect(links.res.status).toBe(201);
    expect(links.body.moderation).toBe("held");
    const blocked = await comment({ author: "B", body: "Cheap VIAGRA here" });
    expect(blocked.body.moderation).toBe("held");
    expect((await getJson(`/api/posts/${slug}/comments`)).body.comments).toEqual([]);
    expect(await (await get(`/posts/${slug}`)).text()).not.toContain("VIAGRA");

    const held = await getJson(`/api/posts/${slug}/comments?status=held`, ADMIN);
    expect(held.body.comments.map((c: any) => c.id)).toEqual([links.body.comment.id, blocked.body.comment.id]);

    expect((await send(`/api/posts/${slug}/comments/${links.body.comment.id}/approve`, { headers: {} })).status).toBe(401);
    const approved = await send(`/api/posts/${slug}/comments/${links.body.comment.id}/approve`, { headers: ADMIN });
    expect(approved.status).toBe(200);
    expect((await getJson(`/api/posts/${slug}/comments`)).body.comments.map((c: any) => c.id)).toEqual([links.body.comment.id]);

    const hidden = await send(`/api/posts/${slug}/comments/${links.body.comment.id}/hide`, { headers: ADMIN });
    expect(hidden.status).toBe(200);
    expect((await getJson(`/api/posts/${slug}/comments`)).body.comments).toEqual([]);
  });

  it("first-time mode holds a new commenter's first comment only", async () => {
    const stub = commentThread(env, MAIN_BLOG, slug);
    const policy: CommentRules = { ...open, moderation: "first-time" };
    const first = await stub.create(
      MAIN_BLOG,
      slug,
      { author: "New", body: "hello", email: "new@example.org", parentId: null, ip: null, commenter: "reader-1" },
      policy,
    );
    expect(first.ok && first.comment.status).toBe("held");
    if (first.ok) await stub.moderate(first.comment.id, "approve");
    const second = await stub.create(
      MAIN_BLOG,
      slug,
      { author: "New", body: "again", email: "new@example.org", parentId: null, ip: null, commenter: "reader-1" },
      policy,
    );
    expect(second.ok && second.comment.status).toBe("published");
  });

  it("all mode holds every comment", async () => {
    const result = await commentThread(env, MAIN_BLOG, slug).create(
      MAIN_BLOG,
      slug,
      { author: "A", body: "b", email: null, parentId: null, ip: null, commenter: "reader-1" },
      { ...open, moderation: "all" },
    );
    expect(result.ok && result.comment.status).toBe("held");
  });

  it("reads the policy from the vars, 0 turning the rate limit off", () => {
    expect(readSettings({ ...env, COMMENT_RATE_LIMIT: "0" }).comments).toMatchObject({ rateLimit: 0, moderation: "open" });
    expect(readSettings({ ...env, COMMENT_MODERATION: "first-time", COMMENT_RATE_LIMIT: "3" }).comments).toMatchObject({
      rateLimit: 3,
      moderation: "first-time",
    });
    expect(readSettings({ ...env, COMMENT_MODERATION: "bogus", COMMENT_RATE_LIMIT: "-1" }).comments).toMatchObject({
      rateLimit: 5,
      moderation: "open",
    });
    expect(readSettings(env).comments.blockedWords).toContain("viagra");
  });

  it("with the rate limit off, one address may post freely", async () => {
    const stub = commentThread(env, MAIN_BLOG, slug);
    for (let i = 0; i < 8; i++) {
      const r = await stub.create(
        MAIN_BLOG,
        slug,
        { author: "A", body: `n${i}`, email: null, parentId: null, ip: "198.51.100.1", commenter: null },
        open,
      );
      expect(r.ok).toBe(true);
    }
  });
});

describe("CommentThread.thread", () => {
  it("sends no comments when the caller's key is still current, and all of them once the thread changes", async () => {
    await comment({ author: "Ann", body: "hello" });
    const thread = commentThread(env, MAIN_BLOG, slug);
    const first = await thread.thread(50);
    expect(first.comments?.map((c) => c.author)).toEqual(["Ann"]);
    const unchanged = await thread.thread(50, undefined, first.key);
    expect(unchanged).toMatchObject({ comments: null, total: 1, key: first.key });
    await comment({ author: "Bob", body: "again" });
    const changed = await thread.thread(50, undefined, first.key);
    expect(changed.key).not.toBe(first.key);
    expect(changed.comments?.map((c) => c.author)).toEqual(["Ann", "Bob"]);
    expect(changed.total).toBe(2);
  });
});

describe("CommentThread's published count", () => {
  it("follows every status change: new, held, approved, hidden, edited into moderation, deleted", async () => {
    const thread = commentThread(env, MAIN_BLOG, slug);
    const rules: CommentRules = { ...open, blockedWords: ["spam"] };
    const input = (body: string) => ({ author: "A", body, email: null, parentId: null, ip: null, commenter: null });
    const total = async () => (await thread.thread(50)).total;
    const counted = async () => (await getJson(`/api/posts/${slug}/comments?limit=1`)).body.meta.pagination.total;
    const a = await thread.create(MAIN_BLOG, slug, input("one"), rules);
    const b = await thread.create(MAIN_BLOG, slug, input("two"), rules);
    const held = await thread.create(MAIN_BLOG, slug, input("spam here"), rules);
    if (!a.ok || !b.ok || !held.ok) throw new Error("create failed");
    expect([await total(), await counted()]).toEqual([2, 2]);
    await thread.moderate(held.comment.id, "hide"); // held → hidden: no change
    expect(await total()).toBe(2);
    await thread.moderate(held.comment.id, "approve"); // hidden → published
    expect(await total()).toBe(3);
    await thread.moderate(held.comment.id, "approve"); // already published: no change
    expect(await total()).toBe(3);
    await thread.moderate(a.comment.id, "hide");
    expect(await total()).toBe(2);
    const edited = await thread.edit(b.comment.id, "now spam", { admin: false, token: b.editToken }, rules); // published → held
    expect(edited.ok && edited.comment.status).toBe("held");
    expect(await total()).toBe(1);
    await thread.remove(held.comment.id, { admin: true }, rules); // published → deleted
    expect([await total(), await counted()]).toEqual([0, 0]);
  });
});

describe("PATCH and DELETE /api/posts/:slug/comments/:id", () => {
  it("lets the commenter edit and delete with the edit token", async () => {
    const { body } = await comment({ author: "Ed", body: "typo" });
    const path = `/api/posts/${slug}/comments/${body.comment.id}`;
    const edited = await send(path, { method: "PATCH", json: { body: "fixed", editToken: body.editToken } });
    expect(edited.status).toBe(200);
    const json = (await edited.json()) as any;
    expect(json.comment.html).toBe("<p>fixed</p>");
    expect(json.comment.editedAt).not.toBeNull();
    const deleted = await send(path, { method: "DELETE", headers: { "X-Edit-Token": body.editToken } });
    expect(deleted.status).toBe(204);
    expect((await getJson(`/api/posts/${slug}/comments`)).body.comments).toEqual([]);
    expect((await send(path, { method: "DELETE", headers: { "X-Edit-Token": body.editToken } })).status).toBe(404);
  });

  it("refuses a missing, wrong or foreign token, and one older than 15 minutes", async () => {
    const a = await comment({ author: "A", body: "mine" });
    const b = await comment({ author: "B", body: "theirs" });
    const path = `/api/posts/${slug}/comments/${a.body.comment.id}`;
    expect((await send(path, { method: "PATCH", json: { body: "x" } })).status).toBe(401);
    expect((await send(path, { method: "PATCH", json: { body: "x", editToken: "123.abc" } })).status).toBe(403);
    expect((await send(path, { method: "PATCH", json: { body: "x", editToken: b.body.editToken } })).status).toBe(403);
    expect((await send(path, { method: "DELETE", headers: { "X-Edit-Token": b.body.editToken } })).status).toBe(403);
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    expect((await send(path, { method: "PATCH", json: { body: "late", editToken: a.body.editToken } })).status).toBe(403);
    vi.useRealTimers();
    expect((await getJson(`/api/posts/${slug}/comments`)).body.comments.map((c: any) => c.html)).toEqual(["<p>mine</p>", "<p>theirs</p>"]);
  });

  it("lets an admin delete any comment", async () => {
    const { body } = await comment({ author: "A", body: "remove me" });
    const res = await send(`/api/posts/${slug}/comments/${body.comment.id}`, { method: "DELETE", headers: ADMIN });
    expect(res.status).toBe(204);
    const wrong = await send(`/api/posts/${slug}/comments/${body.comment.id}`, {
      method: "DELETE",
      headers: { Authorization: "Bearer wrong" },
    });
    expect(wrong.status).toBe(401);
  });
});

describe("comment counts", () => {
  it("appear on listing cards from one KV key per post, refreshed by the thread", async () => {
    await comment({ author: "A", body: "one" });
    await comment({ author: "B", body: "two" });
    await runDurableObjectAlarm(env.COMMENTS.get(env.COMMENTS.idFromName(slug)));
    expect(JSON.parse((await env.POSTS.get(`v1:count:${slug}`))!)).toMatchObject({ n: 2 });
    const home = await (await get("/")).text();
    expect(home).toContain(`<a href="/posts/${slug}#comments">2 comments</a>`);
  });
});

describe("nothing lost", () => {
  it("stores 500 concurrent comments exactly once each, in order", { timeout: 90_000 }, async () => {
    // The rate limits are off here (this is about concurrency; the limits have tests of their own).
    const unlimited = { ...env, COMMENT_RATE_LIMIT: "0", COMMENT_POST_LIMIT: "0" } as Env;
    const results = await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        const res = await app.request(
          `https://blog.example/api/posts/${slug}/comments`,
          {
            method: "POST",
            headers: { "Content-Type": "application/json", "CF-Connecting-IP": `203.0.${Math.floor(i / 250)}.${i % 250}` },
            body: JSON.stringify({ author: `Crowd ${i}`, body: `message ${i}` }),
          },
          unlimited,
        );
        return { res, body: (await res.json()) as any };
      }),
    );
    expect(results.filter((r) => r.res.status !== 201).map((r) => [r.res.status, r.body])).toEqual([]);
    const ids = results.map((r) => r.body.comment.id as number);
    expect(new Set(ids).size).toBe(500);
    const listed: any[] = [];
    let cursor = "";
    do {
      const page = await getJson(`/api/posts/${slug}/comments?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      listed.push(...page.body.comments);
      cursor = page.body.meta.pagination.next ?? "";
    } while (cursor);
    expect(listed).toHaveLength(500);
    expect(listed.map((c) => c.id)).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(listed.map((c) => c.author)).size).toBe(500);
  });
});

describe("GET /api/posts/:slug/comments/live", () => {
  it("pushes new, edited and removed comments to every listener", async () => {
    const sockets = await Promise.all(Array.from({ length: 5 }, () => listen(`/api/posts/${slug}/comments/live`)));
    const { body } = await comment({ author: "Live", body: "hello *live*" });
    await send(`/api/posts/${slug}/comments/${body.comment.id}`, { method: "PATCH", json: { body: "edited", editToken: body.editToken } });
    await send(`/api/posts/${slug}/comments/${body.comment.id}`, { method: "DELETE", headers: { "X-Edit-Token": body.editToken } });
    await vi.waitFor(() => expect(sockets.every((s) => s.messages.length >= 4)).toBe(true), { timeout: 5000 });
    for (const { ws, messages } of sockets) {
      expect(messages.map((m) => m.type)).toEqual(["hello", "comment.created", "comment.edited", "comment.removed"]);
      expect(messages[1].comment).toMatchObject({ id: body.comment.id, author: "Live", html: "<p>hello <em>live</em></p>" });
      ws.close(1000, "done");
    }
  });

  it("answers 426 without an upgrade and 404 for an unknown post", async () => {
    expect((await get(`/api/posts/${slug}/comments/live`)).status).toBe(426);
    expect((await get(`/api/posts/nope/comments/live`, { Upgrade: "websocket" })).status).toBe(404);
  });
});
