import { reset, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { at, makePost, publish } from "./helpers";
import { addMember, ALPHA, FORM, OPERATOR, setUp, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const ORIGIN = { Origin: `https://${ALPHA}` };
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

async function owner() {
  await setUp();
  await addMember(ALPHA, "owner@example.org", "owner");
  await addMember(ALPHA, "ed@example.org", "editor");
  return { cookie: await signInAs(ALPHA, "owner@example.org"), editor: await signInAs(ALPHA, "ed@example.org") };
}

async function deleteBlog(cookie: string, confirm: string) {
  const page = await at(ALPHA, "/admin/delete", { headers: { Cookie: cookie } });
  expect(page.status).toBe(200);
  const body = `csrf=${encodeURIComponent(csrfIn(await page.text()))}&confirm=${encodeURIComponent(confirm)}`;
  return at(ALPHA, "/admin/delete", { method: "POST", headers: { ...FORM, ...ORIGIN, Cookie: cookie }, body });
}

const createAlpha = () =>
  at("blog.example", "/api/admin/blogs", {
    method: "POST",
    headers: OPERATOR,
    body: JSON.stringify({ name: "alpha", title: "Alpha again" }),
  });

describe("an owner deletes their blog", () => {
  it("types its name; readers get 404 at once; an owner restores it within the grace period", async () => {
    const { cookie, editor } = await owner();
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);
    // Editors cannot, and a wrong name deletes nothing.
    expect((await at(ALPHA, "/admin/delete", { headers: { Cookie: editor } })).status).toBe(403);
    const wrong = await deleteBlog(cookie, "alpah");
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("The name typed is not alpha: nothing was deleted.");
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);

    const done = await deleteBlog(cookie, "alpha");
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/admin");
    for (const path of ["/", "/posts/hello", "/feed.xml", "/api/posts", "/follow"]) expect((await at(ALPHA, path)).status, path).toBe(404);
    // Its name is not free.
    expect((await createAlpha()).status).toBe(409);
    // Its members still sign in; the administration says when it goes, and only owners may restore it.
    const closed = await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text();
    expect(closed).toContain("This blog is deleted");
    expect(closed).toContain('action="/admin/restore"');
    const seenByEditor = await (await at(ALPHA, "/admin", { headers: { Cookie: editor } })).text();
    expect(seenByEditor).toContain("Only an owner of the blog can restore it.");
    expect(seenByEditor).not.toContain('action="/admin/restore"');
    const settings = await at(ALPHA, "/admin/settings", { headers: { Cookie: cookie } });
    expect(settings.status).toBe(303);
    expect(settings.headers.get("location")).toBe("/admin");
    const restoreAs = (who: string) =>
      at(ALPHA, "/admin/restore", {
        method: "POST",
        headers: { ...FORM, ...ORIGIN, Cookie: who },
        body: `csrf=${encodeURIComponent(csrfIn(closed))}`,
      });
    expect((await restoreAs(editor)).status).toBe(403);
    // An early alarm purges nothing: the grace is not over.
    await runDurableObjectAlarm(env.BLOG.get(env.BLOG.idFromName("alpha")));
    const restored = await restoreAs(cookie);
    expect(restored.status).toBe(303);
    expect(await (await at(ALPHA, "/admin?blogRestored", { headers: { Cookie: cookie } })).text()).toContain("The blog is back");
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);
    const log = (await (await at(ALPHA, "/api/audit", { headers: OPERATOR })).json().catch(() => null)) as any;
    if (log?.entries)
      expect(log.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["blog.closed", "blog.restored"]));
  });

  it("after the grace period everything goes, and the name is free for a new blog that sees none of it", { timeout: 30_000 }, async () => {
    const { cookie } = await owner();
    expect((await deleteBlog(cookie, "alpha")).status).toBe(303);
    const stub = env.BLOG.get(env.BLOG.idFromName("alpha"));
    // Seven days pass.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE blog SET purge_at = ?", new Date(Date.now() - 1000).toISOString());
    });
    let again: Response | null = null;
    for (let i = 0; i < 400; i++) {
      await runDurableObjectAlarm(stub);
      again = await createAlpha();
      if (again.status !== 409) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(again!.status).toBe(201);
    expect((await env.POSTS.list({ prefix: "blog:alpha:" })).keys).toEqual([]);
    expect((await at(ALPHA, "/posts/hello")).status).toBe(404);
    // The old members are not the new blog's.
    expect((await at(ALPHA, "/admin/settings", { headers: { Cookie: cookie } })).status).toBe(303);
    await publish([makePost({ slug: "fresh" })], new Date(), "alpha");
    expect((await at(ALPHA, "/posts/fresh")).status).toBe(200);
  });

  it("through the API too: an owner's token, the name as confirm; restored within the grace", async () => {
    await owner();
    const api = (path: string, init: RequestInit = {}) =>
      at(ALPHA, path, {
        ...init,
        headers: { Authorization: "Bearer test-admin-token-0123456789abcdef0123", "Content-Type": "application/json", ...init.headers },
      });
    expect((await api("/api/blog", { method: "DELETE", body: JSON.stringify({ confirm: "beta" }) })).status).toBe(400);
    expect((await api("/api/blog", { method: "DELETE", body: "{}" })).status).toBe(400);
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);
    const closed = await api("/api/blog", { method: "DELETE", body: JSON.stringify({ confirm: "alpha" }) });
    expect(closed.status).toBe(202);
    const { blog } = (await closed.json()) as { blog: { state: string; purgeAt: string } };
    expect(blog.state).toBe("closed");
    expect(Date.parse(blog.purgeAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await at(ALPHA, "/posts/hello")).status).toBe(404);
    expect((await api("/api/posts")).status).toBe(404);
    const back = await api("/api/blog/restore", { method: "POST" });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { blog: { state: string } }).blog.state).toBe("active");
    expect((await at(ALPHA, "/posts/hello")).status).toBe(200);
    expect((await api("/api/blog/restore", { method: "POST" })).status).toBe(404);
  });

  it("the platform's main blog cannot be deleted this way", async () => {
    const login = await at("blog.example", "/admin/login", {
      method: "POST",
      headers: { ...FORM, Origin: "https://blog.example" },
      body: "token=test-admin-token-0123456789abcdef0123",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = await at("blog.example", "/admin/delete", { headers: { Cookie: cookie } });
    expect(await page.text()).toContain("main blog cannot be deleted.");
    const settings = await (await at("blog.example", "/admin/settings", { headers: { Cookie: cookie } })).text();
    expect(settings).not.toContain('href="/admin/delete"');
  });
});
