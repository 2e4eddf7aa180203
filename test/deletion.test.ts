import { reset, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { FederationApi } from "../src/core/federation";
import { blogRoot, platformKeys } from "../src/core/keys";
import { mediaPrefix } from "../src/core/media";
import { blogObject, forgetBlogRecords } from "../src/data/blogs";
import { directoryRow } from "../src/data/directory";
import type { Domain } from "../src/platform/domain";
import { commentThread } from "../src/data/comments";
import { accounts, person, sessions, siteEditor, subscribers } from "../src/data/objects";
import { ADMIN_TOKEN, at, createBlog, makePost, publish, request } from "./helpers";
import { PNG } from "./fixtures/images";
import { addMember, signInAs } from "./people-helpers";
import { peerActor, signedPost } from "./peer";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
const NAME = "delta";
const HOST = `${NAME}.localhost`;
const DOMAIN = "delta.example";
const HOSTS = [HOST, DOMAIN];
/** The old blog's title: the blog created again under its name has another. */
const OLD_TITLE = "Delta";
const OWNER = "old-owner@example.org";
const oldRecord = (text: string | null) => (text && (JSON.parse(text) as { title: string }).title === OLD_TITLE ? [text] : []);
const federation = () => env.FEDERATION as unknown as FederationApi;

/**
 * Every binding of the worker that can hold something of a blog, with how to ask it whether it
 * still holds anything of blog `NAME`. A binding added to wrangler.toml without a line here fails
 * the first test: deleting a blog must reach every store.
 */
const STORES: Record<string, () => Promise<string[]>> = {
  POSTS: async () => [
    ...(await env.POSTS.list({ prefix: blogRoot(NAME) })).keys.map((k) => `KV ${k.name}`),
    ...oldRecord(await env.POSTS.get(platformKeys.blog(NAME))).map(() => `KV ${platformKeys.blog(NAME)}`),
    ...((await env.POSTS.get(platformKeys.domain(DOMAIN))) ? [`KV ${platformKeys.domain(DOMAIN)}`] : []),
  ],
  MEDIA: async () => (await env.MEDIA.list({ prefix: mediaPrefix(NAME) })).objects.map((o) => `R2 ${o.key}`),
  // Owners' exports, under the blog's name (each creation of it apart).
  ARCHIVES: async () => (await env.ARCHIVES.list({ prefix: `${NAME}/` })).objects.map((o) => `R2 ${o.key}`),
  COMMENTS: async () => {
    const { held, recent } = await commentThread(env, NAME, "doomed").moderation(50, 50);
    return [...held, ...recent].map((c) => `comment ${c.id} by ${c.author}`);
  },
  SUBSCRIBERS: async () => {
    const counts = (await subscribers(env, NAME).counts()) as Record<string, number>;
    const outbox = await subscribers(env, NAME).outbox();
    return [
      ...Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k} subscriber(s)`),
      ...outbox.map((m) => `mail to ${m.to}`),
    ];
  },
  EDITOR: async () => {
    const editor = siteEditor(env, NAME);
    const [posts, trash, revisions] = await Promise.all([editor.list(NAME), editor.trash(), editor.revisions("drafted")]);
    return [...posts.map((p) => `post ${p.slug}`), ...trash.map((p) => `trashed ${p.slug}`), ...revisions.map((r) => `revision ${r.id}`)];
  },
  // Sessions are kept per blog, and signed for one creation of it (its name and creation time).
  SESSIONS: async () => {
    const open = await sessions(env, NAME).count();
    return open ? [`${open} open session(s)`] : [];
  },
  // The old single registry: only read by the upgrade (test/upgrade.test.ts).
  BLOGS: async () => [],
  BLOG: async () => {
    const record = await blogObject(env, NAME).get();
    return record?.title === OLD_TITLE ? [`the Blog object's record of "${OLD_TITLE}"`] : [];
  },
  DOMAINS: async () => {
    const holder = await (env.DOMAINS.get(env.DOMAINS.idFromName(DOMAIN)) as unknown as Domain).holder();
    return holder ? [`${DOMAIN} held by ${holder}`] : [];
  },
  PLATFORM: async () => {
    const row = await directoryRow(env.PLATFORM, NAME);
    return row?.title === OLD_TITLE ? [`directory row of "${OLD_TITLE}"`] : [];
  },
  ACCOUNTS: async () => {
    const [members, log] = await Promise.all([accounts(env, NAME).members(NAME), accounts(env, NAME).auditLog(NAME, 0, 100)]);
    return [...members.map((m) => `member ${m.email}`), ...log.entries.map((e) => `audit ${e.action}`)];
  },
  // A person's object lists the blogs they joined ("sign out everywhere"): the deleted one goes from it.
  PEOPLE: async () => ((await (await person(env, OWNER)).blogs()).includes(NAME) ? [`${OWNER}'s list of blogs`] : []),
  STATS_DB: async () => {
    // Its tables are made by the first batch counted.
    const row = await env.STATS_DB.prepare("SELECT SUM(views) AS views FROM stats_days WHERE blog = ?")
      .bind(NAME)
      .first<{ views: number | null }>()
      .catch(() => null);
    return row?.views ? [`${row.views} counted views`] : [];
  },
  FEDERATION: async () => ((await federation().holdsBlog(NAME, HOSTS)) ? ["federation state or Fedify KV entries"] : []),
};
/**
 * Bindings that hold nothing of any blog (ADDRESSES: requests counted per network address, gone
 * within a day; ASSETS: the static files; JOBS: a queued step names a blog and holds nothing of it:
 * it works on what the blog's objects still hold, and not at all for a blog that is not active;
 * HIGHLIGHT, EXPORTER and BACKUPS: the federation worker's code highlighter, which keeps nothing, and its
 * export and backup builders, which write into ARCHIVES; STATS_QUEUE: batches of
 * counts on their way to STATS_DB, for a few seconds).
 */
const NOT_BLOG_DATA = new Set(["PEER", "ADDRESSES", "ASSETS", "JOBS", "HIGHLIGHT", "EXPORTER", "BACKUPS", "STATS_QUEUE"]);

describe("deleting a blog", () => {
  it("reaches every store a blog can write to", () => {
    const bindings = Object.entries(env)
      .filter(([, value]) => typeof value === "object" && value !== null)
      .map(([name]) => name)
      .filter((name) => !NOT_BLOG_DATA.has(name) && !name.startsWith("__VITEST_POOL_WORKERS_"));
    expect(bindings.sort()).toEqual(Object.keys(STORES).sort());
  });

  it("leaves nothing a new blog of the same name could see, in any store", { timeout: 30_000 }, async () => {
    await createBlog(NAME, OLD_TITLE);
    const attached = await request(`/api/admin/blogs/${NAME}`, {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ domains: [DOMAIN] }),
    });
    expect(attached.status).toBe(200);
    await publish([makePost({ slug: "doomed", title: "Doomed", date: new Date(Date.now() - 3_600_000).toISOString() })], new Date(), NAME);
    const json = (path: string, body: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
      at(HOST, path, { method: "POST", headers, body: JSON.stringify(body) });
    expect((await json("/api/posts/doomed/comments", { author: "Reader", body: "an old comment" })).status).toBe(201);
    expect((await json("/api/subscribe", { email: "reader@example.net" })).status).toBe(202);
    // A member signed in on the blog: an open session in its Sessions object.
    await addMember(HOST, OWNER, "owner");
    await signInAs(HOST, OWNER);
    const drafted = await at(HOST, "/api/posts/drafted", {
      method: "PUT",
      headers: OPERATOR,
      body: JSON.stringify({ title: "Drafted", date: new Date().toISOString(), markdown: "old words", draft: true }),
    });
    expect(drafted.status).toBe(201);
    const upload = await at(HOST, "/api/media", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "image/png", "X-File-Name": "old.png" },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    const oldImage = ((await upload.json()) as { media: { url: string } }).media.url;
    const oldActor = (await (await at(HOST, `/ap/users/${NAME}`, { headers: { Accept: "application/activity+json" } })).json()) as any;
    const follow = await signedPost(HOST, `/ap/users/${NAME}/inbox`, {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peerActor()}#follows/1`,
      type: "Follow",
      actor: peerActor(),
      object: oldActor.id,
    });
    expect(follow.status).toBeLessThan(300);
    const followers = async () =>
      ((await (await at(HOST, `/ap/users/${NAME}/followers`, { headers: { Accept: "application/activity+json" } })).json()) as any)
        .totalItems;
    expect(await followers()).toBe(1);
    // An export of the whole blog, ready to download.
    const exported = await at(HOST, "/api/export", { method: "POST", headers: OPERATOR });
    expect(exported.status).toBe(202);
    for (let i = 0; i < 200 && !(await STORES.ARCHIVES!()).some((k) => k.endsWith("export.zip")); i++)
      await new Promise((r) => setTimeout(r, 50));
    // And a backup point (its manifest and objects are in ARCHIVES too).
    expect((await at(HOST, "/api/backups", { method: "POST", headers: OPERATOR })).status).toBe(202);
    for (let i = 0; i < 200 && !(await STORES.ARCHIVES!()).some((k) => k.includes("/backups/points/")); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await STORES.ARCHIVES!()).some((k) => k.includes("/backups/objects/"))).toBe(true);
    // A reader's view, counted (the queue's consumer adds it within a second or so).
    const browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect((await at(HOST, "/posts/doomed", { headers: { "User-Agent": browser } })).status).toBe(200);
    for (let i = 0; i < 80 && !(await STORES.STATS_DB!()).length; i++) await new Promise((r) => setTimeout(r, 250));
    // Every store holds something of the blog before it is deleted (so each probe below can fail).
    for (const [binding, probe] of Object.entries(STORES)) {
      if (binding === "BLOGS") continue;
      expect(await probe(), `${binding} before deletion`).not.toEqual([]);
    }

    expect((await request(`/api/admin/blogs/${NAME}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    const registry = env.BLOG.get(env.BLOG.idFromName(NAME));
    let again: Response | null = null;
    for (let i = 0; i < 400; i++) {
      await runDurableObjectAlarm(registry);
      again = await request("/api/admin/blogs", {
        method: "POST",
        headers: OPERATOR,
        body: JSON.stringify({ name: NAME, title: "Someone else's" }),
      });
      if (again.status !== 409) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(again!.status).toBe(201);

    for (const [binding, probe] of Object.entries(STORES)) expect(await probe(), `${binding} after deletion`).toEqual([]);
    // What a reader or the fediverse asks of the new blog: nothing of the old one.
    expect((await at(HOST, oldImage)).status).toBe(404);
    expect(((await (await at(HOST, "/api/media", { headers: OPERATOR })).json()) as { media: unknown[] }).media).toEqual([]);
    expect(await followers()).toBe(0);
    const newActor = (await (await at(HOST, `/ap/users/${NAME}`, { headers: { Accept: "application/activity+json" } })).json()) as any;
    expect(newActor.publicKey.publicKeyPem).not.toBe(oldActor.publicKey.publicKeyPem);
  });
});
