import { createExecutionContext, createScheduledController, reset, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { announceNewPosts } from "../src/announce";
import { sendPost } from "../src/jobs";
import { subscribers } from "../src/data/objects";
import worker from "../src/index";
import { resendMailer } from "../src/mail/mailer";
import { DAY, get, getJson, HOUR, makePost, publish, request, requestWith } from "./helpers";
import { MAIN_BLOG } from "../src/core/blogs";

const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdef0123" };
let ip = 0;

afterEach(async () => {
  vi.useRealTimers();
  await reset();
});

// Through requestWith, which waits for the answer's waitUntil work (the confirmation mail is sent after the answer).
const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  requestWith({}, path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": `10.1.0.${++ip % 250}`, ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  requestWith({}, path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": `10.2.0.${++ip % 250}`, ...headers },
    body: JSON.stringify(body),
  });

async function outbox(): Promise<any[]> {
  const { res, body } = await getJson("/api/admin/outbox", ADMIN);
  expect(res.status).toBe(200);
  return body.messages;
}

const tokenIn = (text: string, path: string) => decodeURIComponent(new RegExp(`${path}\\?token=([^\\s"&<]+)`).exec(text)![1]!);

async function subscribeAndConfirm(email: string): Promise<void> {
  expect((await json("/api/subscribe", { email })).status).toBe(202);
  const mail = (await outbox()).filter((m) => m.to === email.toLowerCase()).at(-1);
  const token = tokenIn(mail.text, "/subscribe/confirm");
  const page = await get(`/subscribe/confirm?token=${encodeURIComponent(token)}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form method="post" action="/subscribe/confirm">');
  const confirmed = await form("/subscribe/confirm", { token });
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain("You are subscribed");
}

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** The cron, then the jobs queue's consumer (it runs by itself here) until each post's mailing is done. */
async function runCronAndMail(...slugs: string[]) {
  await runCron();
  await vi.waitFor(
    async () => {
      for (const slug of slugs) expect((await subscribers(env, MAIN_BLOG).sendStatus(slug))?.state, slug).toBe("sent");
    },
    { timeout: 4_000, interval: 100 },
  );
}

describe("the subscribe box and /follow", () => {
  it("shows the seed sentence and a working form on every post page", async () => {
    await publish([makePost({ slug: "with-box" })]);
    const html = await (await get("/posts/with-box")).text();
    expect(html).toContain("To be informed of the latest articles, subscribe:");
    expect(html).toMatch(/<form method="post" action="\/subscribe"/);
    expect(html).toContain('name="email" type="email"');
  });

  it("/follow offers the form and the feed links", async () => {
    const res = await get("/follow");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("To be informed of the latest articles, subscribe:");
    for (const feed of ["/feed.xml", "/rss.xml", "/feed.json"]) expect(html).toContain(`href="${feed}"`);
  });
});

describe("POST /subscribe and POST /api/subscribe", () => {
  it("sends one confirmation mail with an absolute link and a plain-text part, and tells the reader to check their inbox", async () => {
    const res = await form("/subscribe", { email: "  Reader@Example.COM " });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Check your inbox");
    const [mail, ...rest] = await outbox();
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ to: "reader@example.com", subject: "Confirm your subscription to The Edge Dispatch", headers: {} });
    // In development (BASE_URL on localhost) links follow the host that served the request.
    expect(mail.text).toMatch(/https:\/\/blog\.example\/subscribe\/confirm\?token=\S+/);
    expect(mail.html).toContain("https://blog.example/subscribe/confirm?token=");
    expect(mail.sentAt).toMatch(/^\d{4}-/);
  });

  it("is idempotent: no duplicate row, at most one confirmation mail per 10 minutes", async () => {
    for (let i = 0; i < 3; i++) expect((await json("/api/subscribe", { email: "twice@example.org" })).status).toBe(202);
    expect((await outbox()).filter((m) => m.to === "twice@example.org")).toHaveLength(1);
    expect(await subscribers(env, MAIN_BLOG).counts()).toEqual({ pending: 1, confirmed: 0, unsubscribed: 0 });
    vi.useFakeTimers({ now: Date.now() + 11 * 60_000, toFake: ["Date"] });
    expect((await json("/api/subscribe", { email: "twice@example.org" })).status).toBe(202);
    vi.useRealTimers();
    expect((await outbox()).filter((m) => m.to === "twice@example.org")).toHaveLength(2);
  });

  it("answers the same for an address that is already confirmed, and sends nothing", async () => {
    await subscribeAndConfirm("known@example.org");
    const before = (await outbox()).length;
    const res = await json("/api/subscribe", { email: "known@example.org" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "pending", message: expect.any(String) });
    expect(await outbox()).toHaveLength(before);
  });

  it.each([["not-an-email"], [""], ["a@b"], [`${"x".repeat(250)}@example.org`], [42]])("rejects %j with 400", async (email) => {
    const res = await json("/api/subscribe", { email });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("invalid_email");
  });

  it("shows the form again with the error and the address kept", async () => {
    const res = await form("/subscribe", { email: "nope@" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('role="alert">Your email address must be a valid address');
    expect(html).toContain('value="nope@"');
  });

  it("answers 415, 413 and malformed-JSON 400 in the error shape", async () => {
    expect((await request("/api/subscribe", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "a@b.c" })).status).toBe(
      415,
    );
    expect((await json("/api/subscribe", { email: "a@example.org", pad: "x".repeat(70_000) })).status).toBe(413);
    const bad = await request("/api/subscribe", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(bad.status).toBe(400);
  });

  it("limits requests per IP with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await json("/api/subscribe", { email: `flood${i}@example.org` }, { "CF-Connecting-IP": "192.0.2.99" });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("GET and POST /subscribe/confirm", () => {
  it("confirms with the mailed token, from the button on the link's page", async () => {
    await subscribeAndConfirm("confirm-me@example.org");
    expect(await subscribers(env, MAIN_BLOG).counts()).toMatchObject({ confirmed: 1 });
  });

  it("refuses a tampered, missing or expired token", async () => {
    await json("/api/subscribe", { email: "tamper@example.org" });
    const token = tokenIn((await outbox())[0].text, "/subscribe/confirm");
    const [payload, expires, sig] = token.split(".");
    const forged = `${btoa("1.AAAAAAAAAAAAAAAA").replace(/=+$/, "")}.${expires}.${sig}`;
    for (const t of [`${payload}.${expires}.${sig!.slice(0, -2)}AA`, forged, "garbage", ""]) {
      const res = await get(`/subscribe/confirm?token=${encodeURIComponent(t)}`);
      expect(res.status, t).toBe(400);
      expect(await res.text()).toContain("The confirmation link is not valid");
      expect((await form("/subscribe/confirm", { token: t })).status, t).toBe(400);
    }
    vi.useFakeTimers({ now: Date.now() + 8 * DAY, toFake: ["Date"] });
    expect((await get(`/subscribe/confirm?token=${encodeURIComponent(token)}`)).status).toBe(400);
    expect((await form("/subscribe/confirm", { token })).status).toBe(400);
    vi.useRealTimers();
    expect(await subscribers(env, MAIN_BLOG).counts()).toMatchObject({ pending: 1, confirmed: 0 });
  });
});

describe("announcements (the scheduled handler)", () => {
  it("mails each new post once to each confirmed subscriber, with one-click unsubscribe", async () => {
    await publish([makePost({ slug: "old-news", date: new Date(Date.now() - 2 * DAY).toISOString() })]);
    await subscribeAndConfirm("fan@example.org");
    await json("/api/subscribe", { email: "pending@example.org" });
    await publish(
      [
        makePost({ slug: "old-news", date: new Date(Date.now() - 2 * DAY).toISOString() }),
        makePost({ slug: "fresh", title: "Fresh news", date: new Date(Date.now() + 1000).toISOString() }),
      ],
      new Date(Date.now() + 2000),
    );

    await runCronAndMail("fresh", "old-news");
    const announcements = (await outbox()).filter((m) => m.subject.startsWith("Fresh news"));
    expect(announcements).toHaveLength(1);
    const [mail] = announcements;
    expect(mail.to).toBe("fan@example.org");
    expect(mail.text).toContain("http://localhost:8787/posts/fresh");
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:8787\/unsubscribe\?token=[^>]+>$/);
    expect((await outbox()).some((m) => m.subject.startsWith("Post number") && m.to === "fan@example.org")).toBe(false);

    const count = (await outbox()).length;
    await runCronAndMail("fresh");
    await runCronAndMail("fresh");
    expect(await outbox()).toHaveLength(count);
  });

  it("announces a scheduled post once its time has come, without another publish", async () => {
    await subscribeAndConfirm("patient@example.org");
    await publish([makePost({ slug: "soon", title: "Soon", date: new Date(Date.now() + HOUR).toISOString() })]);
    await runCron();
    expect((await outbox()).some((m) => m.subject.startsWith("Soon"))).toBe(false);
    expect(await subscribers(env, MAIN_BLOG).sendStatus("soon")).toBeNull();
    vi.useFakeTimers({ now: Date.now() + 2 * HOUR, toFake: ["Date"] });
    await runCronAndMail("soon");
    vi.useRealTimers();
    expect((await outbox()).filter((m) => m.subject.startsWith("Soon"))).toHaveLength(1);
  });

  it("sends each pair once even when runs and steps overlap", async () => {
    for (let i = 0; i < 5; i++) await subscribeAndConfirm(`many${i}@example.org`);
    await publish(
      [makePost({ slug: "overlap", title: "Overlap", date: new Date(Date.now() + 500).toISOString() })],
      new Date(Date.now() + 1000),
    );
    await new Promise((r) => setTimeout(r, 600));
    const results = await Promise.all([announceNewPosts(env), announceNewPosts(env), announceNewPosts(env)]);
    // One run starts the mailing; the others find it started.
    expect(results.reduce((n, r) => n + r.queued, 0)).toBe(1);
    // Steps running at once (the queue's, and three more) claim different subscribers.
    await Promise.all([sendPost(env, MAIN_BLOG, "overlap"), sendPost(env, MAIN_BLOG, "overlap"), sendPost(env, MAIN_BLOG, "overlap")]);
    await vi.waitFor(async () => expect((await subscribers(env, MAIN_BLOG).sendStatus("overlap"))?.state).toBe("sent"), {
      timeout: 4_000,
      interval: 100,
    });
    const mails = (await outbox()).filter((m) => m.subject.startsWith("Overlap"));
    expect(mails.map((m) => m.to).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `many${i}@example.org`));
    expect(await subscribers(env, MAIN_BLOG).sendStatus("overlap")).toMatchObject({ state: "sent", sent: 5, remaining: 0, failed: 0 });
  });
});

describe("unsubscribe", () => {
  it("GET shows a button, POST unsubscribes at once, and nothing is sent afterwards", async () => {
    await subscribeAndConfirm("leaver@example.org");
    await publish(
      [makePost({ slug: "first", title: "First", date: new Date(Date.now() + 300).toISOString() })],
      new Date(Date.now() + 1000),
    );
    await new Promise((r) => setTimeout(r, 400));
    await runCronAndMail("first");
    const mail = (await outbox()).find((m) => m.subject.startsWith("First"));
    const token = tokenIn(mail.text, "/unsubscribe");

    const page = await get(`/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("leaver@example.org");
    expect(html).toMatch(/<form method="post" action="\/unsubscribe\?token=/);
    expect(await subscribers(env, MAIN_BLOG).counts()).toMatchObject({ confirmed: 1 });

    const oneClick = await form(`/unsubscribe?token=${encodeURIComponent(token)}`, { "List-Unsubscribe": "One-Click" });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain("You are unsubscribed");
    expect(await subscribers(env, MAIN_BLOG).counts()).toMatchObject({ confirmed: 0, unsubscribed: 1 });

    await publish(
      [makePost({ slug: "second", title: "Second", date: new Date(Date.now() + 300).toISOString() })],
      new Date(Date.now() + 1000),
    );
    await new Promise((r) => setTimeout(r, 400));
    await runCronAndMail("second");
    expect((await outbox()).some((m) => m.subject.startsWith("Second"))).toBe(false);
  });

  it("refuses a bad token", async () => {
    expect((await get("/unsubscribe?token=nope")).status).toBe(400);
    expect((await form("/unsubscribe?token=nope", {})).status).toBe(400);
  });
});

describe("GET /api/admin/outbox", () => {
  it("needs the admin token", async () => {
    const none = await getJson("/api/admin/outbox");
    expect(none.res.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
    expect((await getJson("/api/admin/outbox", { Authorization: "Bearer wrong" })).res.status).toBe(401);
  });

  it("lists messages newest last", async () => {
    await json("/api/subscribe", { email: "one@example.org" });
    await json("/api/subscribe", { email: "two@example.org" });
    expect((await outbox()).map((m) => m.to)).toEqual(["one@example.org", "two@example.org"]);
  });
});

/** A stand-in for Resend's HTTP API: it checks the key, keeps what it receives and drops repeated Idempotency-Keys. */
function fakeProvider() {
  const received: { key: string; mails: any[] }[] = [];
  const seen = new Set<string>();
  let failures = 0;
  const app = new Hono().post("/emails/batch", async (c) => {
    if (c.req.header("Authorization") !== "Bearer re_test_key") return c.json({ message: "bad key" }, 401);
    if (failures > 0) {
      failures--;
      return c.json({ message: "temporarily unavailable" }, 503);
    }
    const key = c.req.header("Idempotency-Key") ?? "";
    const mails = await c.req.json<any[]>();
    if (mails.length > 100) return c.json({ message: "too many" }, 422);
    if (!seen.has(key)) {
      seen.add(key);
      received.push({ key, mails });
    }
    return c.json({ data: mails.map((_, i) => ({ id: `${key}-${i}` })) });
  });
  return {
    received,
    failNext: (n: number) => (failures = n),
    mailer: resendMailer({
      apiUrl: "https://provider.test",
      apiKey: "re_test_key",
      from: "Blog <news@example.org>",
      fetcher: async (input, init) => app.request(input as string, init),
    }),
  };
}

describe("the Resend mail driver, against a fake provider", () => {
  it("sends batches with the key, the sender, both parts and the unsubscribe headers", async () => {
    const provider = fakeProvider();
    for (let i = 0; i < 3; i++) await subscribeAndConfirm(`reader${i}@example.org`);
    await publish(
      [makePost({ slug: "via-provider", title: "Via provider", date: new Date(Date.now() + 300).toISOString() })],
      new Date(Date.now() + 1000),
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(await sendPost(env, MAIN_BLOG, "via-provider", provider.mailer)).toEqual({ sent: 3, remaining: 0 });
    expect(provider.received).toHaveLength(1);
    const [first] = provider.received[0]!.mails;
    expect(first).toMatchObject({
      from: "Blog <news@example.org>",
      to: ["reader0@example.org"],
      subject: "Via provider — The Edge Dispatch",
    });
    expect(first.text).toContain("http://localhost:8787/posts/via-provider");
    expect(first.html).toContain('<a href="http://localhost:8787/posts/via-provider"');
    expect(first.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  });

  it("retries a failed batch on the next run and sends nothing twice", async () => {
    const provider = fakeProvider();
    for (let i = 0; i < 2; i++) await subscribeAndConfirm(`retry${i}@example.org`);
    await publish(
      [makePost({ slug: "flaky", title: "Flaky", date: new Date(Date.now() + 300).toISOString() })],
      new Date(Date.now() + 1000),
    );
    await new Promise((r) => setTimeout(r, 400));
    const store = subscribers(env, MAIN_BLOG);
    await store.startSends([{ slug: "flaky", date: new Date().toISOString() }], new Date().toISOString());
    provider.failNext(1);
    // The step fails (the queue retries it); the editor shows who was not reached, and why.
    await expect(sendPost(env, MAIN_BLOG, "flaky", provider.mailer)).rejects.toThrow(/503/);
    expect(provider.received).toHaveLength(0);
    expect(await store.sendStatus("flaky")).toMatchObject({ state: "failed", sent: 0, remaining: 2, failed: 2 });
    expect((await store.sendStatus("flaky"))?.error).toContain("temporarily unavailable");
    expect(await sendPost(env, MAIN_BLOG, "flaky", provider.mailer)).toEqual({ sent: 2, remaining: 0 });
    expect(await sendPost(env, MAIN_BLOG, "flaky", provider.mailer)).toEqual({ sent: 0, remaining: 0 });
    expect(await store.sendStatus("flaky")).toMatchObject({ state: "sent", sent: 2, remaining: 0, failed: 0 });
    expect(provider.received.flatMap((r) => r.mails.map((m) => m.to[0])).sort()).toEqual(["retry0@example.org", "retry1@example.org"]);
  });

  it("gives up after its timeout when the provider hangs", async () => {
    const hanging = resendMailer({
      apiUrl: "https://provider.test",
      apiKey: "k",
      from: "x@example.org",
      timeoutMs: 50,
      fetcher: (_i, init) => new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    await expect(
      hanging.send([{ to: "a@example.org", subject: "s", text: "t", html: "h", headers: {}, idempotencyKey: "k" }]),
    ).rejects.toThrow();
  });
});
