import { reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { BlogRecord } from "../src/core/blogs";
import { platformKeys } from "../src/core/keys";
import { blogAt, forgetBlogRecords, heldRecordCount, RECORDS } from "../src/data/blogs";
import { ADMIN_TOKEN, at, createBlog, request } from "./helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
const create = (body: Record<string, unknown>) =>
  request("/api/admin/blogs", { method: "POST", headers: OPERATOR, body: JSON.stringify(body) });
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("a name is claimed once, by its own object", () => {
  it("answers exactly one 201 to many concurrent creations of one name, 409 name_taken to the rest", async () => {
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => create({ name: "contested", title: `Try ${i}` })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(23);
    expect(new Set(await Promise.all(answers.filter((r) => r.status === 409).map(errorCode)))).toEqual(new Set(["name_taken"]));
    const winner = (await answers.find((r) => r.status === 201)!.json()) as { blog: { title: string } };
    expect(await (await at("contested.localhost", "/")).text()).toContain(winner.blog.title);
  });

  it("gives a custom domain to one of many blogs asking for it at once; the others are not created", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `claimant-${i}`);
    const answers = await Promise.all(names.map((name) => create({ name, title: name, domains: ["shared.example"] })));
    const won = answers.flatMap((r, i) => (r.status === 201 ? [names[i]!] : []));
    expect(won).toHaveLength(1);
    for (const r of answers.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(await errorCode(r)).toBe("domain_taken");
    }
    expect(await (await at("shared.example", "/")).text()).toContain(won[0]);
    // A loser's name was not kept: it can be created (without the domain).
    const loser = names.find((n) => n !== won[0])!;
    expect((await create({ name: loser, title: "Second try" })).status).toBe(201);
  });

  it("moves a domain from one blog to another only once the first lets it go", async () => {
    await createBlog("first", "First", { domains: ["moving.example"] });
    await createBlog("second", "Second");
    const patch = (name: string, domains: string[]) =>
      request(`/api/admin/blogs/${name}`, { method: "PATCH", headers: OPERATOR, body: JSON.stringify({ domains }) });
    expect((await patch("second", ["moving.example"])).status).toBe(409);
    expect((await patch("first", [])).status).toBe(200);
    expect(await env.POSTS.get(platformKeys.domain("moving.example"))).toBeNull();
    expect((await patch("second", ["moving.example"])).status).toBe(200);
    expect(await (await at("moving.example", "/")).text()).toContain("Second");
  });
});

describe("a blog's settings live with the blog", () => {
  it("a change rewrites that blog's records only, whatever other blogs there are", async () => {
    await createBlog("one", "One", { domains: ["one.example"] });
    await createBlog("two", "Two");
    const before = await env.POSTS.get(platformKeys.blog("two"));
    const listed = async () => (await env.POSTS.list({ prefix: "platform:" })).keys.map((k) => k.name).sort();
    const keys = await listed();
    const changed = await request("/api/admin/blogs/one", {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ title: "One, renamed" }),
    });
    expect(changed.status).toBe(200);
    expect(await env.POSTS.get(platformKeys.blog("two"))).toBe(before);
    expect(await listed()).toEqual(keys);
    for (const key of [platformKeys.blog("one"), platformKeys.domain("one.example")]) {
      expect(JSON.parse((await env.POSTS.get(key))!)).toMatchObject({ title: "One, renamed", version: 2 });
    }
    // No single value lists the blogs.
    expect(await env.POSTS.get(platformKeys.legacyRegistry)).toBeNull();
  });
});

describe("host → blog", () => {
  const record = (name: string, version: number, title = name): BlogRecord =>
    ({ name, title, domains: [], createdAt: "2026-01-01T00:00:00.000Z", state: "active", version }) as unknown as BlogRecord;

  it("holds at most RECORDS records per isolate, however many hosts are asked", async () => {
    const names = Array.from({ length: RECORDS + 300 }, (_, i) => `unknown-${i}`);
    for (const name of names) expect(await blogAt(env.POSTS, { name })).toEqual({ unknown: name });
    expect(heldRecordCount()).toBe(RECORDS);
  });

  it("holds an unknown name's miss for seconds, then sees a blog created by another isolate", async () => {
    const t0 = Date.now();
    expect(await blogAt(env.POSTS, { name: "late" }, t0)).toEqual({ unknown: "late" });
    await env.POSTS.put(platformKeys.blog("late"), JSON.stringify(record("late", 1)));
    expect(await blogAt(env.POSTS, { name: "late" }, t0 + 1_000)).toEqual({ unknown: "late" });
    expect(await blogAt(env.POSTS, { name: "late" }, t0 + 6_000)).toMatchObject({ name: "late" });
  });

  it("never steps back to an older record than one it holds (a lagging KV replica)", async () => {
    const t0 = Date.now();
    await env.POSTS.put(platformKeys.blog("steady"), JSON.stringify(record("steady", 5, "Fifth")));
    expect(await blogAt(env.POSTS, { name: "steady" }, t0)).toMatchObject({ record: { title: "Fifth" } });
    await env.POSTS.put(platformKeys.blog("steady"), JSON.stringify(record("steady", 4, "Fourth")));
    expect(await blogAt(env.POSTS, { name: "steady" }, t0 + 11_000)).toMatchObject({ record: { title: "Fifth" } });
  });

  it("reads nothing for a label that cannot be a blog name", async () => {
    expect(await blogAt(env.POSTS, { name: "a.b" })).toEqual({ unknown: "a.b" });
    expect(heldRecordCount()).toBe(0);
  });
});

describe("the operator's directory (D1)", () => {
  it("lists every blog page by page, main first, finds blogs by part of their name, and counts sign-ups per day", async () => {
    const names = ["north-one", "south-two", "north-three", "east-four", "west-five", "north-six", "south-seven"];
    for (const name of names) await createBlog(name);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await request(`/api/admin/blogs?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { headers: OPERATOR });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { blogs: { name: string }[]; next: string | null };
      expect(page.blogs.length).toBeLessThanOrEqual(3);
      seen.push(...page.blogs.map((b) => b.name));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(["main", ...names]);

    const found = (await (await request("/api/admin/blogs?q=north", { headers: OPERATOR })).json()) as { blogs: { name: string }[] };
    expect(found.blogs.map((b) => b.name)).toEqual(["north-one", "north-three", "north-six"]);
    expect((await request("/api/admin/blogs?q=NOT%20A%20NAME", { headers: OPERATOR })).status).toBe(400);
    expect((await request("/api/admin/blogs?cursor=garbage", { headers: OPERATOR })).status).toBe(200);

    // Deleting takes a blog off the list at once.
    expect((await request("/api/admin/blogs/east-four", { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    const after = (await (await request("/api/admin/blogs", { headers: OPERATOR })).json()) as { blogs: { name: string }[] };
    expect(after.blogs.map((b) => b.name)).not.toContain("east-four");

    const stats = (await (await request("/api/admin/platform", { headers: OPERATOR })).json()) as {
      blogs: number;
      signupsPerDay: { day: string; blogs: number }[];
    };
    expect(stats.blogs).toBe(1 + names.length - 1);
    expect(stats.signupsPerDay.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), blogs: expect.any(Number) });
    expect(stats.signupsPerDay.reduce((n, d) => n + d.blogs, 0)).toBeGreaterThanOrEqual(names.length);
  });

  it("is the operator's only: people and anonymous readers get 401", async () => {
    expect((await request("/api/admin/platform")).status).toBe(401);
    expect((await request("/api/admin/blogs")).status).toBe(401);
    expect((await request("/api/admin/platform/upgrade", { method: "POST" })).status).toBe(401);
  });
});
