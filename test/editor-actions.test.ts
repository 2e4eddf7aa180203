import { reset, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { objectName } from "../src/core/blogs";
import { afterEach, describe, expect, it } from "vitest";
import { fromZonedInput, toZonedInput } from "../src/core/dates";
import { at, createBlog, DAY, get, HOUR, makePost, publish, request, settingsForm, settingsSession, signIn } from "./helpers";

afterEach(async () => {
  await reset();
});

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

/** The editor's form as the browser sends it, for a post at `host`. */
async function editorSession(host = "blog.example") {
  const cookie = await signIn(host);
  const csrf = csrfOf(await (await at(host, "/admin/posts/new", { headers: { Cookie: cookie } })).text());
  const send = (path: string, fields: Record<string, string>) =>
    at(host, path, { method: "POST", headers: { ...FORM, Cookie: cookie }, body: new URLSearchParams({ csrf, ...fields }).toString() });
  const page = async (path: string) => (await at(host, path, { headers: { Cookie: cookie } })).text();
  return { cookie, csrf, send, page };
}

const fields = (over: Record<string, string> = {}) => ({
  slug: "a-post",
  title: "A post",
  date: "2024-03-01T09:30",
  updated: "",
  tags: "",
  author: "",
  summary: "",
  cover: "",
  markdown: "First version.",
  ...over,
});

describe("dates in the blog's time zone", () => {
  it("turns the picker's wall-clock time into UTC and back, across daylight saving", () => {
    expect(fromZonedInput("2026-07-01T09:30", "Europe/Paris")).toBe("2026-07-01T07:30:00.000Z");
    expect(fromZonedInput("2026-12-01T09:30", "Europe/Paris")).toBe("2026-12-01T08:30:00.000Z");
    expect(fromZonedInput("2026-03-08T12:00:15", "America/New_York")).toBe("2026-03-08T16:00:15.000Z");
    expect(toZonedInput("2026-07-01T07:30:00.000Z", "Europe/Paris")).toBe("2026-07-01T09:30");
    expect(toZonedInput("2026-12-01T08:30:05.000Z", "Europe/Paris")).toBe("2026-12-01T09:30:05");
    expect(fromZonedInput("2026-07-01", "UTC")).toBeNull();
    expect(fromZonedInput("2026-02-30T10:00", "UTC")).toBeNull();
  });
});

describe("POST /admin/posts (the editor's actions)", () => {
  it("saves a new post's date as typed in the blog's time zone, and shows it back the same way", async () => {
    await createBlog("paris");
    const owner = await settingsSession("paris.localhost");
    const saved = await at("paris.localhost", "/admin/settings", {
      method: "POST",
      headers: { ...FORM, Cookie: owner.cookie },
      body: settingsForm(owner.csrf, { title: "Paris", timeZone: "Europe/Paris" }),
    });
    expect(saved.status).toBe(303);
    const { send, page } = await editorSession("paris.localhost");
    const res = await send("/admin/posts", { ...fields({ date: "2024-07-14T10:00" }), action: "publish" });
    expect(res.headers.get("location")).toBe("/admin/posts/a-post/edit?saved=published");
    const html = await page("/admin/posts/a-post/edit?saved=published");
    expect(html).toContain('<label for="ed-date">Publication date and time (Europe/Paris)</label>');
    expect(html).toContain('type="datetime-local" step="1" value="2024-07-14T10:00"');
    const api = await (await at("paris.localhost", "/api/posts/a-post")).json<any>();
    expect(api.post.date).toBe("2024-07-14T08:00:00.000Z");
  });

  it("schedules with Schedule… and says when the post will appear; refuses a time in the past", async () => {
    const { send, page } = await editorSession();
    const past = await send("/admin/posts", { ...fields(), action: "schedule" });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("To schedule the post, set its publication date and time (UTC) in the future");
    expect((await get("/admin/posts/a-post/edit", { Cookie: (await editorSession()).cookie })).status).toBe(404);

    const later = new Date(Date.now() + 2 * DAY);
    const local = toZonedInput(later.toISOString(), "UTC").slice(0, 16);
    const res = await send("/admin/posts", { ...fields({ date: local }), action: "schedule" });
    expect(res.headers.get("location")).toBe("/admin/posts/a-post/edit?saved=scheduled");
    const html = await page("/admin/posts/a-post/edit?saved=scheduled");
    expect(html).toContain('<span class="badge badge-scheduled">Scheduled for');
    expect(html).toContain("It will appear on the blog on");
    expect((await get("/posts/a-post")).status).toBe(404);
  });

  it("publishes now with Publish, even when the date field was in the future", async () => {
    const { send } = await editorSession();
    const local = toZonedInput(new Date(Date.now() + 3 * DAY).toISOString(), "UTC");
    await send("/admin/posts", { ...fields({ date: local }), action: "publish" });
    expect((await get("/posts/a-post")).status).toBe(200);
  });

  it("renames a draft with its slug field, and keeps a published post's slug", async () => {
    const { send, page } = await editorSession();
    await send("/admin/posts", { ...fields({ slug: "untitled" }), action: "draft" });
    const renamed = await send("/admin/posts/untitled", { ...fields({ slug: "a-better-name" }), action: "draft" });
    expect(renamed.headers.get("location")).toBe("/admin/posts/a-better-name/edit?saved=draft");
    expect(await page("/admin/posts/a-better-name/edit")).toContain('value="a-better-name"');
    expect((await get("/admin/posts/untitled/edit", { Cookie: (await editorSession()).cookie })).status).toBe(404);

    await send("/admin/posts/a-better-name", { ...fields({ slug: "a-better-name" }), action: "publish" });
    const live = await page("/admin/posts/a-better-name/edit");
    expect(live).toMatch(/id="ed-slug" name="slug" value="a-better-name" required="" readonly=""/);
    // A live post's slug field is ignored: its address does not change.
    await send("/admin/posts/a-better-name", { ...fields({ slug: "sneaky" }), live: "1", action: "publish" });
    expect((await get("/posts/a-better-name")).status).toBe(200);
    expect((await get("/posts/sneaky")).status).toBe(404);
  });

  it("refuses to rename a draft onto another post's slug", async () => {
    await publish([makePost({ slug: "taken" })]);
    const { send } = await editorSession();
    await send("/admin/posts", { ...fields({ slug: "mine" }), action: "draft" });
    const res = await send("/admin/posts/mine", { ...fields({ slug: "taken" }), action: "draft" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Another post already has the slug");
  });

  it("keeps each replaced version (the last 20), lists them and loads one back into the editor", async () => {
    const { send, page } = await editorSession();
    await send("/admin/posts", { ...fields(), action: "publish" });
    for (let n = 2; n <= 23; n++)
      await send("/admin/posts/a-post", { ...fields({ markdown: `Version ${n}.` }), live: "1", action: "publish" });
    const html = await page("/admin/posts/a-post/edit");
    expect(html).toContain("Earlier versions");
    const ids = [...html.matchAll(/href="\/admin\/posts\/a-post\/edit\?revision=(\d+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(20);
    // Newest first: the first listed is version 22, the one the last save replaced.
    const loaded = await page(`/admin/posts/a-post/edit?revision=${ids[0]}`);
    expect(loaded).toContain(">Version 22.</textarea>");
    expect(loaded).toContain("Nothing changes until you save it.");
    expect(await (await get("/posts/a-post")).text()).toContain("Version 23.");
    const oldest = await page(`/admin/posts/a-post/edit?revision=${ids[19]}`);
    expect(oldest).toContain(">Version 3.</textarea>");
    expect(
      (await at("blog.example", "/admin/posts/a-post/edit?revision=999999", { headers: { Cookie: (await editorSession()).cookie } }))
        .status,
    ).toBe(404);
  });

  it("moves a deleted post to the trash, restores it as it was, and deletes it for good on request", async () => {
    await publish([makePost({ slug: "gone-soon", title: "Gone soon", date: new Date(Date.now() - HOUR).toISOString() })]);
    const { send, page } = await editorSession();
    const del = await send("/admin/posts/gone-soon", { action: "delete" });
    expect(del.headers.get("location")).toBe("/admin?deleted=gone-soon#trash");
    expect((await get("/posts/gone-soon")).status).toBe(404);
    const dash = await page("/admin?deleted=gone-soon");
    expect(dash).toContain("Moved “gone-soon” to the trash. You can restore it there for 30 days.");
    expect(dash).toContain('<form method="post" action="/admin/trash/gone-soon" class="inline-form">');

    const restored = await send("/admin/trash/gone-soon", { action: "restore" });
    expect(restored.headers.get("location")).toBe("/admin/posts/gone-soon/edit?saved=restored");
    expect((await get("/posts/gone-soon")).status).toBe(200);
    expect(await page("/admin")).toContain("The trash is empty.");

    await send("/admin/posts/gone-soon", { action: "delete" });
    const purged = await send("/admin/trash/gone-soon", { action: "purge" });
    expect(purged.headers.get("location")).toBe("/admin?purged=gone-soon#trash");
    expect((await send("/admin/trash/gone-soon", { action: "restore" })).status).toBe(404);
  });

  it("forgets posts deleted more than 30 days ago", async () => {
    await publish([makePost({ slug: "old-news" }), makePost({ slug: "recent-news" })]);
    const { send, page } = await editorSession();
    await send("/admin/posts/old-news", { action: "delete" });
    await send("/admin/posts/recent-news", { action: "delete" });
    const stub = env.EDITOR.get(env.EDITOR.idFromName(objectName("main", "site")));
    await runInDurableObject(stub, (_, state) => {
      state.storage.sql.exec("UPDATE trash SET deleted_at = ? WHERE slug = 'old-news'", new Date(Date.now() - 31 * DAY).toISOString());
    });
    const dash = await page("/admin");
    expect(dash).not.toContain('action="/admin/trash/old-news"');
    expect(dash).toContain('action="/admin/trash/recent-news"');
    expect((await send("/admin/trash/old-news", { action: "restore" })).status).toBe(404);
  });

  it("refuses to restore over a post that took the slug meanwhile", async () => {
    await publish([makePost({ slug: "twice" })]);
    const { send } = await editorSession();
    await send("/admin/posts/twice", { action: "delete" });
    await send("/admin/posts", { ...fields({ slug: "twice" }), action: "publish" });
    const res = await send("/admin/trash/twice", { action: "restore" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Another post now has the slug");
  });

  it("puts API deletions in the trash too", async () => {
    await publish([makePost({ slug: "api-gone" })]);
    const { page } = await editorSession();
    const res = await request("/api/posts/api-gone", {
      method: "DELETE",
      headers: { Authorization: "Bearer test-admin-token-0123456789abcdef0123" },
    });
    expect(res.status).toBe(204);
    expect(await page("/admin")).toContain('action="/admin/trash/api-gone"');
  });
});

describe("POST /api/preview", () => {
  it("renders Markdown with the publishing code for a signed-in editor", async () => {
    const { cookie, csrf } = await editorSession();
    const res = await request("/api/preview", {
      method: "POST",
      headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ markdown: 'Some **bold**\n\n![A map](/media/0123456789abcdef0123.png "The map")' }),
    });
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.html).toContain("<strong>bold</strong>");
    expect(body.html).toContain("<figure>");
  });

  it("refuses strangers and a cookie without its CSRF token", async () => {
    const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"markdown":"x"}' };
    expect((await request("/api/preview", init)).status).toBe(401);
    const { cookie } = await editorSession();
    expect((await request("/api/preview", { ...init, headers: { ...init.headers, Cookie: cookie } })).status).toBe(401);
  });
});

describe("the trash and versions in the JSON API", () => {
  const AUTH = { Authorization: "Bearer test-admin-token-0123456789abcdef0123", "Content-Type": "application/json" };
  const put = (markdown: string) =>
    request("/api/posts/via-api", {
      method: "PUT",
      headers: AUTH,
      body: JSON.stringify({ title: "Via API", date: "2024-01-01T00:00:00Z", markdown }),
    });

  it("lists earlier versions, the trash, and restores through the API", async () => {
    await put("One.");
    await put("Two.");
    const versions = await (await request("/api/posts/via-api/revisions", { headers: AUTH })).json<any>();
    expect(versions.revisions).toHaveLength(1);
    expect(versions.revisions[0].source.markdown).toBe("One.");
    expect((await request("/api/posts/via-api", { method: "DELETE", headers: AUTH })).status).toBe(204);
    const trash = await (await request("/api/trash", { headers: AUTH })).json<any>();
    expect(trash.posts.map((p: any) => p.slug)).toEqual(["via-api"]);
    const restored = await request("/api/trash/via-api/restore", { method: "POST", headers: AUTH });
    expect(restored.status).toBe(200);
    expect((await restored.json<any>()).post.html).toContain("Two.");
    expect((await request("/api/trash/via-api/restore", { method: "POST", headers: AUTH })).status).toBe(404);
    expect((await request("/api/trash")).status).toBe(401);
  });
});
