import { reset, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearPageCache } from "../src/http/cache";
import { dirtyCount } from "../src/http/just-written";
import { headerText } from "../src/mail/messages";
import { get, getJson, listen, makePost, publish, requestWith, signIn, ADMIN_TOKEN } from "./helpers";

/** Hardening II: the attacks on sign-in, caches, WebSockets and subscriptions, replayed against the app. */
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const SLUG = "the-post";
const CACHED = { PAGE_CACHE_SECONDS: "30" };
let ip = 0;

beforeEach(async () => {
  await publish([makePost({ slug: SLUG, date: "2024-01-01T00:00:00Z" })]);
});

afterEach(async () => {
  vi.useRealTimers();
  clearPageCache();
  await reset();
});

const csrfOf = async (cookie: string) => /name="csrf" value="([^"]+)"/.exec(await (await get("/admin", { Cookie: cookie })).text())?.[1];

const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}, vars = {}) =>
  requestWith(vars, path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": `10.9.0.${++ip % 250}`, ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const json = (path: string, body: unknown, headers: Record<string, string> = {}, vars = {}, method = "POST") =>
  requestWith(vars, path, {
    method,
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `10.8.0.${++ip % 250}`, ...headers },
    body: JSON.stringify(body),
  });

async function outbox(): Promise<{ to: string; subject: string; text: string }[]> {
  return (await getJson("/api/admin/outbox", ADMIN)).body.messages;
}

const tokenIn = (text: string, path: string) => decodeURIComponent(new RegExp(`${path}\\?token=([^\\s"&<]+)`).exec(text)![1]!);

describe("admin answers publicly cacheable", () => {
  it("answers every credentialed request private, no-store, and the caches never serve it to anyone else", async () => {
    await json(`/api/posts/${SLUG}/comments`, { author: "Held", body: "waiting" }, {}, { COMMENT_MODERATION: "all" });
    const cookie = await signIn();
    const [name, value] = cookie.split("=");
    const held = `/api/posts/${SLUG}/comments?status=held`;
    for (const credentials of [{ Cookie: `${name} =${value}` }, { Cookie: cookie }, ADMIN]) {
      const admin = await requestWith(CACHED, held, { headers: credentials });
      expect(admin.status).toBe(200);
      expect(admin.headers.get("cache-control")).toBe("private, no-store");
      expect(((await admin.json()) as any).comments.map((c: any) => c.author)).toEqual(["Held"]);
      const anonymous = await requestWith(CACHED, held);
      expect(anonymous.status).toBe(401);
      clearPageCache(); // another isolate: only the Cache API could answer now
      expect((await requestWith(CACHED, held)).status).toBe(401);
    }
    // A public page asked with credentials is private too, and not kept for readers.
    const page = await requestWith(CACHED, `/posts/${SLUG}`, { headers: ADMIN });
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect((await requestWith(CACHED, `/posts/${SLUG}`)).headers.get("x-cache")).toBe("MISS");
  });
});

describe("the page cache", () => {
  it("is not emptied by anonymous writes that were refused", async () => {
    expect((await requestWith(CACHED, `/posts/${SLUG}`)).headers.get("x-cache")).toBe("MISS");
    expect((await requestWith(CACHED, `/posts/${SLUG}`)).headers.get("x-cache")).toBe("HIT");
    expect((await requestWith(CACHED, "/no/such/form", { method: "POST" })).status).toBe(404);
    expect(
      (await requestWith(CACHED, "/api/subscribe", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" })).status,
    ).toBe(415);
    expect((await requestWith(CACHED, `/posts/${SLUG}`)).headers.get("x-cache")).toBe("HIT");
    // A write that happened does empty it.
    expect((await json(`/api/posts/${SLUG}/comments`, { author: "A", body: "b" }, {}, CACHED)).status).toBe(201);
    expect((await requestWith(CACHED, `/posts/${SLUG}`)).headers.get("x-cache")).toBe("MISS");
  });

  it("forgets the posts it just wrote to once the window has passed", async () => {
    await publish([makePost({ slug: "one", date: "2024-01-01T00:00:00Z" }), makePost({ slug: "two", date: "2024-01-02T00:00:00Z" })]);
    const start = Date.now();
    vi.useFakeTimers({ now: start + 6000, toFake: ["Date"] }); // past whatever earlier tests wrote
    await json("/api/posts/one/comments", { author: "A", body: "b" }, {}, CACHED);
    await json("/api/posts/two/comments", { author: "A", body: "b" }, {}, CACHED);
    expect(dirtyCount()).toBe(2);
    vi.setSystemTime(start + 12_000);
    await json(`/api/posts/${SLUG}/comments`, { author: "A", body: "b" }, {}, CACHED);
    expect(dirtyCount()).toBe(1);
  });

  it("answers 304 only to the ETag it holds, and 200 to a stale one", async () => {
    const first = await requestWith(CACHED, `/posts/${SLUG}`);
    const tag = first.headers.get("etag")!;
    expect((await requestWith(CACHED, `/posts/${SLUG}`, { headers: { "If-None-Match": tag } })).status).toBe(304);
    const stale = await requestWith(CACHED, `/posts/${SLUG}`, { headers: { "If-None-Match": '"stale-etag"' } });
    expect(stale.headers.get("x-cache")).toBe("HIT");
    expect(stale.status).toBe(200);
    expect(await stale.text()).toContain("<!DOCTYPE html>");
  });

  it("misses after a real comment once the thread's alarm has written its new version", async () => {
    expect((await requestWith(CACHED, `/posts/${SLUG}`)).headers.get("x-cache")).toBe("MISS");
    await json(`/api/posts/${SLUG}/comments`, { author: "A", body: "new" }, {}, CACHED);
    await runDurableObjectAlarm(env.COMMENTS.get(env.COMMENTS.idFromName(SLUG)));
    const count = JSON.parse((await env.POSTS.get(`v1:count:${SLUG}`))!);
    expect(count.n).toBe(1);
    expect(count.v).toBeGreaterThan(0);
    vi.useFakeTimers({ now: Date.now() + 31_000, toFake: ["Date"] });
    clearPageCache();
    const after = await requestWith(CACHED, `/posts/${SLUG}`);
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(await after.text()).toContain("1 comment");
  });
});

describe("admin credentials that nearly match", () => {
  it.each([
    ["a prefix of the token", `Bearer ${ADMIN_TOKEN.slice(0, 8)}`],
    ["the first letter only", `Bearer ${ADMIN_TOKEN[0]}`],
    ["a longer token", `Bearer ${ADMIN_TOKEN}x`],
    ["the token in the other case", `Bearer ${ADMIN_TOKEN.toUpperCase()}`],
    ["an empty bearer", "Bearer "],
    ["the token without the scheme", ADMIN_TOKEN],
  ])("refuses %s", async (_, authorization) => {
    expect((await get("/api/admin/outbox", { Authorization: authorization })).status).toBe(401);
    expect(
      (await json(`/api/posts/${SLUG}`, { title: "T", date: "2024-01-01", markdown: "x" }, { Authorization: authorization }, {}, "PUT"))
        .status,
    ).toBe(401);
  });

  it("refuses an admin form with a wrong or another session's CSRF token", async () => {
    const cookie = await signIn();
    const other = await csrfOf(await signIn());
    const right = await csrfOf(cookie);
    for (const csrf of ["x", other!, `${right}x`, right!.slice(0, -1)]) {
      const res = await form(
        "/admin/posts",
        { csrf, slug: "x", title: "x", date: "2024-01-01", markdown: "x", action: "publish" },
        { Cookie: cookie },
      );
      expect(res.status, csrf).toBe(403);
    }
    const ok = await form(
      "/admin/posts",
      { csrf: right!, slug: "x", title: "x", date: "2024-01-01", markdown: "x", action: "publish" },
      { Cookie: cookie },
    );
    expect(ok.status).toBe(303);
  });

  it("takes the session cookie on the JSON admin API only with the session's CSRF token", async () => {
    const cookie = await signIn();
    const csrf = (await csrfOf(cookie))!;
    const put = (headers: Record<string, string>) =>
      json("/api/posts/by-cookie", { title: "T", date: "2024-01-01", markdown: "x" }, headers, {}, "PUT");
    expect((await put({ Cookie: cookie })).status).toBe(401);
    expect((await put({ Cookie: cookie, "X-CSRF-Token": "wrong" })).status).toBe(401);
    expect((await put({ Cookie: cookie, "X-CSRF-Token": csrf })).status).toBe(201);
  });
});

describe("sessions after sign-out", () => {
  it("ends the session on sign-out: a copy of the cookie no longer signs in", async () => {
    const cookie = await signIn();
    expect(await (await get("/admin", { Cookie: cookie })).text()).toContain("Sign out everywhere");
    const out = await form("/admin/logout", { csrf: (await csrfOf(cookie))! }, { Cookie: cookie });
    expect(out.status).toBe(303);
    expect(await (await get("/admin", { Cookie: cookie })).text()).toContain('action="/signin"');
    expect((await get(`/api/posts/${SLUG}/comments?status=held`, { Cookie: cookie })).status).toBe(401);
  });

  it("signs out everywhere: every session ends", async () => {
    const [a, b] = [await signIn(), await signIn()];
    const out = await form("/admin/logout-everywhere", { csrf: (await csrfOf(a))! }, { Cookie: a });
    expect(out.status).toBe(303);
    for (const cookie of [a, b]) expect(await (await get("/admin", { Cookie: cookie })).text()).toContain('action="/signin"');
    expect(await (await get("/admin", { Cookie: await signIn() })).text()).toContain("Sign out everywhere");
  });
});

describe("cross-origin WebSocket", () => {
  it("refuses an upgrade from another origin, for editors and readers alike", async () => {
    const cookie = await signIn();
    const live = `/api/posts/${SLUG}/comments/live`;
    for (const origin of ["http://blog.example:8080", "https://evil.example", "null"]) {
      const admin = await get(`${live}?admin=1`, { Upgrade: "websocket", Cookie: cookie, Origin: origin });
      expect(admin.status, origin).toBe(403);
      expect((await get(live, { Upgrade: "websocket", Origin: origin })).status, origin).toBe(403);
    }
    const own = await listen(`${live}?admin=1`, { Cookie: cookie, Origin: "https://blog.example" });
    await vi.waitFor(() => expect(own.messages[0]?.type).toBe("hello"));
    own.ws.close();
  });

  it("caps the sockets one address holds on a post", async () => {
    const live = `/api/posts/${SLUG}/comments/live`;
    const sockets = [];
    for (let i = 0; i < 64; i++) sockets.push(await listen(live, { "CF-Connecting-IP": "2001:db8:9::1" }));
    const over = await get(live, { Upgrade: "websocket", "CF-Connecting-IP": "2001:db8:9::ffff" });
    expect(over.status).toBe(429);
    expect(((await over.json()) as any).error.code).toBe("rate_limited");
    expect((await get(live, { Upgrade: "websocket", "CF-Connecting-IP": "203.0.113.9" })).status).toBe(101);
    for (const s of sockets) s.ws.close();
  });
});

describe("subscriptions", () => {
  it("counts an IPv6 /64 as one address and caps the blog's requests from all addresses", async () => {
    const from = (address: string, email: string) => json("/api/subscribe", { email }, { "CF-Connecting-IP": address });
    for (let i = 0; i < 5; i++) expect((await from(`2001:db8:5:6::${i + 1}`, `v6-${i}@example.org`)).status).toBe(202);
    expect((await from("2001:db8:5:6:ffff::1", "v6-x@example.org")).status).toBe(429);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await from(`198.51.100.${i}`, `many-${i}@example.org`)).status);
    // 50 confirmation mails at most per window, whatever the addresses; then 429 for new addresses.
    expect(statuses.filter((s) => s === 202)).toHaveLength(45);
    expect(statuses.slice(45).every((s) => s === 429)).toBe(true);
    expect((await outbox()).length).toBe(50);
  });

  it("answers a new address and a confirmed one alike, and a failing mail provider changes nothing in the answer", async () => {
    const answer = async (email: string, vars = {}) => {
      const res = await json("/api/subscribe", { email }, {}, vars);
      return { status: res.status, body: await res.json() };
    };
    const fresh = await answer("new@example.org");
    const token = tokenIn((await outbox())[0]!.text, "/subscribe/confirm");
    expect((await form("/subscribe/confirm", { token })).status).toBe(200);
    expect(await answer("new@example.org")).toEqual(fresh);
    // The mail goes out after the answer: a provider that cannot be reached no longer turns it into a 503.
    const broken = { MAIL_DRIVER: "resend", MAIL_API_KEY: "k", MAIL_API_URL: "http://127.0.0.1:9" };
    expect(await answer("other@example.org", broken)).toEqual(fresh);
  });

  it("confirms only from the button (POST), only while pending, and only with the latest link", async () => {
    await json("/api/subscribe", { email: "late@example.org" });
    const first = tokenIn((await outbox()).at(-1)!.text, "/subscribe/confirm");
    // Following the link (a mail scanner) confirms nothing.
    expect((await get(`/subscribe/confirm?token=${encodeURIComponent(first)}`)).status).toBe(200);
    expect((await getJson("/api/admin/outbox", ADMIN)).body.messages).toHaveLength(1);
    vi.useFakeTimers({ now: Date.now() + 11 * 60_000, toFake: ["Date"] });
    await json("/api/subscribe", { email: "late@example.org" });
    const second = tokenIn((await outbox()).at(-1)!.text, "/subscribe/confirm");
    expect(second).not.toBe(first);
    expect((await form("/subscribe/confirm", { token: first })).status).toBe(400);
    expect((await form("/subscribe/confirm", { token: second })).status).toBe(200);
    expect((await form("/subscribe/confirm", { token: second })).status).toBe(400);
  });

  it("does not subscribe again from an old confirmation link after a one-click unsubscribe", async () => {
    await json("/api/subscribe", { email: "gone@example.org" });
    const token = tokenIn((await outbox()).at(-1)!.text, "/subscribe/confirm");
    expect((await form("/subscribe/confirm", { token })).status).toBe(200);
    const store = env.SUBSCRIBERS.get(env.SUBSCRIBERS.idFromName("subscribers"));
    const [delivery] = await store.claimDeliveries(
      [{ slug: SLUG, title: "T", summary: "S", date: new Date(Date.now() + 1000).toISOString() }],
      10,
    );
    expect((await requestWith({}, `/unsubscribe?token=${encodeURIComponent(delivery!.unsubscribeToken)}`, { method: "POST" })).status).toBe(
      200,
    );
    expect((await form("/subscribe/confirm", { token })).status).toBe(400);
    expect(await store.counts()).toMatchObject({ confirmed: 0, unsubscribed: 1 });
  });
});

describe("post titles in mail headers", () => {
  it("keep no line break that could start a header of their own", () => {
    expect(headerText("Hello\r\nBcc: victim@example.com")).toBe("Hello Bcc: victim@example.com");
    expect(headerText("A\u2028B\tC\u0000D")).toBe("A B C D");
  });
});
