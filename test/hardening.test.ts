import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import app from "../src/app";
import { securityHeaders } from "../src/http/security";
import { clearKv, get, getJson, makePost, publish, request } from "./helpers";

afterEach(clearKv);

const SITE = "https://blog.example";

describe("security headers", () => {
  it.each(["/", "/posts/hdr", "/api/posts", "/feed.xml", "/no-such-page", "/api/nothing"])("are on %s", async (path) => {
    await publish([makePost({ slug: "hdr" })]);
    const res = await get(path);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // Frames: exactly the video players a post's embeds become.
    expect(csp).toContain("frame-src https://www.youtube-nocookie.com https://player.vimeo.com;");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=31536000");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
  });

  it.each([
    ["http://localhost:8787/posts/hdr", undefined],
    ["https://blog.example/", undefined],
    ["http://localhost:8787/create/confirm", "blogs.localhost"],
  ])("at %s are the ones hono's secureHeaders makes with our options", async (url, blogsDomain) => {
    const reference = new Hono();
    reference.use(async (c, next) => {
      if (blogsDomain) c.set("settings" as never, { hosts: { blogsDomain } } as never);
      await next();
    });
    reference.use(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:", "https:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'", (c) => `${new URL(c.req.url).protocol === "https:" ? "wss" : "ws"}://${new URL(c.req.url).host}`],
          objectSrc: ["'none'"],
          frameSrc: ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
          baseUri: ["'self'"],
          formAction: [
            "'self'",
            (c) => (c.req.path === "/create/confirm" && blogsDomain ? `${new URL(c.req.url).protocol}//*.${blogsDomain}:*` : "'self'"),
          ],
          frameAncestors: ["'none'"],
        },
        xFrameOptions: "DENY",
        referrerPolicy: "strict-origin-when-cross-origin",
        strictTransportSecurity: "max-age=31536000; includeSubDomains",
        crossOriginResourcePolicy: "same-origin",
        permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [], browsingTopics: [] },
      }),
    );
    reference.get("*", (c) => c.text("ok"));
    const ours = new Hono();
    ours.use(async (c, next) => {
      if (blogsDomain) c.set("settings" as never, { hosts: { blogsDomain } } as never);
      await next();
    });
    ours.use(securityHeaders);
    ours.get("*", (c) => c.text("ok"));
    const headersOf = async (a: Hono) => {
      const list: [string, string][] = [];
      (await a.request(url)).headers.forEach((value, name) => {
        list.push([name, value]);
      });
      return list.sort(([x], [y]) => x.localeCompare(y));
    };
    expect(await headersOf(ours)).toEqual(await headersOf(reference));
  });

  it("no page carries an inline script", async () => {
    await publish([makePost({ slug: "inline" })]);
    for (const path of ["/", "/posts/inline", "/follow", "/search?q=x", "/archive"]) {
      const html = await (await get(path)).text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
      expect(
        scripts.every((attrs) => /\bsrc=|type="application\/ld\+json"/.test(attrs)),
        path,
      ).toBe(true);
    }
  });
});

describe("cross-site form posts", () => {
  const hostile = { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" };

  it.each([
    ["/posts/target/comments", { author: "Mallory", body: "forged" }],
    ["/subscribe", { email: "victim@example.org" }],
    ["/unsubscribe?token=abc", {}],
  ])("get 403 at %s and change nothing", async (path, fields) => {
    await publish([makePost({ slug: "target" })]);
    const res = await request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...hostile },
      body: new URLSearchParams(fields as Record<string, string>).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("can only be sent from a page of this site");
    expect((await getJson("/api/posts/target/comments")).body.comments).toEqual([]);
    const outbox = await getJson("/api/admin/outbox", { Authorization: "Bearer test-admin-token-0123456789abcdef0123" });
    expect(outbox.body.messages.filter((m: any) => m.to === "victim@example.org")).toEqual([]);
  });

  it("are refused on an Origin mismatch alone, and accepted from the same origin", async () => {
    await publish([makePost({ slug: "target" })]);
    const form = (headers: Record<string, string>) =>
      request("/posts/target/comments", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        body: "author=A&body=hello",
      });
    expect((await form({ Origin: "null" })).status).toBe(403);
    expect((await form({ "Sec-Fetch-Site": "same-site" })).status).toBe(403);
    expect((await form({ Origin: SITE, "Sec-Fetch-Site": "same-origin" })).status).toBe(303);
  });
});

/** A Durable Object namespace whose objects always fail, or never answer. */
function brokenNamespace(mode: "fail" | "hang"): never {
  const stub = new Proxy(
    {},
    { get: () => () => (mode === "fail" ? Promise.reject(new Error("injected failure")) : new Promise(() => {})) },
  );
  return { idFromName: () => ({}), get: () => stub } as never;
}

const withEnv = (path: string, init: RequestInit, overrides: Partial<Env>) =>
  app.request(`${SITE}${path}`, init, { ...env, ...overrides } as Env);

describe("degradation when a Durable Object fails", () => {
  it("still renders the post, with a note instead of the comments", async () => {
    await publish([makePost({ slug: "fragile", title: "Fragile post" })]);
    // A post with comments (a post nobody commented on does not ask its thread at all).
    await env.POSTS.put("v1:count:fragile", JSON.stringify({ n: 2, v: 2 }));
    for (const mode of ["fail", "hang"] as const) {
      const res = await withEnv("/posts/fragile", {}, { COMMENTS: brokenNamespace(mode) });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("<h1>Fragile post</h1>");
      expect(html).toContain("Comments are unavailable right now.");
    }
  });

  it("answers the comments API with 503 and Retry-After", async () => {
    await publish([makePost({ slug: "fragile" })]);
    const broken = { COMMENTS: brokenNamespace("fail") };
    const list = await withEnv("/api/posts/fragile/comments", {}, broken);
    expect(list.status).toBe(503);
    expect(list.headers.get("retry-after")).toBe("30");
    expect(await list.json()).toEqual({ error: { code: "unavailable", message: expect.stringContaining("unavailable") } });
    const post = await withEnv(
      "/api/posts/fragile/comments",
      { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"author":"A","body":"b"}' },
      broken,
    );
    expect(post.status).toBe(503);
  });

  it("keeps the reader's text when the form cannot be saved", async () => {
    await publish([makePost({ slug: "fragile" })]);
    const res = await withEnv(
      "/posts/fragile/comments",
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "author=Ann&body=My+precious+words" },
      { COMMENTS: brokenNamespace("fail") },
    );
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain("your comment was not saved");
    expect(html).toContain("My precious words</textarea>");
  });

  it("answers subscriptions with 503 when the Subscribers object fails", async () => {
    const res = await withEnv(
      "/api/subscribe",
      { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"email":"a@example.org"}' },
      { SUBSCRIBERS: brokenNamespace("fail") },
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
  });
});

describe("corrupt or missing KV data", () => {
  it("degrades listings, posts, feeds, the sitemap and search, never a 5xx", async () => {
    await publish([makePost({ slug: "ok", tags: ["t"], markdown: "searchable words" })]);
    const keys = (await env.POSTS.list()).keys.map((k) => k.name);
    for (const key of keys) await env.POSTS.put(key, key.includes("list:home") ? "{truncated" : '{"v":1,"items":"not an array"}');
    for (const path of [
      "/",
      "/archive",
      "/tags/t",
      "/posts/ok",
      "/feed.xml",
      "/rss.xml",
      "/feed.json",
      "/sitemap.xml",
      "/search?q=searchable",
      "/api/posts",
      "/api/search?q=searchable",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});

describe("the admin token", () => {
  it("is refused when shorter than 32 characters, even if it matches", async () => {
    const res = await withEnv("/api/admin/outbox", { headers: { Authorization: "Bearer short-token" } }, { ADMIN_TOKEN: "short-token" });
    // The same answer as the pages behind the sign-in: the deployment has no administration.
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error).toEqual({
      code: "admin_disabled",
      message: expect.stringContaining("at least 32 characters"),
    });
  });
});
