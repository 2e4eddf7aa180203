import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { ADMIN_TOKEN, at } from "./helpers";
import { ALPHA, BETA, FORM, OPERATOR, addMember, csrfOf, invite, linkIn, mailTo, outbox, setUp, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

describe("POST /signin", () => {
  it("mails a one-time link to a member, and answers an unknown address the same way without mailing", async () => {
    await setUp();
    await addMember(ALPHA, "ed@example.org", "editor");
    const before = (await outbox(ALPHA)).length;
    const known = await at(ALPHA, "/signin", { method: "POST", headers: FORM, body: "email=ed%40example.org" });
    const unknown = await at(ALPHA, "/signin", { method: "POST", headers: FORM, body: "email=nobody%40example.org" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (html: string) => html.replace(/ed@example\.org|nobody@example\.org/g, "ADDRESS");
    expect(strip(await unknown.text())).toBe(strip(await known.text()));
    await mailTo(ALPHA, "ed@example.org", "Sign in");
    const mails = (await outbox(ALPHA)).slice(before);
    expect(mails.map((m) => m.to)).toEqual(["ed@example.org"]);
    expect(mails[0]!.text).toContain("https://alpha.localhost/signin/confirm?token=");
  });

  it("signs in with the link's button, once, on its own blog only", async () => {
    await setUp();
    await addMember(ALPHA, "ed@example.org", "editor");
    await addMember(BETA, "ed@example.org", "editor");
    await at(ALPHA, "/signin", { method: "POST", headers: FORM, body: "email=ed%40example.org" });
    const token = linkIn((await mailTo(ALPHA, "ed@example.org", "Sign in")).text);
    const page = await at(ALPHA, `/signin/confirm?token=${encodeURIComponent(token)}`);
    expect(await page.text()).toContain('<form method="post" action="/signin/confirm">');
    // Opened on another blog's host, the link does nothing.
    const elsewhere = await at(BETA, "/signin/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    expect(elsewhere.status).toBe(400);
    const first = await at(ALPHA, "/signin/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    expect(first.status).toBe(303);
    const again = await at(ALPHA, "/signin/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This link does not work");
    expect((await at(ALPHA, "/signin/confirm?token=forged")).status).toBe(400);
  });
});

describe("POST /signin limits", () => {
  it("answers 429 with Retry-After once one address (IP) has asked too often in an hour, on all blogs together", async () => {
    await setUp();
    const ask = (n: number, host = ALPHA, ip = "203.0.113.7") =>
      at(host, "/signin", {
        method: "POST",
        headers: { ...FORM, "CF-Connecting-IP": ip },
        body: `email=someone${n}%40example.org`,
      });
    // Spread over two blogs: the count is the address's, not a blog's.
    for (let i = 0; i < 30; i++) expect((await ask(i, i % 2 ? ALPHA : BETA)).status).toBe(200);
    for (const host of [ALPHA, BETA]) {
      const over = await ask(99, host);
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await over.text()).toContain("Too many sign-in requests");
    }
    // Another address is not held back by this one.
    expect((await ask(100, ALPHA, "203.0.113.8")).status).toBe(200);
  });

  it("mails a member at most five links an hour per blog, and requests made elsewhere in her name never lock her out", async () => {
    await setUp();
    await addMember(ALPHA, "her@example.org", "editor");
    const ask = (host: string, n: number) =>
      at(host, "/signin", { method: "POST", headers: { ...FORM, "CF-Connecting-IP": `203.0.113.${n}` }, body: "email=her%40example.org" });
    // Six requests on a blog where she is no member, from six addresses: nothing mailed, nothing counted against her.
    for (let i = 0; i < 6; i++) expect((await ask(BETA, i)).status).toBe(200);
    const links = async () => (await outbox(ALPHA)).filter((m) => m.to === "her@example.org" && m.subject.startsWith("Sign in")).length;
    for (let i = 0; i < 5; i++) expect((await ask(ALPHA, 10 + i)).status).toBe(200);
    await mailTo(ALPHA, "her@example.org", "Sign in");
    for (let i = 0; i < 50 && (await links()) < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await links()).toBe(5);
    // The sixth gets the same answer as any other (no 429 that would tell a member from a stranger), and no sixth mail.
    const sixth = await ask(ALPHA, 20);
    expect(sixth.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await links()).toBe(5);
  });
});

describe("roles", () => {
  it("give each member what their role allows on their blog, and nothing on another", async () => {
    await setUp();
    await addMember(ALPHA, "owner@example.org", "owner");
    await addMember(ALPHA, "ed@example.org", "editor");
    await addMember(ALPHA, "mod@example.org", "moderator");
    await addMember(BETA, "beta-owner@example.org", "owner");
    const cookies = {
      owner: await signInAs(ALPHA, "owner@example.org"),
      editor: await signInAs(ALPHA, "ed@example.org"),
      moderator: await signInAs(ALPHA, "mod@example.org"),
      otherBlogOwner: await signInAs(BETA, "beta-owner@example.org"),
    };
    const routes: [string, Record<keyof typeof cookies | "anonymous", number>][] = [
      ["/admin/posts/new", { owner: 200, editor: 200, moderator: 403, otherBlogOwner: 303, anonymous: 303 }],
      ["/admin/posts/hello/edit", { owner: 200, editor: 200, moderator: 403, otherBlogOwner: 303, anonymous: 303 }],
      ["/admin/settings", { owner: 200, editor: 403, moderator: 403, otherBlogOwner: 303, anonymous: 303 }],
      ["/admin/subscribers.csv", { owner: 200, editor: 403, moderator: 403, otherBlogOwner: 303, anonymous: 303 }],
      ["/api/posts/hello/comments?status=held", { owner: 200, editor: 200, moderator: 200, otherBlogOwner: 401, anonymous: 401 }],
      ["/api/admin/outbox", { owner: 200, editor: 403, moderator: 403, otherBlogOwner: 401, anonymous: 401 }],
      ["/api/members", { owner: 200, editor: 403, moderator: 403, otherBlogOwner: 401, anonymous: 401 }],
      ["/api/admin/blogs", { owner: 401, editor: 401, moderator: 401, otherBlogOwner: 401, anonymous: 401 }],
    ];
    for (const [path, expected] of routes) {
      for (const [who, status] of Object.entries(expected)) {
        const cookie = cookies[who as keyof typeof cookies];
        const res = await at(ALPHA, path, { headers: cookie ? { Cookie: cookie } : {} });
        expect(res.status, `${who} GET ${path}`).toBe(status);
      }
    }
    // Personal tokens on the API: each acts with its role; a revoked one is nothing.
    const tokenOf = async (cookie: string, role: string) => {
      const page = await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text();
      const csrf = /data-csrf="([^"]+)"/.exec(page)![1]!;
      const res = await at(ALPHA, "/api/tokens", {
        method: "POST",
        headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
        body: JSON.stringify({ name: role, role }),
      });
      return { ...((await res.json()) as { token: string; id: number }), csrf };
    };
    const tokens = {
      ownerToken: (await tokenOf(cookies.owner, "owner")).token,
      editorToken: (await tokenOf(cookies.editor, "editor")).token,
      moderatorToken: (await tokenOf(cookies.moderator, "moderator")).token,
      revokedToken: "",
    };
    const revoked = await tokenOf(cookies.owner, "editor");
    await at(ALPHA, `/api/tokens/${revoked.id}`, { method: "DELETE", headers: { Cookie: cookies.owner, "X-CSRF-Token": revoked.csrf } });
    tokens.revokedToken = revoked.token;
    const apiRoutes: [string, Record<keyof typeof tokens, number>][] = [
      ["/api/posts/hello/comments?status=held", { ownerToken: 200, editorToken: 200, moderatorToken: 200, revokedToken: 401 }],
      ["/api/admin/outbox", { ownerToken: 200, editorToken: 403, moderatorToken: 403, revokedToken: 401 }],
      ["/api/members", { ownerToken: 200, editorToken: 403, moderatorToken: 403, revokedToken: 401 }],
      ["/api/audit", { ownerToken: 200, editorToken: 403, moderatorToken: 403, revokedToken: 401 }],
      ["/api/admin/blogs", { ownerToken: 401, editorToken: 401, moderatorToken: 401, revokedToken: 401 }],
    ];
    for (const [path, expected] of apiRoutes) {
      for (const [which, status] of Object.entries(expected)) {
        const res = await at(ALPHA, path, { headers: { Authorization: `Bearer ${tokens[which as keyof typeof tokens]}` } });
        expect(res.status, `${which} GET ${path}`).toBe(status);
      }
    }
    for (const [which, status] of [
      ["ownerToken", 201],
      ["editorToken", 201],
      ["moderatorToken", 403],
      ["revokedToken", 401],
    ] as const) {
      const res = await at(ALPHA, `/api/posts/by-${which.toLowerCase()}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${tokens[which]}`, "Content-Type": "application/json" },
        body: JSON.stringify({ title: "T", date: new Date(Date.now() - 60_000).toISOString(), markdown: "x" }),
      });
      expect(res.status, `${which} PUT /api/posts`).toBe(status);
    }
    const dashboard = async (cookie: string) => (await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text()) as string;
    expect(await dashboard(cookies.editor)).toContain('href="/admin/posts/new"');
    expect(await dashboard(cookies.editor)).not.toContain('href="/admin/settings"');
    expect(await dashboard(cookies.moderator)).not.toContain('href="/admin/posts/new"');
    expect(await dashboard(cookies.owner)).toContain('href="/admin/settings"');
    expect(await dashboard(cookies.otherBlogOwner)).toContain('action="/signin"');
  });

  it("end at once when a member is removed, and never leave a blog without an owner", async () => {
    await setUp();
    const owner = await addMember(ALPHA, "owner@example.org", "owner");
    const editor = await addMember(ALPHA, "ed@example.org", "editor");
    const cookie = await signInAs(ALPHA, "ed@example.org");
    expect((await at(ALPHA, "/admin/posts/new", { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await at(ALPHA, `/api/members/${editor}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    expect((await at(ALPHA, "/admin/posts/new", { headers: { Cookie: cookie } })).status).toBe(303);
    const last = await at(ALPHA, `/api/members/${owner}`, { method: "DELETE", headers: OPERATOR });
    expect(last.status).toBe(409);
    expect(((await last.json()) as any).error.code).toBe("last_owner");
    const demote = await at(ALPHA, `/api/members/${owner}`, {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ role: "editor" }),
    });
    expect(demote.status).toBe(409);
    const bad = await at(ALPHA, "/api/members", {
      method: "POST",
      headers: OPERATOR,
      body: JSON.stringify({ email: "x@example.org", role: "admin" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toContain("role");
  });

  it("sign out everywhere ends that person's sessions only", async () => {
    await setUp();
    await addMember(ALPHA, "ed@example.org", "editor");
    const [a, b] = [await signInAs(ALPHA, "ed@example.org"), await signInAs(ALPHA, "ed@example.org")];
    const login = await at(ALPHA, "/admin/login", { method: "POST", headers: FORM, body: `token=${ADMIN_TOKEN}` });
    const operator = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await at(ALPHA, "/admin", { headers: { Cookie: a } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const out = await at(ALPHA, "/admin/logout-everywhere", {
      method: "POST",
      headers: { ...FORM, Cookie: a },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });
    expect(out.status).toBe(303);
    for (const cookie of [a, b])
      expect(await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text()).toContain('action="/signin"');
    expect(await (await at(ALPHA, "/admin", { headers: { Cookie: operator } })).text()).toContain("Sign out everywhere");
  });
});

describe("personal API tokens", () => {
  it("act as their person on their blog, with at most the token's role, until revoked", async () => {
    await setUp();
    await addMember(ALPHA, "ed@example.org", "editor");
    const cookie = await signInAs(ALPHA, "ed@example.org");
    const headers = { Cookie: cookie, "X-CSRF-Token": await csrfOf(cookie), "Content-Type": "application/json" };
    const tooHigh = await at(ALPHA, "/api/tokens", { method: "POST", headers, body: JSON.stringify({ name: "ci", role: "owner" }) });
    expect(tooHigh.status).toBe(403);
    const made = await at(ALPHA, "/api/tokens", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "deploy script", role: "editor" }),
    });
    expect(made.status).toBe(201);
    const { token, id } = (await made.json()) as { token: string; id: number };
    expect(token.startsWith("ebt_")).toBe(true);
    const moderator = await at(ALPHA, "/api/tokens", { method: "POST", headers, body: JSON.stringify({ name: "bot", role: "moderator" }) });
    const { token: modToken } = (await moderator.json()) as { token: string };

    const put = (bearer: string, host = ALPHA) =>
      at(host, "/api/posts/by-token", {
        method: "PUT",
        headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
        body: JSON.stringify({ title: "By token", date: new Date(Date.now() - 60_000).toISOString(), markdown: "x" }),
      });
    expect((await put(token)).status).toBe(201);
    expect((await put(modToken)).status).toBe(403);
    expect((await put(token, BETA)).status).toBe(401);
    const list = (await (await at(ALPHA, "/api/tokens", { headers: { Cookie: cookie } })).json()) as { tokens: any[] };
    expect(list.tokens.map((t) => t.name)).toEqual(["bot", "deploy script"]);
    expect(JSON.stringify(list)).not.toContain(token);
    expect(list.tokens.find((t) => t.id === id).lastUsedAt).not.toBeNull();

    expect((await at(ALPHA, `/api/tokens/${id}`, { method: "DELETE", headers })).status).toBe(204);
    expect((await put(token)).status).toBe(401);
    // A member removed from the blog takes their tokens along.
    const editorId = ((await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as any).members[0].personId;
    expect((await at(ALPHA, `/api/members/${editorId}`, { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    expect((await at(ALPHA, "/api/posts/hello/comments?status=held", { headers: { Authorization: `Bearer ${modToken}` } })).status).toBe(
      401,
    );
  });
});

describe("GET /api/audit", () => {
  it("records who changed what on the blog, newest first, for its owners only", async () => {
    await setUp();
    await addMember(ALPHA, "owner@example.org", "owner");
    await addMember(ALPHA, "ed@example.org", "editor");
    const cookie = await signInAs(ALPHA, "ed@example.org");
    const page = await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text();
    const csrf = /data-csrf="([^"]+)"/.exec(page)![1]!;
    const saved = await at(ALPHA, "/api/posts/audited", {
      method: "PUT",
      headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Audited", date: new Date(Date.now() - 60_000).toISOString(), markdown: "x" }),
    });
    expect(saved.status).toBe(201);
    expect((await at(ALPHA, "/api/posts/audited", { method: "DELETE", headers: OPERATOR })).status).toBe(204);

    const log = (await (await at(ALPHA, "/api/audit", { headers: OPERATOR })).json()) as { entries: any[] };
    expect(log.entries.map((e) => [e.actor, e.action, e.target])).toEqual([
      ["the operator", "post.deleted", "audited"],
      ["ed@example.org", "post.saved", "audited"],
      ["ed@example.org", "member.joined", "as editor"],
      ["the operator", "member.invited", "ed@example.org as editor"],
      ["owner@example.org", "member.joined", "as owner"],
      ["the operator", "member.invited", "owner@example.org as owner"],
    ]);
    expect((await at(ALPHA, "/api/audit", { headers: { Cookie: cookie } })).status).toBe(403);
    expect(((await (await at(BETA, "/api/audit", { headers: OPERATOR })).json()) as any).entries).toEqual([]);
    const owner = await signInAs(ALPHA, "owner@example.org");
    const dashboard = await (await at(ALPHA, "/admin", { headers: { Cookie: owner } })).text();
    // In words, not codes (the codes stay in the JSON above).
    expect(dashboard).toContain("ed@example.org: Saved the post “audited”");
    expect(dashboard).not.toContain("post.saved");
    expect(dashboard).toContain("Mail kept here, not sent");
  });
});

describe("invitations", () => {
  it("join the invitee once they accept, with a button, on the inviting blog only", async () => {
    await setUp();
    expect((await invite(ALPHA, "new@example.org", "moderator")).status).toBe(202);
    const listed = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as any;
    expect(listed.members).toEqual([]);
    expect(listed.invitations).toEqual([expect.objectContaining({ email: "new@example.org", role: "moderator" })]);
    const mail = await mailTo(ALPHA, "new@example.org", "You are invited");
    const token = decodeURIComponent(/\/invite\/accept\?token=([^\s"&<]+)/.exec(mail.text)![1]!);
    expect(await (await at(ALPHA, `/invite/accept?token=${encodeURIComponent(token)}`)).text()).toContain("Accept the invitation");
    const elsewhere = await at(BETA, "/invite/accept", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    expect(elsewhere.status).toBe(400);
    const accepted = await at(ALPHA, "/invite/accept", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
    expect(accepted.status).toBe(303);
    const cookie = accepted.headers.get("set-cookie")!.split(";")[0]!;
    expect((await at(ALPHA, "/api/posts/hello/comments?status=held", { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await at(ALPHA, "/admin/posts/new", { headers: { Cookie: cookie } })).status).toBe(403);
    expect((await at(ALPHA, "/invite/accept", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` })).status).toBe(
      400,
    );
    const after = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as any;
    expect(after.members.map((m: any) => [m.email, m.role])).toEqual([["new@example.org", "moderator"]]);
    expect(after.invitations).toEqual([]);
  });

  it("cannot give a role the inviter does not have", async () => {
    await setUp();
    await addMember(ALPHA, "owner@example.org", "owner");
    const cookie = await signInAs(ALPHA, "owner@example.org");
    const page = await (await at(ALPHA, "/admin", { headers: { Cookie: cookie } })).text();
    const csrf = /data-csrf="([^"]+)"/.exec(page)![1]!;
    const headers = { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" };
    const tokenRes = await at(ALPHA, "/api/tokens", { method: "POST", headers, body: JSON.stringify({ name: "t", role: "owner" }) });
    const { token } = (await tokenRes.json()) as { token: string };
    expect(
      (await invite(ALPHA, "x@example.org", "owner", { Authorization: `Bearer ${token}`, "Content-Type": "application/json" })).status,
    ).toBe(202);
    await addMember(ALPHA, "ed@example.org", "editor");
    const edCookie = await signInAs(ALPHA, "ed@example.org");
    const edPage = await (await at(ALPHA, "/admin", { headers: { Cookie: edCookie } })).text();
    const edCsrf = /data-csrf="([^"]+)"/.exec(edPage)![1]!;
    const byEditor = await invite(ALPHA, "y@example.org", "editor", {
      Cookie: edCookie,
      "X-CSRF-Token": edCsrf,
      "Content-Type": "application/json",
    });
    expect(byEditor.status).toBe(403);
  });
});

describe("the People page and a member's own page", () => {
  it("let an owner invite and remove members, and a member see their sessions and make and revoke tokens", async () => {
    await setUp();
    await addMember(ALPHA, "owner@example.org", "owner");
    await addMember(ALPHA, "ed@example.org", "editor");
    const cookie = await signInAs(ALPHA, "owner@example.org");
    const csrfOf = async (path: string) =>
      /name="csrf" value="([^"]+)"/.exec(await (await at(ALPHA, path, { headers: { Cookie: cookie } })).text())![1]!;
    const people = await (await at(ALPHA, "/admin/people", { headers: { Cookie: cookie } })).text();
    expect(people).toContain("ed@example.org");
    const invited = await at(ALPHA, "/admin/people", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ csrf: await csrfOf("/admin/people"), email: "new@example.org", role: "moderator" }).toString(),
    });
    expect(invited.status).toBe(200);
    expect(await invited.text()).toContain("new@example.org as moderator");
    await mailTo(ALPHA, "new@example.org", "You are invited");
    const { members } = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as { members: any[] };
    const editor = members.find((m) => m.email === "ed@example.org").personId;
    const owner = members.find((m) => m.email === "owner@example.org").personId;
    const promoted = await at(ALPHA, `/admin/people/${editor}/role`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ csrf: await csrfOf("/admin/people"), role: "moderator" }).toString(),
    });
    expect(promoted.status).toBe(303);
    const after = (await (await at(ALPHA, "/api/members", { headers: OPERATOR })).json()) as { members: any[] };
    expect(after.members.find((m) => m.personId === editor).role).toBe("moderator");
    // The last owner stays one.
    const demoteSelf = await at(ALPHA, `/admin/people/${owner}/role`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ csrf: await csrfOf("/admin/people"), role: "editor" }).toString(),
    });
    expect(demoteSelf.status).toBe(409);
    const removed = await at(ALPHA, `/admin/people/${editor}/remove`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: `csrf=${encodeURIComponent(await csrfOf("/admin/people"))}`,
    });
    expect(removed.status).toBe(303);
    expect(await (await at(ALPHA, "/admin/people", { headers: { Cookie: cookie } })).text()).not.toContain("ed@example.org");

    const mine = await (await at(ALPHA, "/admin/me", { headers: { Cookie: cookie } })).text();
    expect(mine).toContain("owner@example.org");
    expect(mine).toMatch(/Signed in .*, until/);
    const made = await at(ALPHA, "/admin/me/tokens", {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: new URLSearchParams({ csrf: await csrfOf("/admin/me"), name: "backup script", role: "editor" }).toString(),
    });
    const shown = /<code>(ebt_[^<]+)<\/code>/.exec(await made.text())![1]!;
    expect((await at(ALPHA, "/api/tokens", { headers: { Authorization: `Bearer ${shown}` } })).status).toBe(200);
    const page = await (await at(ALPHA, "/admin/me", { headers: { Cookie: cookie } })).text();
    expect(page).not.toContain(shown);
    const id = /\/admin\/me\/tokens\/(\d+)\/revoke/.exec(page)![1]!;
    const revoked = await at(ALPHA, `/admin/me/tokens/${id}/revoke`, {
      method: "POST",
      headers: { ...FORM, Cookie: cookie },
      body: `csrf=${encodeURIComponent(await csrfOf("/admin/me"))}`,
    });
    expect(revoked.status).toBe(303);
    expect((await at(ALPHA, "/api/tokens", { headers: { Authorization: `Bearer ${shown}` } })).status).toBe(401);
  });
});
