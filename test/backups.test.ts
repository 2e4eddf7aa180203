import { createScheduledController, createExecutionContext, reset, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { BACKUP_CRON, type BackupsService, type PointView, backupKeys } from "../src/core/backups";
import { keysFor, kvMetadata, sourceChunk } from "../src/core/keys";
import type { SourceRecord, SourcesChunk } from "../src/core/types";
import { forgetBlogRecords } from "../src/data/blogs";
import { bornOf } from "../src/data/exports";
import { subscribers } from "../src/data/objects";
import { at, createBlog, makePost, publish } from "./helpers";
import { ALPHA, addMember, BETA, OPERATOR, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const backups = () => env.BACKUPS as unknown as BackupsService;
const send = (method: string, body: unknown) => ({ method, headers: OPERATOR, body: JSON.stringify(body) });
const hourAgo = (n = 1) => new Date(Date.now() - n * 3_600_000).toISOString();

async function points(host = ALPHA): Promise<PointView[]> {
  const res = await at(host, "/api/backups", { headers: OPERATOR });
  expect(res.status).toBe(200);
  return ((await res.json()) as { points: PointView[] }).points;
}

/** Waits (the jobs queue runs the backups) until the blog has `n` points. */
async function pointsUntil(n: number, host = ALPHA): Promise<PointView[]> {
  for (let i = 0; i < 400; i++) {
    const now = await points(host);
    if (now.length >= n) return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${n} backup points`);
}

async function backUpNow(host = ALPHA): Promise<PointView[]> {
  const before = (await points(host)).length;
  expect((await at(host, "/api/backups", { method: "POST", headers: OPERATOR })).status).toBe(202);
  return pointsUntil(before + 1, host);
}

async function comment(slug: string, author: string, body: string, email?: string): Promise<number> {
  const res = await at(ALPHA, `/api/posts/${slug}/comments`, send("POST", { author, body, ...(email ? { email } : {}) }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { comment: { id: number } }).comment.id;
}

async function commentsOf(slug: string): Promise<{ author: string; body: string }[]> {
  const res = await at(ALPHA, `/api/posts/${slug}/comments`, { headers: OPERATOR });
  return ((await res.json()) as { comments: { author: string; body: string }[] }).comments;
}

const titleOf = async (slug: string) => {
  const res = await at(ALPHA, `/api/posts/${slug}`);
  return res.status === 200 ? ((await res.json()) as { post: { title: string } }).post.title : res.status;
};

/** Waits until the count keys carry the threads' fingerprints (a thread writes its key at most once a second). */
async function countKeysSettled(blog: string, slugs: string[]) {
  const keys = keysFor(blog);
  for (let i = 0; i < 100; i++) {
    const listed = await env.POSTS.list<{ h?: string }>({ prefix: keys.commentCount("") });
    const versions = await Promise.all(slugs.map(async (s) => JSON.parse((await env.POSTS.get(keys.commentCount(s))) ?? "{}").v));
    if (listed.keys.length >= slugs.length && listed.keys.every((k) => k.metadata?.h) && versions.every((v) => v !== undefined)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("nightly backups", () => {
  it("the night's cron backs up every blog, and a point copies only what changed", { timeout: 60_000 }, async () => {
    await createBlog("alpha", "Alpha");
    await createBlog("beta", "Beta");
    await publish(
      [makePost({ slug: "first", title: "First", date: hourAgo(2) }), makePost({ slug: "second", date: hourAgo() })],
      new Date(),
      "alpha",
    );
    await publish([makePost({ slug: "elsewhere", date: hourAgo() })], new Date(), "beta");
    await comment("first", "Ana", "Hello", "ana@example.net");
    expect((await at(ALPHA, "/api/subscribe", send("POST", { email: "reader@example.net" }))).status).toBe(202);
    await countKeysSettled("alpha", ["first"]);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: BACKUP_CRON, scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const [alpha] = await pointsUntil(1);
    expect(alpha).toMatchObject({ label: "nightly", counts: { posts: 2, threads: 1, comments: 1, subscribers: 1 } });
    expect((await pointsUntil(1, BETA))[0]!.counts.posts).toBe(1);
    // The main blog too (it has no posts here).
    expect((await backups().points("main", bornOf(null))).length).toBe(1);

    // The same night again (the queue delivered it twice): no second point.
    const again = await backups().point({ blog: "alpha", born: await bornOfBlog("alpha"), label: "nightly", at: new Date().toISOString() });
    expect(again.skipped).toBe(true);

    // One post changed: one sources key read, one object and the point written; the thread not asked.
    expect(
      (await at(ALPHA, "/api/posts/second", send("PUT", { title: "Second, changed", date: hourAgo(), markdown: "New text." }))).status,
    ).toBe(200);
    const next = await backups().point({ blog: "alpha", born: await bornOfBlog("alpha"), label: "manual", at: new Date().toISOString() });
    expect(next.cost).toMatchObject({ kvLists: 2, kvReads: 3, threadsAsked: 0, r2Writes: 2 });
    // Nothing changed since: the key the editor wrote carries its hash too, so nothing but the record and stylesheet is read.
    const quiet = await backups().point({ blog: "alpha", born: await bornOfBlog("alpha"), label: "manual", at: new Date().toISOString() });
    expect(quiet.cost).toMatchObject({ kvLists: 2, kvReads: 2, threadsAsked: 0, r2Writes: 1 });
  });

  it("at 10,000 posts with one changed, a night reads one sources key (not the blog)", { timeout: 120_000 }, async () => {
    await createBlog("alpha", "Alpha");
    const keys = keysFor("alpha");
    const chunks = new Map<number, SourcesChunk>();
    for (let i = 0; i < 10_000; i++) {
      const post = makePost({ slug: `post-${i}`, title: `Post ${i}`, markdown: `Text of post ${i}. `.repeat(20) });
      const n = sourceChunk(post.slug);
      if (!chunks.has(n)) chunks.set(n, { v: 1, posts: {} });
      chunks.get(n)!.posts[post.slug] = { ...post, origin: "file" } as SourceRecord;
    }
    const write = (n: number, chunk: SourcesChunk) => {
      const value = JSON.stringify(chunk);
      return env.POSTS.put(keys.sources(n), value, { metadata: kvMetadata(keys.sources(n), value) });
    };
    // 50 of them published by the publish path (their pages exist: readers comment on them), then all 10,000 sources.
    const commented = Array.from({ length: 50 }, (_, i) => `post-${i * 200}`);
    await publish(
      commented.map((slug) => makePost({ slug, date: hourAgo() })),
      new Date(),
      "alpha",
    );
    for (const slug of commented)
      chunks.get(sourceChunk(slug))!.posts[slug] = { ...makePost({ slug, date: hourAgo() }), origin: "file" } as SourceRecord;
    await Promise.all([...chunks].map(([n, c]) => write(n, c)));
    for (let i = 0; i < 50; i++) await comment(`post-${i * 200}`, "Reader", `Comment ${i}`);
    await countKeysSettled(
      "alpha",
      Array.from({ length: 50 }, (_, i) => `post-${i * 200}`),
    );
    const born = await bornOfBlog("alpha");
    // A first night asks every thread: a run asks so many at most, and the next message finishes the same point.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const part = await backups().point({ blog: "alpha", born, label: "nightly", at: yesterday, threads: 20 });
    expect(part.manifest.complete).toBe(false);
    expect(part.cost.threadsAsked).toBeLessThanOrEqual(20);
    // Not offered to the owner while it is being finished (nor restorable).
    expect(await backups().points("alpha", born)).toEqual([]);
    expect(((await (await at(ALPHA, "/api/backups", { headers: OPERATOR })).json()) as { points: unknown[] }).points).toEqual([]);
    let first = part;
    for (let run = 0; run < 10 && first.manifest.complete === false; run++)
      first = await backups().point({ blog: "alpha", born, label: "nightly", at: yesterday, threads: 20 });
    expect(first.manifest).toMatchObject({ id: part.manifest.id, complete: true, counts: { posts: 10_000, threads: 50, comments: 50 } });
    expect(first.skipped).toBe(false);
    expect((await backups().points("alpha", born)).length).toBe(1);

    const n = sourceChunk("post-1234");
    chunks.get(n)!.posts["post-1234"]!.title = "Changed";
    await write(n, chunks.get(n)!);
    const night = await backups().point({ blog: "alpha", born, label: "nightly", at: new Date().toISOString() });
    // Two listings (64 sources keys, 50 count keys), the changed key, the record and the stylesheet; one object and the point.
    expect(night.cost).toMatchObject({ kvLists: 2, kvReads: 3, threadsAsked: 0, r2Reads: 1, r2Writes: 2 });
    expect(night.cost.bytesWritten).toBeLessThan(part.cost.bytesWritten / 20);
    console.log(
      `backups at 10,000 posts: first night's first run ${JSON.stringify(part.cost)}; one post changed ${JSON.stringify(night.cost)}`,
    );
    const restored = await backups().postOf("alpha", born, night.manifest.id, "post-1234");
    expect(restored?.title).toBe("Changed");
    expect((await backups().postOf("alpha", born, first.manifest.id, "post-1234"))?.title).toBe("Post 1234");
  });
});

async function bornOfBlog(name: string): Promise<string> {
  const record = JSON.parse((await env.POSTS.get(`platform:blog:${name}`)) ?? "{}") as { createdAt?: string };
  return bornOf(record.createdAt);
}

describe("restoring from a backup", () => {
  it("puts back a post, a thread, or the whole blog, through the same paths as an edit", { timeout: 60_000 }, async () => {
    await createBlog("alpha", "Alpha");
    await publish(
      [
        makePost({ slug: "kept", title: "Kept", date: hourAgo(3) }),
        makePost({ slug: "edited", title: "Original title", date: hourAgo(2) }),
      ],
      new Date(),
      "alpha",
    );
    const first = await comment("kept", "Ana", "First comment", "ana@example.net");
    await comment("kept", "Bo", "Second comment", "bo@example.net");
    expect((await at(ALPHA, "/api/subscribe", send("POST", { email: "reader@example.net" }))).status).toBe(202);
    await countKeysSettled("alpha", ["kept"]);
    const [point] = await backUpNow();

    // Changes after the point.
    expect((await at(ALPHA, "/api/posts/edited", send("PUT", { title: "Ruined title", date: hourAgo(2), markdown: "Oops." }))).status).toBe(
      200,
    );
    expect((await at(ALPHA, "/api/posts/newer", send("PUT", { title: "Written later", date: hourAgo(), markdown: "Later." }))).status).toBe(
      201,
    );
    expect((await at(ALPHA, `/api/posts/kept/comments/${first}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    expect((await at(ALPHA, "/api/admin/blogs/alpha", send("PATCH", { title: "Renamed blog" }))).status).toBe(200);

    // One post.
    const post = await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { post: "edited" }));
    expect(post.status).toBe(200);
    expect(await post.json()).toMatchObject({ post: { slug: "edited", title: "Original title", status: "published" } });
    expect(await titleOf("edited")).toBe("Original title");
    // The version it replaced stays in the post's history.
    const revisions = (await (await at(ALPHA, "/api/posts/edited/revisions", { headers: OPERATOR })).json()) as {
      revisions: { title: string }[];
    };
    expect(revisions.revisions.map((r) => r.title)).toContain("Ruined title");
    // A post the point did not have, and a point that is not there.
    expect((await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { post: "newer" }))).status).toBe(404);
    expect((await at(ALPHA, "/api/backups/20200101T000000Z/restore", send("POST", { post: "kept" }))).status).toBe(404);
    expect((await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { nothing: 1 }))).status).toBe(400);

    // One thread, with a reader listening live.
    expect((await commentsOf("kept")).map((c) => c.author)).toEqual(["Bo"]);
    const live = await at(ALPHA, "/api/posts/kept/comments/live", { headers: { Upgrade: "websocket" } });
    const heard: { type: string; version?: number; count?: number }[] = [];
    live.webSocket!.addEventListener("message", (e) => heard.push(JSON.parse(e.data as string)));
    live.webSocket!.accept();
    await vi.waitFor(() => expect(heard[0]?.type).toBe("hello"));
    const thread = await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { comments: "kept" }));
    expect(await thread.json()).toMatchObject({ comments: { slug: "kept", restored: true } });
    // Greeted again with the thread's new version: the page's script fetches the thread anew (public/live-comments.js).
    await vi.waitFor(() => expect(heard.at(-1)).toEqual({ type: "hello", count: 2, version: heard[0]!.version! + 1 }));
    live.webSocket!.close();
    expect((await commentsOf("kept")).map((c) => c.author)).toEqual(["Ana", "Bo"]);
    // Readers see it: the post's page shows the comment again.
    expect(await (await at(ALPHA, "/posts/kept")).text()).toContain("First comment");

    // The whole blog: a confirmation by name, then a job in steps.
    expect((await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { blog: "beta" }))).status).toBe(400);
    const started = await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { blog: "alpha" }));
    expect(started.status).toBe(202);
    const { restore } = (await started.json()) as { restore: { id: string; status: string } };
    let state: any = restore;
    for (let i = 0; i < 600 && state.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = ((await (await at(ALPHA, `/api/backups/restores/${restore.id}`, { headers: OPERATOR })).json()) as { restore: any }).restore;
    }
    expect(state).toMatchObject({ status: "done", counts: { removed: 1, settings: true } });
    expect(await titleOf("newer")).toBe(404);
    const trash = (await (await at(ALPHA, "/api/trash", { headers: OPERATOR })).json()) as { posts: { slug: string }[] };
    expect(trash.posts.map((p) => p.slug)).toContain("newer");
    expect(await (await at(ALPHA, "/")).text()).toContain("Alpha");
    // A point of the blog as it was just before: the restore can be undone.
    const after = await points();
    expect(after.map((p) => p.label)).toContain("before-restore");
    expect(state.before).toBeTruthy();
  });

  it("leaves out people erased on request since the point", { timeout: 60_000 }, async () => {
    await createBlog("alpha", "Alpha");
    await publish([makePost({ slug: "kept", date: hourAgo() })], new Date(), "alpha");
    await comment("kept", "Ana", "Ana's words", "ana@example.net");
    await comment("kept", "Bo", "Bo's words", "bo@example.net");
    expect((await at(ALPHA, "/api/subscribe", send("POST", { email: "ana@example.net" }))).status).toBe(202);
    await countKeysSettled("alpha", ["kept"]);
    const [point] = await backUpNow();
    const erased = await at(ALPHA, "/api/erasure", send("POST", { email: "ana@example.net", comments: "anonymize" }));
    expect(erased.status).toBe(202);
    const { erasure } = (await erased.json()) as { erasure: { id: string } };
    for (let i = 0; i < 200; i++) {
      const s = ((await (await at(ALPHA, `/api/erasure/${erasure.id}`, { headers: OPERATOR })).json()) as { erasure: { status: string } })
        .erasure;
      if (s.status === "done") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Bo's comment goes after the erasure; the restore brings it back, and Ana only as a former reader.
    const bo = (await (await at(ALPHA, "/api/posts/kept/comments", { headers: OPERATOR })).json()) as {
      comments: { id: number; author: string }[];
    };
    const boId = bo.comments.find((c) => c.author === "Bo")!.id;
    expect((await at(ALPHA, `/api/posts/kept/comments/${boId}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    expect((await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { comments: "kept" }))).status).toBe(200);
    const authors = (await commentsOf("kept")).map((c) => c.author);
    expect(authors).toEqual(["A former reader", "Bo"]);
    const stored = JSON.stringify(await (await at(ALPHA, "/api/posts/kept/comments", { headers: OPERATOR })).json());
    expect(stored).not.toContain("ana@example.net");
    // Nor does a whole restore put the address back on the list.
    const started = await at(ALPHA, `/api/backups/${point!.id}/restore`, send("POST", { blog: "alpha" }));
    const { restore } = (await started.json()) as { restore: { id: string } };
    let state: any = { status: "running" };
    for (let i = 0; i < 600 && state.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = ((await (await at(ALPHA, `/api/backups/restores/${restore.id}`, { headers: OPERATOR })).json()) as { restore: any }).restore;
    }
    expect(state.status).toBe("done");
    const csv = await subscribers(env, "alpha").csv();
    expect(csv).not.toContain("ana@example.net");
    const erasedList = await env.ARCHIVES.get(backupKeys("alpha", await bornOfBlog("alpha")).erased);
    expect(await erasedList!.text()).not.toContain("ana@example.net");
  });

  it("is for owners only, and never shows another blog's (or an earlier blog of the same name's) points", { timeout: 60_000 }, async () => {
    await createBlog("alpha", "Alpha");
    await createBlog("beta", "Beta");
    await publish([makePost({ slug: "kept", date: hourAgo() })], new Date(), "alpha");
    await addMember(ALPHA, "owner@example.org", "owner");
    await addMember(ALPHA, "editor@example.org", "editor");
    const owner = await signInAs(ALPHA, "owner@example.org");
    const editor = await signInAs(ALPHA, "editor@example.org");
    expect((await at(ALPHA, "/admin/backups", { headers: { Cookie: editor } })).status).toBe(403);
    expect((await at(ALPHA, "/api/backups", { headers: { Cookie: editor } })).status).toBe(403);
    expect((await at(ALPHA, "/api/backups", { method: "POST" })).status).toBe(401);

    // The owner's page: "Back up now", then the point listed, then a post restored from the form.
    const page = await (await at(ALPHA, "/admin/backups", { headers: { Cookie: owner } })).text();
    expect(page).toContain("No backup yet");
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = (body: string) => ({
      method: "POST",
      headers: { Cookie: owner, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect((await at(ALPHA, "/admin/backups", form(`csrf=${csrf}`))).status).toBe(303);
    const [point] = await pointsUntil(1);
    expect((await at(ALPHA, "/api/posts/kept", send("PUT", { title: "Changed", date: hourAgo(), markdown: "x" }))).status).toBe(200);
    const shown = await at(
      ALPHA,
      "/admin/backups/restore",
      form(`csrf=${csrf}&point=${point!.id}&what=post&slug=${encodeURIComponent("http://alpha.localhost/posts/kept")}`),
    );
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("is back as it was on");
    expect(await titleOf("kept")).not.toBe("Changed");
    const wrong = await at(ALPHA, "/admin/backups/restore", form(`csrf=${csrf}&point=${point!.id}&what=blog&confirm=beta`));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Type the blog&#39;s name exactly");

    // Beta sees none of alpha's; a point id of alpha's restores nothing on beta.
    expect(await points(BETA)).toEqual([]);
    expect((await at(BETA, `/api/backups/${point!.id}/restore`, send("POST", { post: "kept" }))).status).toBe(404);
    // A new blog under a deleted one's name starts without its points (they live under the old blog's birth).
    const born = await bornOfBlog("alpha");
    const keys = await env.ARCHIVES.list({ prefix: "alpha/" });
    expect(keys.objects.length).toBeGreaterThan(0);
    expect(keys.objects.every((o) => o.key.startsWith(`alpha/${born}/backups/`))).toBe(true);
  });
});
