import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { commentThread } from "../src/data/comments";
import { ADMIN_TOKEN, at, createBlog, get, makePost, publish, request, signIn } from "./helpers";
import { say } from "../src/core/i18n";
import { CATALOGS } from "../src/core/i18n/all";
import { followBy, peerActor, peerDeliveries, peerDns, peerInbox, signedPost } from "./peer";

afterEach(async () => {
  await reset();
});

const AP = { Accept: "application/activity+json" };
const ACTIVITY = { "Content-Type": "application/activity+json" };

describe("GET /.well-known/webfinger", () => {
  it("answers the blog's handle with its actor", async () => {
    const res = await get("/.well-known/webfinger?resource=acct:main@blog.example");
    expect(res.status).toBe(200);
    const jrd = await res.json<any>();
    expect(jrd.subject).toBe("acct:main@blog.example");
    const self = jrd.links.find((l: any) => l.rel === "self");
    expect(self).toMatchObject({ type: "application/activity+json", href: "https://blog.example/ap/users/main" });
  });

  it("knows no other name on this host, not even another blog's", async () => {
    await createBlog("alpha");
    expect((await get("/.well-known/webfinger?resource=acct:alpha@blog.example")).status).toBe(404);
    expect((await get("/.well-known/webfinger?resource=acct:nobody@blog.example")).status).toBe(404);
    const alpha = await at("alpha.localhost", "/.well-known/webfinger?resource=acct:alpha@alpha.localhost");
    expect(alpha.status).toBe(200);
  });
});

describe("the blog's actor", () => {
  it("is a Person with inbox, outbox, followers and a public key", async () => {
    const res = await get("/ap/users/main", AP);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/activity+json");
    const actor = await res.json<any>();
    expect(actor).toMatchObject({
      id: "https://blog.example/ap/users/main",
      type: "Person",
      preferredUsername: "main",
      name: "The Edge Dispatch",
      inbox: "https://blog.example/ap/users/main/inbox",
      outbox: "https://blog.example/ap/users/main/outbox",
      followers: "https://blog.example/ap/users/main/followers",
      url: "https://blog.example/",
    });
    expect(actor.publicKey.publicKeyPem).toContain("BEGIN PUBLIC KEY");
    expect(actor.endpoints.sharedInbox).toBe("https://blog.example/ap/inbox");
  });

  it("says what it is in the blog's language where the owner wrote no description, and links the blog", async () => {
    await createBlog("gamma", "Carnets");
    const patched = await at("gamma.localhost", "/api/admin/blogs/gamma", {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ language: "fr", description: "" }),
    });
    expect(patched.status).toBe(200);
    const actor = await (await at("gamma.localhost", "/ap/users/gamma", { headers: AP })).json<any>();
    expect(actor.summary).toBe(say(CATALOGS.fr!.actor.summary, { blog: "Carnets" }));
    expect(actor.attachment).toMatchObject({ type: "PropertyValue", name: CATALOGS.fr!.actor.website });
    expect(actor.attachment.value).toContain('href="https://gamma.localhost/"');
  });

  it("is not served on another blog's host", async () => {
    await createBlog("alpha");
    expect((await at("alpha.localhost", "/ap/users/main", { headers: AP })).status).toBe(404);
  });

  it("shows the followers' count, not the list", async () => {
    const res = await signedPost("blog.example", "/ap/users/main/inbox", followBy("alice", "https://blog.example/ap/users/main"));
    expect(res.status).toBeLessThan(300);
    const followers = await (await get("/ap/users/main/followers", AP)).json<any>();
    expect(followers.totalItems).toBe(1);
    expect(followers.orderedItems ?? followers.items ?? []).toEqual([]);
    expect(JSON.stringify(followers)).not.toContain(peerActor("alice"));
  });
});

describe("posts as Articles", () => {
  it("answers a post page asked for as ActivityPub with its Article, and HTML otherwise", async () => {
    await publish([makePost({ slug: "federated", title: "Federated", tags: ["world"], markdown: "Hello **fediverse**." })]);
    const ap = await get("/posts/federated", AP);
    expect(ap.status).toBe(200);
    const article = await ap.json<any>();
    expect(article).toMatchObject({
      type: "Article",
      id: "https://blog.example/posts/federated",
      name: "Federated",
      attributedTo: "https://blog.example/ap/users/main",
      to: "as:Public",
    });
    expect(article.content).toContain("<strong>fediverse</strong>");
    const html = await get("/posts/federated");
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.headers.get("vary")).toContain("Accept");
  });

  it("carries the post's approved comments as its replies", async () => {
    await publish([makePost({ slug: "discussed" })]);
    await request("/api/posts/discussed/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Ann", body: "First!" }),
    });
    const article = await (await get("/posts/discussed", AP)).json<any>();
    expect(article.replies.totalItems).toBe(1);
    const note = article.replies.items ?? article.replies.orderedItems;
    expect((Array.isArray(note) ? note[0] : note).content).toContain("First!");
  });

  it("answers 404 for a draft or unknown post", async () => {
    await publish([makePost({ slug: "secret", draft: true })]);
    expect((await get("/posts/secret", AP)).status).toBe(404);
    expect((await get("/posts/nothing-here", AP)).status).toBe(404);
  });

  it("lists public posts in the outbox as Create(Article), newest first", async () => {
    await publish([makePost({ slug: "older", date: "2024-01-01T00:00:00Z" }), makePost({ slug: "newer", date: "2024-02-01T00:00:00Z" })]);
    const outbox = await (await get("/ap/users/main/outbox", AP)).json<any>();
    expect(outbox.totalItems).toBe(2);
    const first = new URL(outbox.first);
    const page = await (await get(first.pathname + first.search, AP)).json<any>();
    expect(page.orderedItems.map((a: any) => [a.type, a.object.id])).toEqual([
      ["Create", "https://blog.example/posts/newer"],
      ["Create", "https://blog.example/posts/older"],
    ]);
  });
});

describe("NodeInfo", () => {
  it("links NodeInfo 2.1 and describes the software", async () => {
    const links = await (await get("/.well-known/nodeinfo")).json<any>();
    expect(links.links[0].href).toBe("https://blog.example/nodeinfo/2.1");
    const info = await (await get("/nodeinfo/2.1")).json<any>();
    expect(info.software.name).toBe("edge-blog");
    expect(info.protocols).toEqual(["activitypub"]);
  });
});

describe("POST /ap/inbox (refusals)", () => {
  const follow = {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: "https://peer.example/follows/1",
    type: "Follow",
    actor: "https://peer.example/users/ann",
    object: "https://blog.example/ap/users/main",
  };

  it("refuses an unsigned activity with 401 and stores nothing", async () => {
    const res = await request("/ap/users/main/inbox", { method: "POST", headers: ACTIVITY, body: JSON.stringify(follow) });
    expect(res.status).toBe(401);
    expect((await res.json<any>()).error.code).toBe("unauthorized");
    expect((await (await get("/ap/users/main/followers", AP)).json<any>()).totalItems).toBe(0);
  });

  it("refuses malformed JSON and an activity without type or actor with 400", async () => {
    expect((await request("/ap/inbox", { method: "POST", headers: ACTIVITY, body: "{not json" })).status).toBe(400);
    expect((await request("/ap/inbox", { method: "POST", headers: ACTIVITY, body: JSON.stringify({ type: "Follow" }) })).status).toBe(400);
  });

  it("refuses an activity over 256 KB with 413", async () => {
    const big = JSON.stringify({ ...follow, padding: "x".repeat(300_000) });
    const res = await request("/ap/inbox", { method: "POST", headers: ACTIVITY, body: big });
    expect(res.status).toBe(413);
  });

  it("refuses an activity without an id, or nested deeper than any real one, with 400 and no stack trace", async () => {
    const { id: _id, ...noId } = follow;
    const deep = `${JSON.stringify(follow).slice(0, -1)},"tag":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    for (const body of [JSON.stringify(noId), deep]) {
      const res = await request("/ap/users/main/inbox", { method: "POST", headers: ACTIVITY, body });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe("invalid_input");
      expect(text).not.toMatch(/at [\w.<>]+ \(|\.js:\d+/);
    }
  });

  it("refuses, signed: a Follow of another blog's actor, a signer who is not the actor, a reply to an unknown post", async () => {
    await createBlog("alpha");
    const otherBlog = await signedPost("blog.example", "/ap/users/main/inbox", followBy("alice", "https://alpha.localhost/ap/users/alpha"));
    expect(otherBlog.status).toBe(404);
    const impostor = await signedPost(
      "blog.example",
      "/ap/users/main/inbox",
      followBy("mallory", "https://blog.example/ap/users/main"),
      peerActor("alice"),
    );
    expect(impostor.status).toBe(401);
    const reply = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peerActor()}/notes/9#create`,
      type: "Create",
      actor: peerActor(),
      object: {
        id: `${peerActor()}/notes/9`,
        type: "Note",
        attributedTo: peerActor(),
        content: "hi",
        inReplyTo: "https://blog.example/posts/nothing-here",
      },
    };
    expect((await signedPost("blog.example", "/ap/inbox", reply)).status).toBe(404);
    expect((await (await get("/ap/users/main/followers", AP)).json<any>()).totalItems).toBe(0);
    expect((await (await at("alpha.localhost", "/ap/users/alpha/followers", { headers: AP })).json<any>()).totalItems).toBe(0);
  });
});

describe("follower inboxes on private addresses (FEDERATION_ALLOW_PRIVATE off)", () => {
  const deliveredTo = async (host: string) => (await peerDeliveries()).filter((d) => d.host === host);

  it("takes no follower whose inbox is a loopback literal or a name resolving to loopback", async () => {
    await peerInbox("mapped", "http://[::ffff:7f00:1]:9/inbox");
    await peerInbox("named", "https://loopback.peer.test/inbox");
    for (const [n, name] of ["mapped", "named"].entries()) {
      const res = await signedPost("blog.example", "/ap/users/main/inbox", followBy(name, "https://blog.example/ap/users/main", 10 + n));
      expect(res.status).toBeLessThan(300);
    }
    expect((await (await get("/ap/users/main/followers", AP)).json<any>()).totalItems).toBe(0);
  });

  it("checks each delivery when it is sent: a name that resolved to a public address then, and to loopback now, gets nothing", async () => {
    await peerDns("rebind.peer.test", "93.184.215.15");
    await peerInbox("rebinder", "https://rebind.peer.test/inbox");
    const res = await signedPost("blog.example", "/ap/users/main/inbox", followBy("rebinder", "https://blog.example/ap/users/main", 20));
    expect(res.status).toBeLessThan(300);
    expect((await (await get("/ap/users/main/followers", AP)).json<any>()).totalItems).toBe(1);
    // The Accept went out while the name was public.
    for (let i = 0; i < 200 && !(await deliveredTo("rebind.peer.test")).length; i++) await new Promise((r) => setTimeout(r, 25));
    const before = (await deliveredTo("rebind.peer.test")).length;
    expect(before).toBe(1);
    await peerDns("rebind.peer.test", "127.0.0.1");
    // A second follower on a public name shows when the delivery has gone out.
    await signedPost("blog.example", "/ap/users/main/inbox", followBy("alice", "https://blog.example/ap/users/main", 21));
    const put = await request("/api/posts/after-rebind", {
      method: "PUT",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "After the rebind", date: new Date(Date.now() + 1000).toISOString(), markdown: "News." }),
    });
    expect(put.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1100));
    // Saved a second later (now public), so it is announced.
    const again = await request("/api/posts/after-rebind", {
      method: "PUT",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "After the rebind", date: new Date(Date.now() - 10).toISOString(), markdown: "News." }),
    });
    expect(again.status).toBe(200);
    const created = (d: { activity: any }) => d.activity?.type === "Create";
    for (let i = 0; i < 400 && !(await deliveredTo("peer.test")).some(created); i++) await new Promise((r) => setTimeout(r, 25));
    expect((await deliveredTo("peer.test")).some(created)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect((await deliveredTo("rebind.peer.test")).length).toBe(before);
  });
});

describe("replies from the fediverse in a post's thread", () => {
  it("shows a reply as a comment with the author's handle linked to their profile, threaded, editable and removable only by its author", async () => {
    await publish([makePost({ slug: "talked" })]);
    const thread = commentThread(env, "main", "talked");
    const rules = { moderation: "open" as const, rateLimit: 0, blockedWords: [], secret: null };
    const reply = {
      id: "https://peer.example/notes/1",
      actor: "https://peer.example/users/ann",
      author: "@ann@peer.example",
      authorUrl: "https://peer.example/@ann",
      body: "Great <b>read</b>!",
      parent: null,
    };
    const first = await thread.remoteReply("main", "talked", reply, rules);
    expect(first.created).toBe(true);
    await thread.remoteReply(
      "main",
      "talked",
      { ...reply, id: "https://peer.example/notes/2", body: "And a reply to myself.", parent: reply.id },
      rules,
    );
    const html = await (await get("/posts/talked")).text();
    expect(html).toContain('<a href="https://peer.example/@ann" rel="nofollow ugc noopener external">@ann@peer.example</a>');
    expect(html).toContain("Great &lt;b&gt;read&lt;/b&gt;!");
    const api = await (await get("/api/posts/talked/comments")).json<any>();
    expect(api.comments[1].parentId).toBe(api.comments[0].id);

    // Only the author's actor may edit or delete it.
    const forged = thread.remoteReply("main", "talked", { ...reply, actor: "https://evil.example/users/x", body: "Hijacked" }, rules);
    await expect(forged).rejects.toMatchObject({ code: "forbidden" });
    expect(await thread.remoteDelete(reply.id, "https://evil.example/users/x")).toBe(false);
    await thread.remoteReply("main", "talked", { ...reply, body: "Great read, edited." }, rules);
    expect(await (await get("/posts/talked")).text()).toContain("Great read, edited.");
    expect(await thread.remoteDelete(reply.id, reply.actor)).toBe(true);
    expect(await (await get("/posts/talked")).text()).not.toContain("Great read, edited.");
  });

  it("holds a reply under the blog's moderation rules", async () => {
    await publish([makePost({ slug: "talked" })]);
    const thread = commentThread(env, "main", "talked");
    const { comment } = await thread.remoteReply(
      "main",
      "talked",
      {
        id: "https://peer.example/notes/9",
        actor: "https://peer.example/users/bo",
        author: "@bo@peer.example",
        authorUrl: null,
        body: "Hi",
        parent: null,
      },
      { moderation: "all", rateLimit: 0, blockedWords: [], secret: null },
    );
    expect(comment.status).toBe("held");
    expect(await (await get("/posts/talked")).text()).not.toContain("@bo@peer.example");
  });

  it("counts likes and boosts once per actor and shows them on the post", async () => {
    await publish([makePost({ slug: "liked" })]);
    const thread = commentThread(env, "main", "liked");
    await thread.react("main", "liked", "like", "https://peer.example/users/ann", true);
    await thread.react("main", "liked", "like", "https://peer.example/users/ann", true);
    await thread.react("main", "liked", "like", "https://peer.example/users/bo", true);
    const counts = await thread.react("main", "liked", "announce", "https://peer.example/users/bo", true);
    expect(counts).toEqual({ like: 2, announce: 1 });
    expect(await (await get("/posts/liked")).text()).toContain("2 likes and 1 boost from the fediverse");
  });
});

describe("GET /follow", () => {
  it("shows the blog's fediverse handle beside the email form and the feeds", async () => {
    const html = await (await get("/follow")).text();
    expect(html).toContain('value="@main@blog.example"');
    expect(html).toContain('data-copy="fediverse-handle"');
    // It says what the fediverse is, and says "Follow" once: the page's title, not the email box's too.
    expect(html).toContain("The fediverse is a network of independent social sites");
    const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
    expect(main.match(/Follow this blog/g) ?? []).toEqual([]);
    expect(main).toContain(">By email</h2>");
  });
});

describe("GET /admin/followers", () => {
  it("lists the followers for owners, and refuses to remove someone who does not follow", async () => {
    const cookie = await signIn();
    const page = await get("/admin/followers", { Cookie: cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Nobody follows this blog from the fediverse yet.");
    expect(html).toContain("@main@blog.example");
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await get("/admin", { Cookie: cookie })).text())![1]!;
    const res = await request("/admin/followers", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, actor: "https://peer.example/users/nobody" }).toString(),
    });
    expect(res.status).toBe(404);
    expect((await get("/admin/followers")).status).toBe(303);
  });
});

describe("which posts followers are sent", () => {
  it("a post that became public after the first follower arrived, even dated earlier that day; not the backlog before it", async () => {
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import("cloudflare:test");
    const { default: worker } = await import("../src/index");
    const hour = 3_600_000;
    await publish([makePost({ slug: "backlog-post", title: "Backlog", date: new Date(Date.now() - 30 * hour).toISOString() })]);
    const res = await signedPost("blog.example", "/ap/users/main/inbox", followBy("alice", "https://blog.example/ap/users/main", 30));
    expect(res.status).toBeLessThan(300);
    // A file dated this morning (before the follow), published now.
    const morning = makePost({
      slug: "dated-this-morning",
      title: "Dated this morning",
      date: new Date(Date.now() - 2 * hour).toISOString(),
    });
    await publish([makePost({ slug: "backlog-post", title: "Backlog", date: new Date(Date.now() - 30 * hour).toISOString() }), morning]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const created = async () =>
      (await peerDeliveries()).filter((d) => d.activity?.type === "Create").map((d) => String(d.activity.object?.id ?? ""));
    for (let i = 0; i < 400 && !(await created()).some((id) => id.endsWith("/posts/dated-this-morning")); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    const ids = await created();
    expect(ids.some((id) => id.endsWith("/posts/dated-this-morning"))).toBe(true);
    expect(ids.some((id) => id.endsWith("/posts/backlog-post"))).toBe(false);
  });
});
