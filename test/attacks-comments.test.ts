import { listDurableObjectIds, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOSTILE } from "../scripts/lib/hostile-comments";
import { get, getJson, makePost, publish, requestWith } from "./helpers";

/** Hardening II: the attacks on comments found by the review, each replayed against the app. */
const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdef0123" };
const SLUG = "the-post";

beforeEach(async () => {
  await publish([makePost({ slug: SLUG, date: "2024-01-01T00:00:00Z" })]);
});

afterEach(async () => {
  await reset();
});

type Vars = Partial<Record<keyof Env, string>>;
let ip = 0;

async function post(vars: Vars, json: unknown, headers: Record<string, string> = {}) {
  const res = await requestWith(vars, `/api/posts/${SLUG}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `192.0.2.${++ip % 250}`, ...headers },
    body: JSON.stringify(json),
  });
  return { res, body: (await res.json()) as any, cookie: res.headers.get("set-cookie")?.split(";")[0] ?? null };
}

async function patch(vars: Vars, id: number, body: string, editToken: string) {
  return requestWith(vars, `/api/posts/${SLUG}/comments/${id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ body, editToken }),
  });
}

const approve = (id: number) => requestWith({}, `/api/posts/${SLUG}/comments/${id}/approve`, { method: "POST", headers: ADMIN });
const published = async () => (await getJson(`/api/posts/${SLUG}/comments`)).body.comments.map((c: any) => c.html);

describe("edits bypassing moderation", () => {
  it("sends an approved comment back to the queue when its author edits it under COMMENT_MODERATION=all", async () => {
    const all = { COMMENT_MODERATION: "all" };
    const created = await post(all, { author: "Ann", body: "harmless" });
    expect(created.body.moderation).toBe("held");
    expect((await approve(created.body.comment.id)).status).toBe(200);
    expect(await published()).toEqual(["<p>harmless</p>"]);

    const edited = await patch(all, created.body.comment.id, "now with spam", created.body.editToken);
    expect(edited.status).toBe(200);
    expect(await published()).toEqual([]);
    const held = await getJson(`/api/posts/${SLUG}/comments?status=held`, ADMIN);
    expect(held.body.comments.map((c: any) => c.html)).toEqual(["<p>now with spam</p>"]);
  });

  it("holds an untrusted commenter's edit under first-time, and runs the spam rules again in every mode", async () => {
    const open = await post({}, { author: "Bo", body: "fine" });
    expect(open.body.moderation).toBe("published");
    const spam = await patch({}, open.body.comment.id, "cheap casino bonus here", open.body.editToken);
    expect(spam.status).toBe(200);
    expect(await published()).toEqual([]);

    const firstTime = { COMMENT_MODERATION: "first-time" };
    const stranger = await post(firstTime, { author: "Cy", body: "first" });
    expect(stranger.body.moderation).toBe("held");
    expect((await patch(firstTime, stranger.body.comment.id, "still waiting", stranger.body.editToken)).status).toBe(200);
    expect(await published()).toEqual([]);
  });
});

describe("trust by display name", () => {
  it("does not trust a copied name or an unverified email under first-time; the approved commenter's cookie is trusted", async () => {
    const firstTime = { COMMENT_MODERATION: "first-time" };
    const maria = await post(firstTime, { author: "Maria Rossi", body: "hello", email: "maria@example.org" });
    expect(maria.body.moderation).toBe("held");
    expect(maria.cookie).toMatch(/^__Host-commenter=/);
    expect((await approve(maria.body.comment.id)).status).toBe(200);

    for (const impostor of [
      { author: "maria rossi", body: "buy now" },
      { author: "Maria Rossi", body: "buy now" },
      { author: "Someone", body: "buy now", email: "maria@example.org" },
    ]) {
      expect((await post(firstTime, impostor)).body.moderation).toBe("held");
    }
    // A forged or foreign cookie is a stranger's too.
    expect(
      (await post(firstTime, { author: "Maria Rossi", body: "x" }, { Cookie: "__Host-commenter=forged.0.AAAA" })).body.moderation,
    ).toBe("held");

    const again = await post(firstTime, { author: "Maria", body: "me again" }, { Cookie: maria.cookie! });
    expect(again.body.moderation).toBe("published");
  });
});

describe("unknown posts creating storage", () => {
  it("creates no Durable Object and writes nothing for requests about a slug that is not a public post", async () => {
    const keysBefore = (await env.POSTS.list()).keys.map((k) => k.name).sort();
    const objectsBefore = (await listDurableObjectIds(env.COMMENTS)).map(String);
    const form = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "author=A&body=b" };
    for (const slug of ["no-such-post", "random-1", "random-2"]) {
      expect((await get(`/posts/${slug}`)).status).toBe(404);
      expect((await get(`/posts/${slug}?replyto=1`)).status).toBe(404);
      expect((await get(`/posts/${slug}/comments`)).status).toBe(404);
      expect((await requestWith({}, `/posts/${slug}/comments`, form)).status).toBe(404);
      expect((await requestWith({}, `/posts/${slug}/comments`, { ...form, body: "author=&body=" })).status).toBe(404);
      expect((await get(`/api/posts/${slug}/comments`)).status).toBe(404);
      expect((await get(`/api/posts/${slug}/comments/live`, { Upgrade: "websocket" })).status).toBe(404);
    }
    expect((await listDurableObjectIds(env.COMMENTS)).map(String)).toEqual(objectsBefore);
    expect((await env.POSTS.list()).keys.map((k) => k.name).sort()).toEqual(keysBefore);
  });
});

describe("expensive comment Markdown", () => {
  it.each(Object.entries(HOSTILE))("stores %s at the size limit as a comment (201), never a 5xx", async (_, text) => {
    const { res, body } = await post({ COMMENT_RATE_LIMIT: "0" }, { author: "Mallory", body: text.slice(0, 5000) });
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(typeof body.comment.html).toBe("string");
  });

  it("keeps markers past the bounds as the text the commenter typed", async () => {
    const { body } = await post({}, { author: "M", body: `${"*".repeat(5)}x${"*".repeat(5)}` });
    expect(body.comment.html).toBe("<p>*****x*****</p>");
  });
});

describe("rate limits per exact IP", () => {
  it("counts the addresses of one IPv6 /64 as one client", async () => {
    const vars = { COMMENT_RATE_LIMIT: "2" };
    const from = (suffix: string) =>
      post(vars, { author: "V6", body: `from ${suffix}` }, { "CF-Connecting-IP": `2001:db8:1:2::${suffix}` });
    expect((await from("1")).res.status).toBe(201);
    expect((await from("2")).res.status).toBe(201);
    const third = await from("abcd");
    expect(third.res.status).toBe(429);
    expect(third.res.headers.get("retry-after")).toMatch(/^\d+$/);
    // Another /64 is another client.
    expect((await post(vars, { author: "V6", body: "elsewhere" }, { "CF-Connecting-IP": "2001:db8:1:3::1" })).res.status).toBe(201);
  });

  it("caps one post's comments per minute from all addresses together (COMMENT_POST_LIMIT)", async () => {
    const vars = { COMMENT_RATE_LIMIT: "1", COMMENT_POST_LIMIT: "6" };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await post(vars, { author: "R", body: `n${i}` }, { "CF-Connecting-IP": `198.51.100.${i}` })).res.status);
    }
    // The post's own limit, then 429 whatever the address.
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429, 429]);
  });

  it("takes 200 readers commenting on one busy post within a minute, with the defaults", async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const { res } = await post(
        {},
        { author: `Reader ${i}`, body: `Breaking: my take number ${i}` },
        { "CF-Connecting-IP": `10.0.${i >> 8}.${i & 255}` },
      );
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect([...statuses]).toEqual([[201, 200]]);
  });

  it("gives a refused reader their text back, with how long to wait, on the page", async () => {
    const vars = { COMMENT_POST_LIMIT: "1" };
    const form = (author: string, body: string, ip: string) =>
      requestWith(vars, `/posts/${SLUG}/comments`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": ip },
        body: new URLSearchParams({ author, body, email: "", website: "", parentId: "" }).toString(),
      });
    expect((await form("First", "got in", "198.51.100.1")).status).toBe(303);
    const refused = await form("Second", "My long, careful answer that must not be lost.", "198.51.100.2");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    const page = await refused.text();
    expect(page).toContain("My long, careful answer that must not be lost.</textarea>");
    expect(page).toContain('value="Second"');
    expect(page).toMatch(/Too many comments on this post right now\. Try again in \d+ seconds\./);
  });
});
