import {
  createExecutionContext,
  createScheduledController,
  reset,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { forgetBlogRecords } from "../src/data/blogs";
import { countBatches, pruneStats } from "../src/data/stats";
import worker from "../src/index";
import type { StatsBatch } from "../src/core/stats";
import { dayIn } from "../src/core/stats";
import { objectName } from "../src/core/blogs";
import { ADMIN_TOKEN, at, createBlog, makePost, publish } from "./helpers";
import { addMember, ALPHA, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** A reader's visit: a browser's user agent, an address, maybe a referrer and a country. */
function visit(
  path: string,
  opts: { ua?: string; ip?: string; referer?: string; country?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    "User-Agent": opts.ua ?? BROWSER,
    "CF-Connecting-IP": opts.ip ?? "203.0.113.7",
    ...opts.headers,
  };
  if (opts.referer) headers.Referer = opts.referer;
  return at(ALPHA, path, { headers, cf: { country: opts.country ?? "FR" } } as RequestInit);
}

type Stats = {
  days: { date: string; views: number; visitors: number }[];
  totals: { views: number; visitors: number; feedFetches: number };
  posts: { slug: string; title: string | null; views: number }[];
  pages: { path: string; views: number }[];
  referrers: { kind: string; host: string | null; views: number }[];
  countries: { country: string; views: number }[];
  devices: { device: string; views: number }[];
};

async function stats(days = 7): Promise<Stats> {
  const res = await at(ALPHA, `/api/stats?days=${days}`, { headers: OPERATOR });
  expect(res.status).toBe(200);
  return (await res.json()) as Stats;
}

/** The statistics once the queue's consumer has added `views` views and `feeds` feed fetches (the consumer runs on its own). */
async function statsWhen(views: number, feeds = 0): Promise<Stats> {
  let last: Stats | null = null;
  for (let i = 0; i < 80; i++) {
    last = await stats();
    if (last.totals.views >= views && last.totals.feedFetches >= feeds) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the statistics never reached ${views} views and ${feeds} feeds: ${JSON.stringify(last?.totals)}`);
}

async function alphaWithPosts() {
  await createBlog("alpha", "Alpha");
  await publish(
    [makePost({ slug: "harbour", title: "The harbour", tags: ["sea"] }), makePost({ slug: "quiet", title: "Quiet" })],
    new Date(),
    "alpha",
  );
}

describe("statistics counted at the edge", () => {
  it("counts readers' page views by page, referrer, country and device, and feed fetches apart", { timeout: 30_000 }, async () => {
    await alphaWithPosts();
    expect((await visit("/posts/harbour", { referer: "https://www.google.com/search?q=harbour" })).status).toBe(200);
    expect(
      (await visit("/posts/harbour", { ua: PHONE, ip: "198.51.100.2", referer: "https://news.ycombinator.com/item?id=1", country: "DE" }))
        .status,
    ).toBe(200);
    expect((await visit("/posts/harbour", { ip: "198.51.100.3", referer: "https://mastodon.social/@ada/1" })).status).toBe(200);
    expect((await visit("/", { referer: "https://alpha.localhost/posts/quiet" })).status).toBe(200);
    expect((await visit("/tags/sea", { referer: "https://someones.blog/a/long/path?with=query" })).status).toBe(200);
    expect((await visit("/feed.xml", { ua: "Mozilla/5.0 (Macintosh) AppleWebKit/605 (KHTML, like Gecko) NetNewsWire" })).status).toBe(200);
    expect((await visit("/rss.xml")).status).toBe(200);
    const s = await statsWhen(5, 2);
    expect(s.totals).toMatchObject({ views: 5, feedFetches: 2 });
    // Three addresses (and agents) read the blog today.
    expect(s.totals.visitors).toBe(3);
    expect(s.days).toHaveLength(7);
    expect(s.days.at(-1)).toMatchObject({ date: dayIn("UTC", Date.now()), views: 5, visitors: 3 });
    expect(s.posts[0]).toEqual({ slug: "harbour", title: "The harbour", views: 3 });
    expect(s.pages).toEqual(
      expect.arrayContaining([
        { path: "/posts/harbour", views: 3 },
        { path: "/", views: 1 },
        { path: "/tags/sea", views: 1 },
      ]),
    );
    expect(s.referrers).toEqual(
      expect.arrayContaining([
        { kind: "search", host: "google.com", views: 1 },
        { kind: "social", host: "news.ycombinator.com", views: 1 },
        { kind: "fediverse", host: "mastodon.social", views: 1 },
        { kind: "internal", host: null, views: 1 },
        { kind: "other", host: "someones.blog", views: 1 },
      ]),
    );
    expect(s.countries).toEqual(
      expect.arrayContaining([
        { country: "FR", views: 4 },
        { country: "DE", views: 1 },
      ]),
    );
    expect(s.devices).toEqual(
      expect.arrayContaining([
        { device: "desktop", views: 4 },
        { device: "mobile", views: 1 },
      ]),
    );
  });

  it("does not count crawlers, prefetches, HEAD, errors, Do Not Track, Global Privacy Control or signed-in members", {
    timeout: 30_000,
  }, async () => {
    await alphaWithPosts();
    await addMember(ALPHA, "ed@example.org", "editor");
    const cookie = await signInAs(ALPHA, "ed@example.org");
    const skipped = [
      visit("/posts/harbour", { ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" }),
      visit("/posts/harbour", { ua: "curl/8.5.0" }),
      visit("/posts/harbour", { ua: "" }),
      visit("/posts/harbour", { headers: { "Sec-Purpose": "prefetch" } }),
      visit("/posts/harbour", { headers: { Purpose: "prefetch" } }),
      visit("/posts/harbour", { headers: { DNT: "1" } }),
      visit("/posts/harbour", { headers: { "Sec-GPC": "1" } }),
      visit("/posts/harbour", { headers: { Cookie: cookie } }),
      visit("/posts/no-such-post"),
      visit("/posts/harbour", { headers: { Accept: "application/json" } }),
    ];
    for (const res of await Promise.all(skipped)) expect([200, 404]).toContain(res.status);
    expect((await at(ALPHA, "/posts/harbour", { method: "HEAD", headers: { "User-Agent": BROWSER } })).status).toBe(200);
    // One view that counts, after them: once it is in, none of the others is.
    expect((await visit("/posts/quiet")).status).toBe(200);
    const s = await statsWhen(1);
    expect(s.totals.views).toBe(1);
    expect(s.pages).toEqual([{ path: "/posts/quiet", views: 1 }]);
  });

  it("counts a batch the queue delivers twice once", async () => {
    const day = dayIn("UTC", Date.now());
    const batch: StatsBatch = {
      id: "batch-1",
      tallies: [
        {
          blog: "alpha",
          born: "",
          day,
          views: 2,
          feeds: 0,
          counts: { "p/posts/a": 2, rdirect: 2, cFR: 2, ddesktop: 2 },
          sketch: { 5: 1, 9: 2 },
        },
      ],
    };
    await countBatches(env.STATS_DB, [batch], Date.now());
    await countBatches(env.STATS_DB, [batch, { ...batch, id: "batch-2" }], Date.now());
    const row = await env.STATS_DB.prepare("SELECT views FROM stats_days WHERE blog = 'alpha' AND day = ?")
      .bind(day)
      .first<{ views: number }>();
    expect(row?.views).toBe(4);
    const page = await env.STATS_DB.prepare("SELECT SUM(n) AS n FROM stats_counts WHERE blog = 'alpha' AND kind = 'page'").first<{
      n: number;
    }>();
    expect(page?.n).toBe(4);
  });

  it("keeps the counts of 400 days, then deletes them (the cron)", async () => {
    const tally = (day: string) => ({ blog: "alpha", born: "", day, views: 1, feeds: 0, counts: { "p/": 1 }, sketch: { 1: 1 } });
    const now = Date.now();
    const old = dayIn("UTC", now - 401 * 86_400_000);
    const kept = dayIn("UTC", now - 399 * 86_400_000);
    await countBatches(env.STATS_DB, [{ id: "old", tallies: [tally(old), tally(kept)] }], now);
    expect(await pruneStats(env.STATS_DB, now)).toBe(true);
    const days = await env.STATS_DB.prepare("SELECT day FROM stats_days UNION ALL SELECT day FROM stats_counts").all<{ day: string }>();
    expect(days.results.map((r) => r.day)).toEqual([kept, kept]);
  });

  it("keeps no address, user agent or referrer path anywhere: D1, KV or the Durable Objects", { timeout: 30_000 }, async () => {
    await alphaWithPosts();
    const ip = "192.0.2.201";
    const ua = `${BROWSER} PrivacyProbe/7.7`;
    for (let i = 0; i < 5; i++)
      await visit(i % 2 ? "/posts/harbour" : "/", { ip, ua, referer: "https://someones.blog/secret-path-probe?q=1" });
    await statsWhen(5);
    const found: string[] = [];
    for (const db of [env.STATS_DB, env.PLATFORM]) {
      const tables = await db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
        .all<{ name: string }>();
      for (const { name } of tables.results) {
        const rows = await db.prepare(`SELECT * FROM "${name}"`).all();
        const text = JSON.stringify(rows.results);
        for (const secret of [ip, "PrivacyProbe", "secret-path-probe"]) if (text.includes(secret)) found.push(`${name}: ${secret}`);
      }
    }
    let cursor: string | undefined;
    do {
      const page = await env.POSTS.list({ cursor });
      for (const { name } of page.keys) {
        const value = (await env.POSTS.get(name)) ?? "";
        for (const secret of [ip, "PrivacyProbe", "secret-path-probe"])
          if (value.includes(secret) || name.includes(secret)) found.push(`KV ${name}: ${secret}`);
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    // And in the Durable Objects a reading reaches (the post's comment thread) or any blog's writes go through.
    const objects = {
      "the post's comment thread": env.COMMENTS.get(env.COMMENTS.idFromName(objectName("alpha", "harbour"))),
      subscribers: env.SUBSCRIBERS.get(env.SUBSCRIBERS.idFromName(objectName("alpha", "subscribers"))),
      "the editor": env.EDITOR.get(env.EDITOR.idFromName(objectName("alpha", "site"))),
      sessions: env.SESSIONS.get(env.SESSIONS.idFromName(objectName("alpha", "sessions"))),
    };
    for (const [label, stub] of Object.entries(objects)) {
      const dump = await runInDurableObject(stub as DurableObjectStub, (_instance, state) => {
        const sql = state.storage.sql;
        const tables = sql
          .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'")
          .toArray();
        return JSON.stringify(tables.map(({ name }) => sql.exec(`SELECT * FROM "${name}"`).toArray()));
      });
      for (const secret of [ip, "PrivacyProbe", "secret-path-probe"]) if (dump.includes(secret)) found.push(`${label}: ${secret}`);
    }
    expect(found).toEqual([]);
    // The numbers are there, without them.
    expect((await stats()).referrers).toEqual([{ kind: "other", host: "someones.blog", views: 5 }]);
  });
});

describe("who reads the statistics", () => {
  it("owners and editors; moderators and readers are refused; a bad period is a 400", async () => {
    await alphaWithPosts();
    await addMember(ALPHA, "ed@example.org", "editor");
    await addMember(ALPHA, "mo@example.org", "moderator");
    const editor = await signInAs(ALPHA, "ed@example.org");
    const moderator = await signInAs(ALPHA, "mo@example.org");
    expect((await at(ALPHA, "/api/stats")).status).toBe(401);
    expect((await at(ALPHA, "/api/stats", { headers: { Cookie: moderator } })).status).toBe(403);
    expect((await at(ALPHA, "/api/stats", { headers: { Cookie: editor } })).status).toBe(200);
    for (const days of ["0", "abc", "401", "-3"]) {
      const res = await at(ALPHA, `/api/stats?days=${days}`, { headers: OPERATOR });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_query");
    }
    expect((await at(ALPHA, "/admin/stats", { headers: { Cookie: moderator } })).status).toBe(403);
    const page = await at(ALPHA, "/admin/stats?days=30", { headers: { Cookie: editor } });
    expect(page.status).toBe(200);
    const html = await page.text();
    // The chart is drawn on the server (30 bars), with the numbers as a table for screen readers.
    expect(html).toContain('<svg class="stats-chart"');
    expect(html.match(/<rect /g)).toHaveLength(30);
    expect(html).toMatch(/<div class="visually-hidden"><table><caption>Views per day[\s\S]*Date[\s\S]*Views[\s\S]*Visitors/);
    expect(html).toContain('href="/admin/stats?days=90"');
  });

  it("a deleted blog's statistics go with it: a new blog of the same name starts from nothing", { timeout: 60_000 }, async () => {
    await alphaWithPosts();
    await visit("/posts/harbour");
    await statsWhen(1);
    expect((await at("blog.example", "/api/admin/blogs/alpha", { method: "DELETE", headers: OPERATOR })).status).toBe(204);
    // The blog's object purges it an alarm at a time; the name is free once nothing is left.
    let again: Response | null = null;
    for (let i = 0; i < 400; i++) {
      await runDurableObjectAlarm(env.BLOG.get(env.BLOG.idFromName("alpha")));
      again = await at("blog.example", "/api/admin/blogs", {
        method: "POST",
        headers: { ...OPERATOR, "Content-Type": "application/json" },
        body: JSON.stringify({ name: "alpha", title: "Alpha again" }),
      });
      if (again.status !== 409) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(again!.status).toBe(201);
    const left = await env.STATS_DB.prepare("SELECT COUNT(*) AS n FROM stats_days WHERE blog = 'alpha'").first<{ n: number }>();
    expect(left?.n).toBe(0);
    const s = await stats();
    expect(s.totals.views).toBe(0);
    expect(s.pages).toEqual([]);
  });
});

describe("what the numbers show beyond /admin/stats", () => {
  it("each post's views in its editor, and a 'Most read' list on the blog's pages when the owner wants one", {
    timeout: 30_000,
  }, async () => {
    await alphaWithPosts();
    await addMember(ALPHA, "ed@example.org", "editor");
    const cookie = await signInAs(ALPHA, "ed@example.org");
    for (const [path, ip] of [
      ["/posts/harbour", "198.51.100.1"],
      ["/posts/harbour", "198.51.100.2"],
      ["/posts/quiet", "198.51.100.3"],
    ] as const) {
      expect((await visit(path, { ip })).status).toBe(200);
    }
    await statsWhen(3);
    const editor = await (await at(ALPHA, "/admin/posts/harbour/edit", { headers: { Cookie: cookie } })).text();
    expect(editor).toContain('<a href="/admin/stats">2 views in the last 30 days</a>');

    // Off by default: no list.
    const cron = async () => {
      const ctx = createExecutionContext();
      await worker.scheduled!(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await cron();
    expect(await (await visit("/")).text()).not.toContain('class="most-read"');
    const patched = await at(ALPHA, "/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: { ...OPERATOR, "Content-Type": "application/json" },
      body: JSON.stringify({ mostRead: true }),
    });
    expect(patched.status).toBe(200);
    forgetBlogRecords();
    await cron();
    const home = await (await visit("/")).text();
    const list = /<nav class="most-read"[\s\S]*?<\/nav>/.exec(home)?.[0] ?? "";
    expect(list).toContain("Most read");
    expect([...list.matchAll(/<a href="\/posts\/([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
      ["harbour", "The harbour"],
      ["quiet", "Quiet"],
    ]);
  });
});
