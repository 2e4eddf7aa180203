import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import app from "../src/app";
import { clearPageCache } from "../src/http/cache";
import { dirtyCount, forgetDirty } from "../src/http/just-written";
import { invalidateCached, readCachedMany } from "../src/data/kv-cache";
import { ADMIN_TOKEN, clearKv, makePost, publish } from "./helpers";

const cached = (path: string, init: RequestInit = {}) =>
  app.request(`https://blog.example${path}`, init, { ...env, PAGE_CACHE_SECONDS: "30" } as Env);

afterEach(async () => {
  clearPageCache();
  await clearKv();
});

describe("the shared edge cache (Cache API)", () => {
  it("answers another isolate from the shared cache, under the content version", async () => {
    await publish([makePost({ slug: "shared", title: "Version one" })]);
    expect((await cached("/posts/shared")).headers.get("x-cache")).toBe("MISS");
    expect((await cached("/posts/shared")).headers.get("x-cache")).toBe("HIT"); // asked again: shared
    clearPageCache(); // as if the next request reached another isolate
    const edge = await cached("/posts/shared");
    expect(edge.headers.get("x-cache")).toBe("HIT-EDGE");
    expect(await edge.text()).toContain("Version one");
    expect(edge.headers.get("cache-control")).toContain("s-maxage=");
  });

  it("keeps nothing of a URL this isolate was asked for only once", async () => {
    await publish([makePost({ slug: "once" })]);
    expect((await cached("/posts/once")).headers.get("x-cache")).toBe("MISS");
    clearPageCache();
    expect((await cached("/posts/once")).headers.get("x-cache")).toBe("MISS");
  });

  it("leaves out addresses with a query string: this isolate renders them, and keeps them from their second request", async () => {
    await publish([makePost({ slug: "tracked" })]);
    expect((await cached("/posts/tracked?utm_source=letter")).headers.get("x-cache")).toBe("MISS");
    expect((await cached("/posts/tracked?utm_source=other")).headers.get("x-cache")).toBe("MISS");
    expect((await cached("/posts/tracked?utm_source=letter")).headers.get("x-cache")).toBe("MISS");
    expect((await cached("/posts/tracked?utm_source=letter")).headers.get("x-cache")).toBe("HIT");
    expect((await cached("/posts/tracked?utm_source=other")).headers.get("x-cache")).toBe("MISS");
    clearPageCache();
    expect((await cached("/posts/tracked?utm_source=letter")).headers.get("x-cache")).toBe("MISS");
  });

  it("misses once a publish changes the version: no purge needed", async () => {
    await publish([makePost({ slug: "shared", title: "Version one" })]);
    await cached("/posts/shared");
    await cached("/posts/shared"); // now in the shared cache
    await publish([makePost({ slug: "shared", title: "Version two" })]);
    clearPageCache();
    const after = await cached("/posts/shared");
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(await after.text()).toContain("Version two");
  });

  it("misses once a comment changes the thread's version", async () => {
    await publish([makePost({ slug: "talky" })]);
    await cached("/posts/talky");
    await cached("/posts/talky"); // now in the shared cache
    clearPageCache();
    expect((await cached("/posts/talky")).headers.get("x-cache")).toBe("HIT-EDGE");
    await env.POSTS.put("v1:count:talky", JSON.stringify({ n: 1, v: 99 }));
    clearPageCache();
    expect((await cached("/posts/talky")).headers.get("x-cache")).toBe("MISS");
  });
});

describe("the in-isolate page cache", () => {
  it("serves a repeat anonymous GET from memory, with the same body and ETag", async () => {
    await publish([makePost({ slug: "cached", title: "Cached title" })]);
    const first = await cached("/posts/cached");
    expect(first.headers.get("x-cache")).toBe("MISS");
    const body = await first.text();
    await env.POSTS.delete("v1:post:cached");
    const second = await cached("/posts/cached");
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(await second.text()).toBe(body);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("content-security-policy")).toContain("script-src 'self'");
    const notModified = await cached("/posts/cached", { headers: { "If-None-Match": first.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    // The same 304 as the app's own (http/freshness.ts): `*` matches, and the caching headers stay.
    const any = await cached("/posts/cached", { headers: { "If-None-Match": "*" } });
    expect(any.status).toBe(304);
    expect(any.headers.get("x-cache")).toBe("HIT");
    expect(any.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    expect(any.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(any.headers.get("content-type")).toBeNull();
  });

  it("answers from memory with every header the app's answer had", async () => {
    await publish([makePost({ slug: "whole" })]);
    const headersOf = (res: Response) => {
      const list: string[] = [];
      res.headers.forEach((value, name) => {
        if (name !== "x-cache") list.push(`${name}: ${value}`);
      });
      return list.sort();
    };
    for (const path of ["/posts/whole", "/", "/api/posts"]) {
      const miss = await cached(path);
      const hit = await cached(path);
      expect(hit.headers.get("x-cache"), path).toBe("HIT");
      expect(headersOf(hit), path).toEqual(headersOf(miss));
    }
    expect((await cached("/posts/whole")).headers.get("vary")).toBe("Accept");
  });

  it("never answers an ActivityPub request from memory", async () => {
    await publish([makePost({ slug: "fed" })]);
    await cached("/posts/fed", { headers: { Accept: "application/json" } });
    expect((await cached("/posts/fed", { headers: { Accept: "application/json" } })).headers.get("x-cache")).toBe("HIT");
    const activity = await cached("/posts/fed", { headers: { Accept: "application/activity+json" } });
    expect(activity.headers.get("x-cache")).toBeNull();
  });

  it("keeps HTML and JSON variants apart", async () => {
    await publish([makePost({ slug: "variant" })]);
    await cached("/posts/variant");
    const json = await cached("/posts/variant", { headers: { Accept: "application/json" } });
    expect(json.headers.get("content-type")).toContain("application/json");
  });

  it("is cleared by a write handled in this isolate, so a new comment shows at once", async () => {
    await publish([makePost({ slug: "talk" })]);
    await cached("/posts/talk");
    const posted = await cached("/posts/talk/comments", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "author=Ann&body=Fresh+comment",
    });
    expect(posted.status).toBe(303);
    const after = await cached("/posts/talk");
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(await after.text()).toContain("Fresh comment");
  });

  it("after a comment handled in this isolate, shows the new count on the listing at once", async () => {
    await publish([makePost({ slug: "counted" })]);
    expect(await (await cached("/")).text()).not.toContain("1 comment");
    const posted = await cached("/api/posts/counted/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Ann", body: "First" }),
    });
    expect(posted.status).toBe(201);
    const home = await cached("/");
    expect(home.headers.get("x-cache")).toBe("MISS");
    expect(await home.text()).toContain('<a href="/posts/counted#comments">1 comment</a>');
  });

  it("is bypassed, and never filled, by requests with credentials", async () => {
    await publish([makePost({ slug: "private" })]);
    const withAuth = await cached("/posts/private", { headers: { Authorization: "Bearer x" } });
    expect(withAuth.headers.get("x-cache")).toBeNull();
    const anonymous = await cached("/posts/private");
    expect(anonymous.headers.get("x-cache")).toBe("MISS");
    const cookie = await cached("/posts/private", { headers: { Cookie: "__Host-edge_admin=abc" } });
    expect(cookie.headers.get("x-cache")).toBeNull();
  });

  it("never keeps errors", async () => {
    const first = await cached("/posts/missing-one");
    expect(first.status).toBe(404);
    await publish([makePost({ slug: "missing-one" })]);
    expect((await cached("/posts/missing-one")).status).toBe(200);
  });

  it("sends s-maxage and stale-while-revalidate for shared caches", async () => {
    await publish([makePost({ slug: "headers" })]);
    for (const path of ["/", "/posts/headers", "/api/posts"]) {
      const cc = (await cached(path)).headers.get("cache-control")!;
      expect(cc, path).toContain("s-maxage=");
      expect(cc, path).toContain("stale-while-revalidate=");
      expect(cc, path).toContain("max-age=0");
    }
  });
});

describe("an expired page in the in-isolate cache", () => {
  const briefly = (path: string) => app.request(`https://blog.example${path}`, {}, { ...env, PAGE_CACHE_SECONDS: "1" } as Env);
  const expire = () => new Promise((resolve) => setTimeout(resolve, 1100));

  it("is refreshed by one request while the others arriving meanwhile get it as it was", async () => {
    await publish([makePost({ slug: "busy", title: "Version one" })]);
    expect((await briefly("/posts/busy")).headers.get("x-cache")).toBe("MISS");
    await publish([makePost({ slug: "busy", title: "Version two" })]);
    await expire();
    const [refresh, meanwhile] = await Promise.all([briefly("/posts/busy"), briefly("/posts/busy")]);
    expect(refresh.headers.get("x-cache")).toBe("MISS");
    expect(await refresh.text()).toContain("Version two");
    expect(meanwhile.headers.get("x-cache")).toBe("STALE");
    expect(await meanwhile.text()).toContain("Version one");
    const after = await briefly("/posts/busy");
    expect(after.headers.get("x-cache")).toBe("HIT");
    expect(await after.text()).toContain("Version two");
  });

  it("is dropped when its refresh finds no page to keep, so no one gets it any more", async () => {
    await publish([makePost({ slug: "going", title: "Soon gone" })]);
    await briefly("/posts/going");
    await env.POSTS.delete("v1:post:going");
    await publish([]);
    await expire();
    const refreshed = await briefly("/posts/going");
    expect(refreshed.status, refreshed.headers.get("x-cache") ?? "").toBe(404);
    const next = await briefly("/posts/going");
    expect(next.status).toBe(404);
    expect(next.headers.get("x-cache")).toBe("MISS");
  });
});

describe("readCachedMany (KV values that may lag by the page cache's seconds)", () => {
  it("reads a key at most once per ttl, and again at once after this isolate forgets them", async () => {
    await env.POSTS.put("v1:count:held", JSON.stringify({ n: 1, v: 1 }));
    const now = Date.now();
    expect((await readCachedMany(env.POSTS, ["v1:count:held"], 3000, now)).get("v1:count:held")).toContain('"n":1');
    await env.POSTS.put("v1:count:held", JSON.stringify({ n: 2, v: 2 }));
    expect((await readCachedMany(env.POSTS, ["v1:count:held"], 3000, now + 1000)).get("v1:count:held")).toContain('"n":1');
    expect((await readCachedMany(env.POSTS, ["v1:count:held"], 3000, now + 3000)).get("v1:count:held")).toContain('"n":2');
    await env.POSTS.put("v1:count:held", JSON.stringify({ n: 3, v: 3 }));
    invalidateCached();
    expect((await readCachedMany(env.POSTS, ["v1:count:held"], 3000, now + 3001)).get("v1:count:held")).toContain('"n":3');
  });

  it("reads every time with a ttl of 0 (the page cache turned off)", async () => {
    await env.POSTS.put("v1:count:fresh", "1");
    await readCachedMany(env.POSTS, ["v1:count:fresh", "v1:count:other"], 0);
    await env.POSTS.put("v1:count:fresh", "2");
    const again = await readCachedMany(env.POSTS, ["v1:count:fresh", "v1:count:other"], 0);
    expect(again.get("v1:count:fresh")).toBe("2");
    expect(again.get("v1:count:other")).toBeNull();
  });
});

describe("comment answers and the shared cache", () => {
  it("a comment list read, then a new comment, then the list again shows it (same isolate)", async () => {
    await publish([makePost({ slug: "listed-comments" })]);
    const list = async () => ((await (await cached("/api/posts/listed-comments/comments")).json()) as any).comments.length;
    expect(await list()).toBe(0);
    const posted = await cached("/api/posts/listed-comments/comments", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"author":"A","body":"first"}',
    });
    expect(posted.status).toBe(201);
    expect(await list()).toBe(1);
  });
});

describe("admin writes and the shared cache", () => {
  it("a post saved through the API shows at once on its page and the home page", async () => {
    const ADMIN = { Authorization: "Bearer test-admin-token-0123456789abcdef0123", "Content-Type": "application/json" };
    const date = new Date(Date.now() - 60_000).toISOString();
    expect(
      (
        await cached("/api/posts/edited-live", {
          method: "PUT",
          headers: ADMIN,
          body: JSON.stringify({ title: "Take one", date, markdown: "x" }),
        })
      ).status,
    ).toBe(201);
    expect(await (await cached("/posts/edited-live")).text()).toContain("Take one");
    expect(await (await cached("/")).text()).toContain("Take one");
    expect(
      (
        await cached("/api/posts/edited-live", {
          method: "PUT",
          headers: ADMIN,
          body: JSON.stringify({ title: "Take two", date, markdown: "x" }),
        })
      ).status,
    ).toBe(200);
    expect(await (await cached("/posts/edited-live")).text()).toContain("Take two");
    expect(await (await cached("/")).text()).toContain("Take two");
  });
});

describe("what a write says it changed", () => {
  const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
  const send = (path: string, method: string, body?: unknown, headers: Record<string, string> = AUTH) =>
    cached(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

  it("marks the post each door wrote to as just written (its next page skips the shared cache)", async () => {
    await publish([makePost({ slug: "doors" })]);
    clearPageCache();
    const marks = async (write: () => Response | Promise<Response>, expected: number) => {
      forgetDirty();
      const res = await write();
      expect(res.status, await res.clone().text()).toBeLessThan(400);
      expect(dirtyCount()).toBe(expected);
    };
    // Comments: the JSON API (create, edit, approve, hide, delete) and the reader's form.
    let id = 0;
    await marks(async () => {
      const res = await send("/api/posts/doors/comments", "POST", { author: "A", body: "first" }, { "Content-Type": "application/json" });
      id = ((await res.clone().json()) as any).comment.id;
      return res;
    }, 1);
    clearPageCache();
    await marks(() => send(`/api/posts/doors/comments/${id}`, "PATCH", { body: "edited" }), 1);
    clearPageCache();
    await marks(() => send(`/api/posts/doors/comments/${id}/hide`, "POST"), 1);
    clearPageCache();
    await marks(() => send(`/api/posts/doors/comments/${id}/approve`, "POST"), 1);
    clearPageCache();
    await marks(() => send(`/api/posts/doors/comments/${id}`, "DELETE"), 1);
    clearPageCache();
    await marks(
      () =>
        cached("/posts/doors/comments", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: "author=B&body=by+form",
        }),
      1,
    );
    // Posts: the JSON API's save, delete and restore (the editor's form goes through the same service).
    clearPageCache();
    await marks(() => send("/api/posts/doors", "PUT", { title: "Doors", date: "2024-01-01T00:00:00Z", markdown: "Again." }), 1);
    clearPageCache();
    await marks(() => send("/api/posts/doors", "DELETE"), 1);
    clearPageCache();
    await marks(() => send("/api/trash/doors/restore", "POST"), 1);
  });
});
