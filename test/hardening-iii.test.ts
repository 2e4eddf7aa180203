import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../src/app";
import { COMMENT_EDITS_COOKIE } from "../src/core/vocabulary";
import { clearPageCache } from "../src/http/cache";
import { CACHE_POLICY } from "../src/http/freshness";
import { filterHtml, filterPostMarkdown } from "../src/core/html-filter";
import { forgetBlogRecords } from "../src/data/blogs";
import { siteEditor } from "../src/data/objects";
import { PNG } from "./fixtures/images";
import { at, createBlog, requestWith, settingsForm, settingsSession } from "./helpers";
import { ALPHA, addMember, csrfOf, FORM, invite, linkIn, mailTo, OPERATOR, setUp, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const json = (cookie: string, csrf: string) => ({ Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });

/** A member signed in through the mailed links, with the CSRF token of their session. */
async function member(email: string, role: string): Promise<{ cookie: string; csrf: string }> {
  await addMember(ALPHA, email, role);
  const cookie = await signInAs(ALPHA, email);
  return { cookie, csrf: await csrfOf(cookie) };
}

describe("personal tokens", () => {
  it("are made and revoked from a signed-in session only: a moderator's token cannot mint an owner's", async () => {
    await setUp();
    const mod = await member("mod@example.org", "moderator");
    const made = await at(ALPHA, "/api/tokens", {
      method: "POST",
      headers: json(mod.cookie, mod.csrf),
      body: JSON.stringify({ name: "bot", role: "moderator" }),
    });
    expect(made.status).toBe(201);
    const { token, id } = (await made.json()) as { token: string; id: number };
    for (const role of ["owner", "editor", "moderator"]) {
      const minted = await at(ALPHA, "/api/tokens", { method: "POST", headers: bearer(token), body: JSON.stringify({ name: "x", role }) });
      expect(minted.status).toBe(403);
    }
    expect((await at(ALPHA, `/api/tokens/${id}`, { method: "DELETE", headers: bearer(token) })).status).toBe(403);
    // The token never reached what an owner may do.
    expect((await at(ALPHA, "/api/members", { headers: bearer(token) })).status).toBe(403);
    expect((await at(ALPHA, "/api/audit", { headers: bearer(token) })).status).toBe(403);
    const list = (await (await at(ALPHA, "/api/tokens", { headers: { Cookie: mod.cookie } })).json()) as { tokens: { name: string }[] };
    expect(list.tokens.map((t) => t.name)).toEqual(["bot"]);
  });

  it("of a demoted member drop to the new role; a removed then re-invited member's old tokens stay dead", async () => {
    await setUp();
    const ed = await member("ed@example.org", "editor");
    const made = await at(ALPHA, "/api/tokens", {
      method: "POST",
      headers: json(ed.cookie, ed.csrf),
      body: JSON.stringify({ name: "deploy", role: "editor" }),
    });
    const { token } = (await made.json()) as { token: string };
    const put = () =>
      at(ALPHA, "/api/posts/by-token", {
        method: "PUT",
        headers: bearer(token),
        body: JSON.stringify({ title: "By token", date: new Date(Date.now() - 60_000).toISOString(), markdown: "x" }),
      });
    expect((await put()).status).toBe(201);
    const { members } = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as { members: any[] };
    const personId = members.find((m) => m.email === "ed@example.org").personId;
    const demoted = await at(ALPHA, `/api/members/${personId}`, {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ role: "moderator" }),
    });
    expect(demoted.status).toBe(200);
    expect((await put()).status).toBe(403);
    // The moderator's token still moderates (the lesser of the token's role and the person's).
    expect((await at(ALPHA, "/api/posts/hello/comments?status=held", { headers: bearer(token) })).status).toBe(200);
    expect((await at(ALPHA, `/api/members/${personId}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    await addMember(ALPHA, "ed@example.org", "editor");
    expect((await put()).status).toBe(401);
  });
});

describe("post HTML from anyone but an owner", () => {
  const hostile = [
    "Read this.",
    "",
    '<input form="editor" name="email" value="evil@example.org">',
    "",
    '<p>Click <button form="editor" formaction="/admin/people" formmethod="post" name="role" value="owner">here</button> ' +
      '<a href="javascript:alert(1)" onclick="steal()">now</a> <img src="x.png" onerror="steal()" alt="x"></p>',
    "",
    '<form action="/admin/people" method="post"><select name="role"><option>owner</option></select><textarea name="t">x</textarea></form>',
    "",
    '<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf"><script>steal()</script>',
    "",
    '[a link](javascript:alert(2)) and <a href="&#106;avascript:alert(3)">entity</a> <div id="csrf" data-csrf="x" style="position:fixed">kept text</div>',
  ].join("\n");
  const FORBIDDEN =
    /<(?:input|button|form|select|textarea|iframe|object|embed|script)\b|\bform(?:action|method)?=|\bon[a-z]+=|javascript:|&#106;|\bid="csrf"|data-csrf/i;

  it("is filtered at save, with a note of what was dropped, and the post page carries none of it", async () => {
    await setUp();
    const ed = await member("ed@example.org", "editor");
    const saved = await at(ALPHA, "/api/posts/hostile", {
      method: "PUT",
      headers: json(ed.cookie, ed.csrf),
      body: JSON.stringify({ title: "Hostile", date: new Date(Date.now() - 60_000).toISOString(), markdown: hostile }),
    });
    expect(saved.status).toBe(201);
    const body = (await saved.json()) as { post: { html: string }; filtered: string[] };
    expect(body.filtered).toEqual(
      expect.arrayContaining(["<button>", "<form>", "<iframe>", "<input>", "<script>", "event handlers (on…=)", "id=", "data-csrf="]),
    );
    expect(body.post.html).not.toMatch(FORBIDDEN);
    expect(body.post.html).toContain("kept text");
    expect(body.post.html).toContain("Click ");
    const page = await (await at(ALPHA, "/posts/hostile", { headers: { Cookie: ed.cookie } })).text();
    const article = page.slice(page.indexOf("<article"), page.indexOf("</article>"));
    expect(article).not.toMatch(FORBIDDEN);
    // The stored source is the filtered one: an owner who later saves it does not bring the HTML back.
    const source = await siteEditor(env, "alpha").source("alpha", "hostile");
    expect(source!.markdown).toContain("kept text");
    // (A Markdown link to javascript: stays in the source: it is rendered as text, whoever wrote it.)
    expect(source!.markdown).not.toMatch(
      /<(?:input|button|form|select|textarea|iframe|object|embed|script)\b|\bon[a-z]+=|&#106;|\bid="csrf"|data-csrf/i,
    );
  });

  it("is filtered in the browser editor's save too, and the editor says what went", async () => {
    await setUp();
    const ed = await member("ed@example.org", "editor");
    const form = new URLSearchParams({
      csrf: ed.csrf,
      slug: "hostile",
      title: "Hostile",
      date: new Date(Date.now() - 60_000).toISOString(),
      markdown: hostile,
      action: "publish",
    });
    const saved = await at(ALPHA, "/admin/posts", {
      method: "POST",
      headers: { Cookie: ed.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(saved.status).toBe(303);
    const editor = await (await at(ALPHA, saved.headers.get("location")!, { headers: { Cookie: ed.cookie } })).text();
    expect(editor).toContain("Only owners may post some HTML");
    expect(editor).toContain("&lt;button&gt;");
    const textarea = /<textarea[^>]*name="markdown"[^>]*>([\s\S]*?)<\/textarea>/.exec(editor)![1]!;
    expect(textarea).not.toMatch(/&lt;(?:input|button|form|iframe|script)\b/);
    // Text a visitor cannot put there: only the filter's own words are shown from the address.
    const forged = await at(ALPHA, "/admin/posts/hostile/edit?saved=updated&filtered=Call%20us%20at%20555", {
      headers: { Cookie: ed.cookie },
    });
    expect(await forged.text()).not.toContain("Call us");
  });

  it("is kept whole for an owner, but the preview filters it for everyone", async () => {
    await setUp();
    const owner = await member("owner@example.org", "owner");
    const saved = await at(ALPHA, "/api/posts/owned", {
      method: "PUT",
      headers: json(owner.cookie, owner.csrf),
      body: JSON.stringify({
        title: "Owned",
        date: new Date(Date.now() - 60_000).toISOString(),
        markdown: '<form action="/x"><button>Go</button></form>',
      }),
    });
    const body = (await saved.json()) as { post: { html: string }; filtered?: string[] };
    expect(body.filtered).toBeUndefined();
    expect(body.post.html).toContain("<button>Go</button>");
    const preview = await at(ALPHA, "/api/preview", {
      method: "POST",
      headers: json(owner.cookie, owner.csrf),
      body: JSON.stringify({ markdown: hostile }),
    });
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { html: string }).html).not.toMatch(FORBIDDEN);
  });

  it("refuses HTML it cannot filter where it stands, rather than storing it", async () => {
    expect(filterPostMarkdown("> <div>\n> <button form=x>a</button>\n> </div>\n").ok).toBe(false);
    const fine = filterPostMarkdown("Text `<button>` in code\n\n```html\n<form></form>\n```\n\n<b onclick=x>bold</b>");
    expect(fine).toEqual({
      ok: true,
      markdown: "Text `<button>` in code\n\n```html\n<form></form>\n```\n\n<b>bold</b>",
      dropped: ["event handlers (on…=)"],
    });
    const dropped = new Set<string>();
    expect(
      filterHtml('<a href=" java\tscript:x">a</a><img srcset="a.png 1x, javascript:x 2x"><a target=_blank href=/x>b</a>', dropped),
    ).toBe('<a>a</a><img><a target="_blank" href="/x" rel="noopener">b</a>');
  });

  it("cannot reach the post page's forms: none of them has an id", async () => {
    await setUp();
    const page = await (await at(ALPHA, "/posts/hello")).text();
    expect(page).toContain('class="comment-form"');
    expect(page).not.toMatch(/<form\b[^>]*\bid=/);
  });
});

describe("the dashboard's mail outbox", () => {
  it("is shown to owners only: moderators and editors never see subscribers' addresses", async () => {
    await setUp();
    await at(ALPHA, "/api/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "reader@example.net" }),
    });
    const owner = await member("owner@example.org", "owner");
    const ownerDashboard = await (await at(ALPHA, "/admin", { headers: { Cookie: owner.cookie } })).text();
    expect(ownerDashboard).toContain("reader@example.net");
    expect(ownerDashboard).toContain("/admin/subscribers.csv");
    // The only owner is offered no role change or removal of herself (the blog would be left without an owner).
    const people = await (await at(ALPHA, "/admin/people", { headers: { Cookie: owner.cookie } })).text();
    const row = people.slice(people.indexOf("owner@example.org"), people.indexOf("</tr>", people.indexOf("owner@example.org")));
    expect(row).toContain("the only one");
    expect(row).not.toContain("/remove");
    expect(row).not.toContain("/role");
    for (const [email, role] of [
      ["mod@example.org", "moderator"],
      ["ed@example.org", "editor"],
    ] as const) {
      const { cookie } = await member(email, role);
      const dashboard = await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text();
      expect(dashboard).not.toContain("reader@example.net");
      expect(dashboard).not.toContain("Mail kept here");
      expect(dashboard).not.toContain("/api/admin/outbox");
      // Nor a link to the subscriber export, which would answer them 403.
      expect(dashboard).not.toContain("/admin/subscribers.csv");
    }
  });
});

describe("roles on every write", () => {
  it("refuse an editor's or moderator's POST to the settings and people pages, and a moderator's upload: 403, nothing changed", async () => {
    await setUp();
    const pngUpload = (headers: Record<string, string>) =>
      at(ALPHA, "/api/media", { method: "POST", headers: { ...headers, "Content-Type": "image/png", "X-File-Name": "x.png" }, body: PNG });
    for (const [email, role] of [
      ["ed@example.org", "editor"],
      ["mod@example.org", "moderator"],
    ] as const) {
      const { cookie, csrf } = await member(email, role);
      const form = { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" };
      const settings = await at(ALPHA, "/admin/settings", {
        method: "POST",
        headers: form,
        body: settingsForm(csrf, { title: `Taken by ${role}` }),
      });
      expect(settings.status, `${role} /admin/settings`).toBe(403);
      const people = await at(ALPHA, "/admin/people", {
        method: "POST",
        headers: form,
        body: new URLSearchParams({ csrf, email: `evil-${role}@example.org`, role: "owner" }).toString(),
      });
      expect(people.status, `${role} /admin/people`).toBe(403);
      if (role === "moderator") expect((await pngUpload({ Cookie: cookie, "X-CSRF-Token": csrf })).status).toBe(403);
    }
    expect(await (await at(ALPHA, "/")).text()).not.toContain("Taken by");
    const { members } = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as { members: { email: string }[] };
    const invitations = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as { invitations?: { email: string }[] };
    expect(JSON.stringify([members, invitations])).not.toContain("evil-");
    expect(((await (await at(ALPHA, "/api/media", { headers: OPERATOR })).json()) as { media: unknown[] }).media).toEqual([]);
  });

  it("let a moderator hide, approve and delete a reader's comment, but not rewrite it; an editor's rewrite is in the audit log", async () => {
    await setUp();
    const posted = await at(ALPHA, "/api/posts/hello/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Reader", body: "my own words" }),
    });
    const { comment } = (await posted.json()) as { comment: { id: number } };
    const mod = await member("mod@example.org", "moderator");
    const patch = (who: { cookie: string; csrf: string }, body: string) =>
      at(ALPHA, `/api/posts/hello/comments/${comment.id}`, {
        method: "PATCH",
        headers: json(who.cookie, who.csrf),
        body: JSON.stringify({ body }),
      });
    const refused = await patch(mod, "words I prefer");
    expect(refused.status).toBe(403);
    expect(await (await at(ALPHA, "/posts/hello")).text()).toContain("my own words");
    expect(
      (await at(ALPHA, `/api/posts/hello/comments/${comment.id}/hide`, { method: "POST", headers: json(mod.cookie, mod.csrf) })).status,
    ).toBe(200);
    expect(
      (await at(ALPHA, `/api/posts/hello/comments/${comment.id}/approve`, { method: "POST", headers: json(mod.cookie, mod.csrf) })).status,
    ).toBe(200);
    const ed = await member("ed@example.org", "editor");
    expect((await patch(ed, "fixed a typo")).status).toBe(200);
    const log = (await (await at(ALPHA, "/api/audit", { headers: OPERATOR })).json()) as {
      entries: { actor: string; action: string; target: string }[];
    };
    expect(log.entries[0]).toMatchObject({ actor: "ed@example.org", action: "comment.edited", target: `hello#${comment.id}` });
  });
});

describe("custom domains", () => {
  it("are refused when they are the platform's own: the main host, BLOGS_DOMAIN and the names under it", async () => {
    await createBlog("beta");
    for (const domain of ["beta.localhost", "localhost", "anything.localhost"]) {
      const create = await at("blog.example", "/api/admin/blogs", {
        method: "POST",
        headers: OPERATOR,
        body: JSON.stringify({ name: "alpha", title: "A", domains: [domain] }),
      });
      expect(create.status, domain).toBe(400);
      // ("localhost", without a dot, is no custom domain's shape to begin with.)
      expect(((await create.json()) as { error: { code: string } }).error.code).toBe(
        domain === "localhost" ? "invalid_input" : "invalid_domain",
      );
    }
    await createBlog("alpha");
    const patch = await at("blog.example", "/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ domains: ["beta.localhost"] }),
    });
    expect(patch.status).toBe(400);
    expect(await (await at("beta.localhost", "/")).text()).toContain("Blog beta");
    const ok = await at("blog.example", "/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ domains: ["alpha.example.org"] }),
    });
    expect(ok.status).toBe(200);
  });
});

describe("images asked for by byte range", () => {
  it("answer 416 past the end, and the whole file as 200 for a range they cannot read", async () => {
    await setUp();
    const up = await at(ALPHA, "/api/media", {
      method: "POST",
      headers: { ...OPERATOR, "Content-Type": "image/png", "X-File-Name": "x.png" },
      body: PNG,
    });
    const { media } = (await up.json()) as { media: { url: string } };
    const ranged = (range: string) => at(ALPHA, media.url, { headers: { Range: range } });
    const past = await ranged(`bytes=${PNG.length + 500}-`);
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${PNG.length}`);
    // A refusal is not the image: no cache keeps it as the immutable file.
    expect(past.headers.get("cache-control")).toBe(CACHE_POLICY.never);
    for (const bad of ["bytes=abc", "bytes=5-2"]) {
      const whole = await ranged(bad);
      expect(whole.status, bad).toBe(200);
      expect((await whole.arrayBuffer()).byteLength).toBe(PNG.length);
    }
    const tail = await ranged("bytes=-4");
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${PNG.length - 4}-${PNG.length - 1}/${PNG.length}`);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(PNG.slice(-4));
  });
});

describe("administration pages", () => {
  it("never link the blog's custom CSS, which reader pages do", async () => {
    await setUp();
    const { cookie, csrf } = await settingsSession(ALPHA);
    const saved = await at(ALPHA, "/admin/settings", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: settingsForm(csrf, { customCss: "input[name=csrf] { outline: 1px solid red }" }),
    });
    expect(saved.status).toBe(303);
    expect(await (await at(ALPHA, "/")).text()).toContain("/blog.css?v=");
    for (const path of ["/admin", "/admin/settings", "/admin/people", "/admin/posts/new"]) {
      const page = await (await at(ALPHA, path, { headers: { Cookie: cookie } })).text();
      expect(page, path).toContain('name="csrf"');
      expect(page, path).not.toContain("/blog.css");
    }
  });
});

describe("answers the page cache must never share", () => {
  it("a commenter's edit page (private, with their edit cookie) is never served to another reader", async () => {
    await setUp();
    const cached = (path: string, init: RequestInit = {}) =>
      app.request(`https://${ALPHA}${path}`, init, { ...env, PAGE_CACHE_SECONDS: "30" } as Env);
    const posted = await cached("/api/posts/hello/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Reader", body: "secret draft words" }),
    });
    const { comment, editToken } = (await posted.json()) as { comment: { id: number }; editToken: string };
    const path = `/posts/hello/comments/${comment.id}/edit`;
    const mine = { Cookie: `${COMMENT_EDITS_COOKIE}=${comment.id}:${editToken}` };
    for (let i = 0; i < 3; i++) expect(await (await cached(path, { headers: mine })).text()).toContain("secret draft words");
    const stranger = await cached(path);
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).not.toContain("secret draft words");
    clearPageCache();
  });
});

describe("links that expire", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

  it("sign-in links after 15 minutes, invitations after 7 days", async () => {
    await setUp();
    await addMember(ALPHA, "ed@example.org", "editor");
    await at(ALPHA, "/signin", { method: "POST", headers: FORM, body: "email=ed%40example.org" });
    const signin = linkIn((await mailTo(ALPHA, "ed@example.org", "Sign in")).text);
    expect((await invite(ALPHA, "late@example.org", "editor")).status).toBe(202);
    const invitation = decodeURIComponent(
      /\/invite\/accept\?token=([^\s"&<]+)/.exec((await mailTo(ALPHA, "late@example.org", "You are invited")).text)![1]!,
    );
    vi.useFakeTimers({ toFake: ["Date"] });
    later(16 * 60_000);
    expect(
      (await at(ALPHA, "/signin/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(signin)}` })).status,
    ).toBe(400);
    // Still open after six days…
    later(6 * 24 * 3600_000);
    expect(await (await at(ALPHA, `/invite/accept?token=${encodeURIComponent(invitation)}`)).text()).toContain("late@example.org");
    // …and not after seven.
    later(24 * 3600_000);
    expect(
      (await at(ALPHA, "/invite/accept", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(invitation)}` })).status,
    ).toBe(400);
  });

  it("creation links after 15 minutes, and the hand-over to the new blog's host after 2", async () => {
    const ask = (name: string, email: string) =>
      requestWith({}, "/api/blogs", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, name, title: name }),
      });
    const mainOutbox = async () =>
      ((await (await at("blog.example", "/api/admin/outbox", { headers: OPERATOR })).json()) as { messages: any[] }).messages;
    const tokenFor = async (email: string) =>
      decodeURIComponent(/\/create\/confirm\?token=([^\s"&<]+)/.exec((await mainOutbox()).find((m) => m.to === email)!.text)![1]!);
    expect((await ask("late-notes", "late@example.org")).status).toBe(202);
    expect((await ask("quick-notes", "quick@example.org")).status).toBe(202);
    const late = await tokenFor("late@example.org");
    const quick = await tokenFor("quick@example.org");
    const confirm = (token: string) =>
      at("blog.example", "/create/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    vi.useFakeTimers({ toFake: ["Date"] });
    later(10 * 60_000);
    const created = await confirm(quick);
    expect(created.status).toBe(303);
    const handoff = new URL(created.headers.get("location")!);
    later(6 * 60_000);
    expect((await confirm(late)).status).toBe(400);
    expect((await at("quick-notes.localhost", `${handoff.pathname}${handoff.search}`)).status).toBe(400);
  });
});

describe("the trash", () => {
  it("restores a deleted draft as a draft and a scheduled post as scheduled", async () => {
    await setUp();
    const put = (slug: string, fields: Record<string, unknown>) =>
      at(ALPHA, `/api/posts/${slug}`, {
        method: "PUT",
        headers: OPERATOR,
        body: JSON.stringify({ title: slug, markdown: "x", ...fields }),
      });
    const future = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
    expect((await put("a-draft", { date: new Date().toISOString(), draft: true })).status).toBe(201);
    expect((await put("a-scheduled", { date: future })).status).toBe(201);
    for (const slug of ["a-draft", "a-scheduled"]) {
      expect((await at(ALPHA, `/api/posts/${slug}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
      const restored = await at(ALPHA, `/api/trash/${slug}/restore`, { method: "POST", headers: OPERATOR });
      expect(restored.status).toBe(200);
      expect(((await restored.json()) as { post: { draft: boolean } }).post.draft).toBe(slug === "a-draft");
      expect((await at(ALPHA, `/posts/${slug}`)).status, slug).toBe(404);
      expect((await at(ALPHA, "/api/posts")).ok).toBe(true);
    }
    const listed = (await (await at(ALPHA, "/api/posts")).json()) as { posts: { slug: string }[] };
    expect(listed.posts.map((p) => p.slug)).toEqual(["hello"]);
    const source = await siteEditor(env, "alpha").source("alpha", "a-scheduled");
    expect(source!.date).toBe(future);
  });
});
