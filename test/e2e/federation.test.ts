import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, launchChromium, publish, ROOT, startDev, type DevServer } from "./processes";
import { type Peer, startPeer } from "./peer";

let work: string;
let server: DevServer;
let ann: Peer;
let bob: Peer;
let blog: string;
let actor: string;
const figures: string[] = [];

const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };

async function putPost(slug: string, title: string, date: Date): Promise<number> {
  const res = await fetch(`${blog}/api/posts/${slug}`, {
    method: "PUT",
    headers: AUTH,
    body: JSON.stringify({ title, date: date.toISOString(), markdown: `The text of ${title}.` }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return Date.now();
}

const createFor = (slug: string) => (d: { activity: any }) =>
  d.activity?.type === "Create" && d.activity.object?.id === `${blog}/posts/${slug}`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-federation-"));
  const state = join(work, "state");
  const first = await publish("--posts", join(ROOT, "posts"), "--persist-to", state);
  expect(first.code, first.output).toBe(0);
  server = await startDev(state, (port) => [
    "-c",
    join(ROOT, "wrangler.toml"),
    "-c",
    join(ROOT, "federation/wrangler.toml"),
    "--test-scheduled",
    "--var",
    `ADMIN_TOKEN:${ADMIN_TOKEN}`,
    "--var",
    "PAGE_CACHE_SECONDS:0",
    "--var",
    `BASE_URL:http://127.0.0.1:${port}`,
    "--var",
    "FEDERATION_ALLOW_PRIVATE:true",
  ]);
  blog = server.url;
  actor = `${blog}/ap/users/main`;
  [ann, bob] = await Promise.all([startPeer("ann"), startPeer("bob")]);
}, 180_000);

afterAll(async () => {
  if (figures.length) console.log(`Federation figures (wrangler dev, local Queue):\n  ${figures.join("\n  ")}`);
  await Promise.all([ann?.close(), bob?.close()]);
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("following the blog from another ActivityPub server", () => {
  it("finds the blog by WebFinger and follows it; the Accept arrives", async () => {
    const host = new URL(blog).host;
    const jrd = JSON.parse((await ann.get(`${blog}/.well-known/webfinger?resource=acct:main@${host}`, "application/jrd+json")).body);
    const self = jrd.links.find((l: any) => l.rel === "self");
    expect(self.href).toBe(actor);
    const person = JSON.parse((await ann.get(actor)).body);
    expect(person.inbox).toBe(`${actor}/inbox`);

    for (const peer of [ann, bob]) {
      const follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${peer.actor}#follows/1`,
        type: "Follow",
        actor: peer.actor,
        object: actor,
      };
      const res = await peer.post(person.inbox, follow);
      expect(res.status, res.body).toBeLessThan(300);
      const accept = await peer.waitFor((d) => d.activity?.type === "Accept");
      expect(accept.activity.actor).toBe(actor);
      expect(accept.signature?.toLowerCase()).toContain(`keyid="${actor}#`.toLowerCase());
    }
    expect(JSON.parse((await ann.get(`${actor}/followers`)).body).totalItems).toBe(2);
  }, 60_000);

  it("delivers a newly published post as Create(Article) once, and the others are not held up by a follower that is down", async () => {
    // Fedify knocks twice (RFC 9421, then draft-cavage) before a failure counts: three 503s make a real retry.
    bob.failNext(3);
    const published = await putPost("hello-fediverse", "Hello, fediverse", new Date(Date.now() - 1000));
    const toAnn = await ann.waitFor(createFor("hello-fediverse"));
    expect(toAnn.activity.object.type).toBe("Article");
    expect(toAnn.activity.object.name).toBe("Hello, fediverse");
    const toBob = await bob.waitFor(createFor("hello-fediverse"), 60_000);
    figures.push(`publish → peer inbox: ${toAnn.at - published} ms`);
    figures.push(`publish → inbox of a peer that answered 503 first (retried with backoff): ${toBob.at - published} ms`);
    expect(toAnn.at).toBeLessThan(toBob.at);
    // Saving again without a change sends nothing more.
    await putPost("hello-fediverse", "Hello, fediverse", new Date(toAnn.activity.object.published));
    await new Promise((r) => setTimeout(r, 3000));
    expect(ann.inbox.filter(createFor("hello-fediverse"))).toHaveLength(1);
  }, 90_000);

  it("delivers a scheduled post when its time comes (the cron's pass)", async () => {
    const due = Date.now() + 8000;
    await putPost("later-today", "Later today", new Date(due));
    // Saved while still in the future: nothing goes out yet.
    await new Promise((r) => setTimeout(r, 1000));
    expect(ann.inbox.some(createFor("later-today"))).toBe(false);
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()) + 500));
    expect(ann.inbox.some(createFor("later-today"))).toBe(false);
    const cron = await fetch(`${blog}/__scheduled?cron=*/5+*+*+*+*`);
    expect(cron.status).toBe(200);
    const arrived = await ann.waitFor(createFor("later-today"));
    figures.push(`cron pass (after the scheduled time) → peer inbox: ${arrived.at - due - 500} ms`);
  }, 60_000);

  it("sends Update for an edit and Delete for a deletion", async () => {
    await putPost("hello-fediverse", "Hello again, fediverse", new Date(Date.now() - 60_000));
    const update = await ann.waitFor((d) => d.activity?.type === "Update" && d.activity.object?.id === `${blog}/posts/hello-fediverse`);
    expect(update.activity.object.name).toBe("Hello again, fediverse");
    await putPost("short-lived", "Short-lived", new Date(Date.now() - 1000));
    await ann.waitFor(createFor("short-lived"));
    expect((await fetch(`${blog}/api/posts/short-lived`, { method: "DELETE", headers: AUTH })).status).toBe(204);
    const del = await ann.waitFor((d) => d.activity?.type === "Delete");
    expect(del.activity.object.id ?? del.activity.object).toBe(`${blog}/posts/short-lived`);
  }, 60_000);

  it("turns a reply into a comment that appears live on the post page, threaded replies included", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${blog}/posts/hello-fediverse`);
      await page.waitForSelector('#comments[data-live="on"]', { state: "attached", timeout: 15_000 });
      const note = {
        id: `${ann.actor}/notes/1`,
        type: "Note",
        attributedTo: ann.actor,
        inReplyTo: `${blog}/posts/hello-fediverse`,
        content: `<p><span class="h-card"><a href="${actor}" class="u-url mention">@<span>main</span></a></span> Welcome to the <b>fediverse</b>!</p>`,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
      };
      const res = await ann.post(`${blog}/ap/inbox`, {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${ann.actor}/notes/1/activity`,
        type: "Create",
        actor: ann.actor,
        object: note,
      });
      expect(res.status, res.body).toBeLessThan(300);
      const comment = page.locator(".comment", { hasText: "Welcome to the fediverse!" });
      await comment.waitFor({ timeout: 15_000 });
      expect(await comment.locator(".comment-author").textContent()).toBe(`@ann@${new URL(ann.origin).host}`);
      // Raw HTML from a peer stays text: no <b> element from the peer.
      expect(await comment.locator(".comment-body b").count()).toBe(0);

      // A reply to that reply is threaded under it.
      await bob.post(`${blog}/ap/inbox`, {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${bob.actor}/notes/7/activity`,
        type: "Create",
        actor: bob.actor,
        object: { ...note, id: `${bob.actor}/notes/7`, attributedTo: bob.actor, inReplyTo: note.id, content: "<p>Agreed.</p>" },
      });
      await page.locator(".replies .comment", { hasText: "Agreed." }).waitFor({ timeout: 15_000 });

      // Its author deletes it: it goes.
      await ann.post(`${blog}/ap/inbox`, {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${ann.actor}/notes/1/delete`,
        type: "Delete",
        actor: ann.actor,
        object: note.id,
      });
      await page.waitForFunction(() => !document.body.textContent?.includes("Welcome to the fediverse!"), undefined, { timeout: 15_000 });
    } finally {
      await browser.close();
    }
  }, 90_000);

  it("counts a like and a boost and shows them on the post", async () => {
    const like = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ann.actor}/likes/1`,
      type: "Like",
      actor: ann.actor,
      object: `${blog}/posts/hello-fediverse`,
    };
    expect((await ann.post(`${blog}/ap/inbox`, like)).status).toBeLessThan(300);
    // The same activity again counts once.
    expect((await ann.post(`${blog}/ap/inbox`, like)).status).toBeLessThan(300);
    const boost = { ...like, id: `${bob.actor}/boosts/1`, type: "Announce", actor: bob.actor };
    expect((await bob.post(`${blog}/ap/inbox`, boost)).status).toBeLessThan(300);
    expect(await (await fetch(`${blog}/posts/hello-fediverse`)).text()).toContain("1 like and 1 boost from the fediverse");
  }, 30_000);

  it("refuses unsigned and replayed activities (401) and replies to unknown posts (404), storing nothing", async () => {
    const create = (id: string, slug: string) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ann.actor}/x/${id}`,
      type: "Create",
      actor: ann.actor,
      object: {
        id: `${ann.actor}/n/${id}`,
        type: "Note",
        attributedTo: ann.actor,
        inReplyTo: `${blog}/posts/${slug}`,
        content: `<p>${id}</p>`,
      },
    });
    expect((await ann.post(`${blog}/ap/inbox`, create("unsigned", "hello-fediverse"), { sign: false })).status).toBe(401);
    const old = new Date(Date.now() - 3 * 3600_000);
    expect((await ann.post(`${blog}/ap/inbox`, create("replayed", "hello-fediverse"), { date: old })).status).toBe(401);
    expect((await ann.post(`${blog}/ap/inbox`, create("lost", "no-such-post"))).status).toBe(404);
    const html = await (await fetch(`${blog}/posts/hello-fediverse`)).text();
    expect(html).not.toContain("unsigned");
    expect(html).not.toContain("replayed");
  }, 30_000);

  it("stops delivering after Undo(Follow)", async () => {
    const undo = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${ann.actor}#follows/1/undo`,
      type: "Undo",
      actor: ann.actor,
      object: { id: `${ann.actor}#follows/1`, type: "Follow", actor: ann.actor, object: actor },
    };
    expect((await ann.post(`${blog}/ap/inbox`, undo)).status).toBeLessThan(300);
    await putPost("after-undo", "After the undo", new Date(Date.now() - 1000));
    await bob.waitFor(createFor("after-undo"));
    await new Promise((r) => setTimeout(r, 2000));
    expect(ann.inbox.some(createFor("after-undo"))).toBe(false);
    expect(JSON.parse((await ann.get(`${actor}/followers`)).body).totalItems).toBe(1);
  }, 60_000);
});
