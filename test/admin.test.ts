import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import app from "../src/app";
import { clearKv, get, getJson, listen, makePost, publish, request } from "./helpers";

const TOKEN = "test-admin-token-0123456789abcdef0123";

afterEach(async () => {
  await reset();
});

async function signIn(): Promise<string> {
  const res = await request("/admin/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `token=${TOKEN}`,
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!;
  expect(cookie).toMatch(/^__Host-edge_admin=[\w-]+\.\d+\.[\w-]+;/);
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("Secure");
  expect(cookie).toContain("SameSite=Strict");
  return cookie.split(";")[0]!;
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
const form = (path: string, cookie: string, fields: Record<string, string>) =>
  request(path, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

describe("GET /admin and signing in", () => {
  it("wears its own quiet frame, not the blog's masthead, and says what to do with an empty table", async () => {
    await clearKv();
    const cookie = await signIn();
    const dashboard = await (await get("/admin", { Cookie: cookie })).text();
    expect(dashboard).toContain('<header class="admin-bar">');
    expect(dashboard).not.toContain("subscribe-cta");
    expect(dashboard).not.toContain('class="site-header"');
    expect(dashboard).toContain('No posts yet — <a href="/admin/posts/new">write your first</a>.');
    // …and no empty table's headings under it.
    expect(dashboard).not.toContain('<th scope="col">Title</th>');
    // "Sign out everywhere" is quieter than "Sign out".
    expect(dashboard).toMatch(/<button type="submit" class="link-button">\s*Sign out everywhere/);
    // Readers' pages keep the blog's own masthead.
    const home = await (await get("/")).text();
    expect(home).toContain('class="site-header"');
    expect(home).toContain("subscribe-cta");
  });

  it("shows only the sign-in form without a session: email first, the operator's token behind a link", async () => {
    const res = await get("/admin");
    expect(res.status).toBe(200);
    const html = await res.text();
    // A blogger never has the admin token: their address comes first, and no token field.
    expect(html).toContain('action="/signin"');
    expect(html).toContain('type="email"');
    expect(html).not.toContain('action="/admin/login"');
    expect(html).toContain('href="/admin?operator"');
    expect(html).not.toContain("Posts</h2>");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const operator = await (await get("/admin?operator")).text();
    expect(operator).toContain('action="/admin/login"');
    expect(operator).toContain('id="admin-token"');
  });

  it("is disabled, never open, without a strong ADMIN_TOKEN", async () => {
    for (const token of [undefined, "short"]) {
      const res = await app.request("https://blog.example/admin", {}, { ...env, ADMIN_TOKEN: token } as Env);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain("Administration is disabled");
    }
  });

  it("refuses a wrong token and signs in with the right one", async () => {
    const wrong = await request("/admin/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "token=nope",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    await publish([makePost({ slug: "listed", title: "Listed post" }), makePost({ slug: "hidden-draft", title: "A draft", draft: true })]);
    const cookie = await signIn();
    const html = await (await get("/admin", { Cookie: cookie })).text();
    expect(html).toContain("Listed post");
    expect(html).toContain("A draft");
    expect(html).toMatch(/<td>draft<\/td>/);
  });

  it("treats an expired or forged cookie as signed out", async () => {
    const cookie = await signIn();
    const [id, , sig] = cookie.split("=")[1]!.split(".");
    for (const bad of [
      `__Host-edge_admin=${id}.1000000000000.${sig}`,
      `__Host-edge_admin=${id}.${Date.now() + 1e6}.${sig}`,
      "__Host-edge_admin=garbage",
    ]) {
      expect(await (await get("/admin", { Cookie: bad })).text()).toContain('action="/signin"');
      expect(
        (await form("/admin/posts", bad, { slug: "x", title: "x", date: "2024-01-01", markdown: "x", action: "publish" })).status,
      ).toBe(401);
      expect((await get("/api/admin/outbox", { Cookie: bad })).status).toBe(401);
    }
  });

  it("signs out", async () => {
    const cookie = await signIn();
    const csrf = csrfOf(await (await get("/admin", { Cookie: cookie })).text());
    const out = await form("/admin/logout", cookie, { csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/__Host-edge_admin=;.*Max-Age=0/);
  });
});

describe("editing in the browser", () => {
  it("shows Edit post only to a signed-in editor, in a page nobody caches", async () => {
    await publish([makePost({ slug: "editable" })]);
    const anonymous = await get("/posts/editable");
    expect(await anonymous.text()).not.toContain("Edit post");
    const cookie = await signIn();
    const editor = await get("/posts/editable", { Cookie: cookie });
    expect(await editor.text()).toContain('<a href="/admin/posts/editable/edit">Edit post</a>');
    expect(editor.headers.get("cache-control")).toBe("private, no-store");
  });

  it("previews, publishes and the change is live at once", async () => {
    await publish([makePost({ slug: "typo", title: "A tpyo in the title", markdown: "Body" })]);
    const cookie = await signIn();
    const page = await (await get("/admin/posts/typo/edit", { Cookie: cookie })).text();
    expect(page).toContain('value="A tpyo in the title"');
    const csrf = csrfOf(page);
    const fields = {
      csrf,
      title: "A typo in the title",
      date: "2024-01-02T00:00:00.000Z",
      tags: "news, fixes",
      author: "",
      summary: "",
      markdown: "Body with **bold**",
    };
    const preview = await form("/admin/posts/typo", cookie, { ...fields, action: "preview" });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain("<p>Body with <strong>bold</strong></p>");
    expect(await (await get("/posts/typo")).text()).toContain("A tpyo in the title");

    const saved = await form("/admin/posts/typo", cookie, { ...fields, action: "publish" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/admin/posts/typo/edit?saved=published");
    const after = await (await get("/admin/posts/typo/edit?saved=published", { Cookie: cookie })).text();
    expect(after).toContain('<p class="notice" role="status">Published. Readers see it now.</p>');
    expect(after).toContain('<span class="badge badge-published">Published January 2, 2024 at 00:00');
    const live = await (await get("/posts/typo")).text();
    expect(live).toContain("<h1>A typo in the title</h1>");
    expect(live).toContain('href="/tags/fixes"');
  });

  it("creates, unpublishes as a draft and deletes", async () => {
    const cookie = await signIn();
    const editor = await (await get("/admin/posts/new", { Cookie: cookie })).text();
    // Words for writers: the post's web address, not "slug".
    expect(editor).toContain("Web address: /posts/… (a page: /pages/…)");
    expect(editor).not.toContain(">Slug");
    const csrf = csrfOf(editor);
    const base = {
      csrf,
      slug: "brand-new",
      title: "Brand new",
      date: new Date(Date.now() - 60_000).toISOString(),
      tags: "",
      author: "",
      summary: "",
      markdown: "Fresh.",
    };
    expect((await form("/admin/posts", cookie, { ...base, action: "publish" })).status).toBe(303);
    expect((await get("/posts/brand-new")).status).toBe(200);
    expect((await form("/admin/posts/brand-new", cookie, { ...base, action: "draft" })).status).toBe(303);
    expect((await get("/posts/brand-new")).status).toBe(404);
    expect((await form("/admin/posts/brand-new", cookie, { ...base, action: "delete" })).status).toBe(303);
    expect((await get("/admin/posts/brand-new/edit", { Cookie: cookie })).status).toBe(404);
  });

  it("offers Update and Unpublish for a published post and Save draft and Publish for a draft, so saving never unpublishes by surprise", async () => {
    const cookie = await signIn();
    await publish([
      makePost({ slug: "live-one", date: new Date(Date.now() - 60_000).toISOString() }),
      makePost({ slug: "draft-one", draft: true }),
    ]);
    const live = await (await get("/admin/posts/live-one/edit", { Cookie: cookie })).text();
    expect(live).toContain('<button type="submit" name="action" value="publish">Update</button>');
    expect(live).toContain('<button type="submit" name="action" value="draft" class="secondary">Unpublish</button>');
    expect(live).not.toContain("Save draft");
    // The hint speaks of the buttons the page shows.
    expect(live).toContain("Update changes what readers see now.");
    expect(live).not.toContain("Publish puts the post online now.");
    expect(live).toContain('<input type="hidden" name="live" value="1"/>');
    const draft = await (await get("/admin/posts/draft-one/edit", { Cookie: cookie })).text();
    expect(draft).toContain('<button type="submit" name="action" value="draft" class="secondary">Save draft</button>');
    expect(draft).toContain('<button type="submit" name="action" value="publish">Publish</button>');
    expect(draft).toContain('<button type="submit" name="action" value="schedule" class="secondary">Schedule…</button>');
    expect(draft).toContain('<span class="badge badge-draft">Draft · not public</span>');
    expect(draft).not.toContain("Unpublish");
    expect(draft).toContain("Publish puts the post online now.");

    // A preview of a live post keeps its buttons.
    const csrf = csrfOf(live);
    const fields = { csrf, live: "1", slug: "live-one", title: "Live", date: new Date(Date.now() - 60_000).toISOString(), markdown: "x" };
    const preview = await (await form("/admin/posts/live-one", cookie, { ...fields, action: "preview" })).text();
    expect(preview).toContain(">Update</button>");
    const updated = await form("/admin/posts/live-one", cookie, { ...fields, action: "publish" });
    expect(updated.headers.get("location")).toBe("/admin/posts/live-one/edit?saved=updated");
    expect((await get("/posts/live-one")).status).toBe(200);
  });

  it("asks before deleting: Delete… shows a confirmation page and deletes nothing until it is confirmed", async () => {
    const cookie = await signIn();
    await publish([makePost({ slug: "keep-me", title: "Keep me", date: new Date(Date.now() - 60_000).toISOString() })]);
    const page = await (await get("/admin/posts/keep-me/edit", { Cookie: cookie })).text();
    expect(page).toContain('value="confirm-delete" class="danger" formnovalidate="">Delete…</button>');
    const csrf = csrfOf(page);
    const ask = await form("/admin/posts/keep-me", cookie, { csrf, slug: "keep-me", title: "Keep me", action: "confirm-delete" });
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain("Delete “Keep me”?");
    expect(html).toContain('<button type="submit" name="action" value="delete" class="danger">Move to trash</button>');
    expect(html).toContain("It stays in the trash on the dashboard for 30 days");
    expect(html).toContain('<a href="/admin/posts/keep-me/edit">Cancel, keep the post</a>');
    expect((await get("/posts/keep-me")).status).toBe(200);
    expect((await form("/admin/posts/keep-me", cookie, { csrf: csrfOf(html), action: "delete" })).status).toBe(303);
    expect((await get("/posts/keep-me")).status).toBe(404);
  });

  it("shows the form again with the error for a bad field", async () => {
    const cookie = await signIn();
    const csrf = csrfOf(await (await get("/admin/posts/new", { Cookie: cookie })).text());
    const res = await form("/admin/posts", cookie, { csrf, slug: "bad", title: "", date: "soon", markdown: "x", action: "publish" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("title: title must not be empty");
    expect(html).toContain("date:");
  });

  it("refuses a missing CSRF token and a cross-site post", async () => {
    await publish([makePost({ slug: "guarded" })]);
    const cookie = await signIn();
    const fields = { slug: "guarded", title: "Hacked", date: "2024-01-01", markdown: "x", action: "publish" };
    expect((await form("/admin/posts/guarded", cookie, fields)).status).toBe(403);
    const csrf = csrfOf(await (await get("/admin", { Cookie: cookie })).text());
    const cross = await request("/admin/posts/guarded", {
      method: "POST",
      headers: {
        Cookie: cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
      body: new URLSearchParams({ ...fields, csrf }).toString(),
    });
    expect(cross.status).toBe(403);
    expect(await (await get("/posts/guarded")).text()).not.toContain("Hacked");
  });
});

describe("the dashboard", () => {
  it("holds the moderation queue, with approve, hide and delete", async () => {
    await publish([makePost({ slug: "discussed", title: "Discussed" })]);
    const held = await request("/api/posts/discussed/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.9.9.9" },
      body: JSON.stringify({ author: "Spammy <b>Sam</b>", body: "Buy viagra at https://a.example https://b.example https://c.example" }),
    });
    const id = ((await held.json()) as any).comment.id;
    const cookie = await signIn();
    const html = await (await get("/admin", { Cookie: cookie })).text();
    expect(html).toContain("Spammy &lt;b&gt;Sam&lt;/b&gt;");
    expect(html).toContain(`action="/admin/comments/discussed/${id}"`);
    const approve = await form(`/admin/comments/discussed/${id}`, cookie, { csrf: csrfOf(html), action: "approve" });
    expect(approve.status).toBe(303);
    expect((await getJson("/api/posts/discussed/comments")).body.comments.map((c: any) => c.id)).toEqual([id]);
    expect(await (await get("/admin", { Cookie: cookie })).text()).toContain("No comment is waiting.");
  });

  it("exports subscribers as CSV, only when signed in", async () => {
    await request("/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "+cmd@example.org" }),
    });
    expect((await get("/admin/subscribers.csv")).status).toBe(303);
    const cookie = await signIn();
    const res = await get("/admin/subscribers.csv", { Cookie: cookie });
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv.split("\r\n")[0]).toBe("email,status,created_at,confirmed_at,unsubscribed_at");
    expect(csv).toContain("'+cmd@example.org,pending,");
  });
});

describe("every admin route without valid credentials", () => {
  const routes: [string, string][] = [
    ["GET", "/admin/posts/new"],
    ["GET", "/admin/posts/some-post/edit"],
    ["GET", "/admin/subscribers.csv"],
    ["POST", "/admin/posts"],
    ["POST", "/admin/posts/some-post"],
    ["POST", "/admin/comments/some-post/1"],
    ["POST", "/admin/logout"],
    ["GET", "/api/admin/outbox"],
    ["PUT", "/api/posts/some-post"],
    ["DELETE", "/api/posts/some-post"],
    ["POST", "/api/posts/some-post/comments/1/approve"],
    ["POST", "/api/posts/some-post/comments/1/hide"],
  ];
  const expired = `__Host-edge_admin=AAAA.${Date.now() - 1000}.AAAA`;

  it.each(routes)("%s %s refuses no credentials, a wrong token, an expired cookie and a cross-site post", async (method, path) => {
    await publish([makePost({ slug: "some-post" })]);
    const isApi = path.startsWith("/api/");
    const body =
      method === "GET" || method === "DELETE"
        ? undefined
        : isApi
          ? JSON.stringify({ title: "x", date: "2024-01-01", markdown: "x" })
          : "action=publish&title=x&date=2024-01-01&markdown=x";
    const type = isApi ? "application/json" : "application/x-www-form-urlencoded";
    const attempt = (headers: Record<string, string>) =>
      request(path, { method, headers: { ...(body ? { "Content-Type": type } : {}), ...headers }, body });
    const denied = (status: number) => (method === "GET" && !isApi ? [303, 401] : [401]).includes(status);
    for (const headers of [{}, { Authorization: "Bearer wrong-token-wrong-token-wrong-token" }, { Cookie: expired }] as Record<
      string,
      string
    >[]) {
      const res = await attempt(headers);
      expect(denied(res.status), `${JSON.stringify(headers)} → ${res.status}`).toBe(true);
    }
    if (method !== "GET") {
      const cookie = await signIn();
      const cross = await attempt({ Cookie: cookie, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" });
      expect(cross.status).toBe(403);
    }
    expect(await (await get("/posts/some-post")).text()).not.toContain("<h1>x</h1>");
  });
});

describe("the live moderation queue", () => {
  it("tells signed-in editors about held comments, and nobody else", async () => {
    await publish([makePost({ slug: "watched" })]);
    const cookie = await signIn();
    const editor = await listen("/api/posts/watched/comments/live?admin=1", { Cookie: cookie });
    const reader = await listen("/api/posts/watched/comments/live?admin=1", { "X-Admin-Listener": "1" });
    const res = await request("/api/posts/watched/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.8.8.8" },
      body: JSON.stringify({ author: "Held", body: "casino bonus for you" }),
    });
    const id = ((await res.json()) as any).comment.id;
    await new Promise((r) => setTimeout(r, 200));
    expect(editor.messages.map((m) => m.type)).toEqual(["hello", "comment.held"]);
    expect(editor.messages[1].comment).toMatchObject({ id, author: "Held" });
    expect(reader.messages.map((m) => m.type)).toEqual(["hello"]);
    for (const { ws } of [editor, reader]) ws.close(1000, "done");
  });
});
