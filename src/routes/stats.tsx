import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { dayIn, STAT_PERIODS, STATS_KEPT_DAYS } from "../core/stats";
import { getPublicPost } from "../data/posts";
import { type BlogStats, readStats, type StatsOwner } from "../data/stats";
import { requireRole } from "../http/auth";
import { wordsFor } from "../http/admin-language";
import type { AppEnv } from "../settings";
import { StatsPage } from "../views/pages/stats";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { validQuery, wholeNumber } from "./validation";

export const statsQuery = z.object({ days: z.optional(wholeNumber("days", STATS_KEPT_DAYS)) });

/** The blog whose statistics a request reads: its name and creation time (a later blog of the name sees none of them). */
export const statsOwner = <E extends AppEnv>(c: Context<E>): StatsOwner => ({
  blog: c.var.settings.blog.name,
  born: c.var.settings.blog.born,
});

/** Today in the blog's time zone: the last day of every period. */
export const statsToday = <E extends AppEnv>(c: Context<E>) => dayIn(c.var.settings.blog.timeZone, Date.now());

async function blogStats<E extends AppEnv>(c: Context<E>, days: number): Promise<BlogStats | null> {
  if (!c.var.settings.stats.on) return null;
  return readStats(c.env.STATS_DB, statsOwner(c), days, statsToday(c));
}

/** The titles of the posts and pages among the most read (a KV read each, at most ten). */
async function titlesOf<E extends AppEnv>(c: Context<E>, paths: string[]): Promise<Map<string, string>> {
  const now = new Date();
  const found = await Promise.all(
    paths.map(async (path) => {
      const slug = /^\/(?:posts|pages)\/([^/]+)$/.exec(path)?.[1];
      const post = slug ? await getPublicPost(c.var.store, slug, now).catch(() => null) : null;
      return [path, post?.title] as const;
    }),
  );
  return new Map(found.filter((f): f is readonly [string, string] => !!f[1]));
}

/** Owners and editors (moderators handle comments, not readership). */
export const statsPages = new Hono<AdminEnv>()
  .use("/admin/stats", noStore)
  .get("/admin/stats", signedInAs("editor"), validQuery(statsQuery), async (c) => {
    const asked = c.req.valid("query").days ?? 30;
    const days = (STAT_PERIODS as readonly number[]).includes(asked) ? asked : 30;
    const stats = await blogStats(c, days);
    const titles = stats
      ? await titlesOf(
          c,
          stats.pages.map((p) => p.key),
        )
      : new Map<string, string>();
    return c.render(<StatsPage stats={stats} days={days} timeZone={c.var.settings.blog.timeZone} titles={titles} />, {
      ...PAGE,
      title: wordsFor(c).stats.title,
    });
  });

/** `GET /api/stats?days=N`: the same numbers as JSON. */
export const statsApi = new Hono<AppEnv>().get("/stats", requireRole("editor"), validQuery(statsQuery), async (c) => {
  const days = c.req.valid("query").days ?? 30;
  // What was counted, whether counting is on now or not (the answer's `counting` says which).
  const stats = await readStats(c.env.STATS_DB, statsOwner(c), days, statsToday(c));
  const titles = await titlesOf(
    c,
    stats.pages.map((p) => p.key),
  );
  const slugOf = (path: string) => /^\/posts\/([^/]+)$/.exec(path)?.[1];
  return c.json({
    days: stats.days,
    from: stats.from,
    to: stats.to,
    timeZone: c.var.settings.blog.timeZone,
    counting: c.var.settings.stats.on,
    totals: stats.totals,
    posts: stats.pages
      .filter((p) => slugOf(p.key))
      .map((p) => ({ slug: slugOf(p.key)!, title: titles.get(p.key) ?? null, views: p.views })),
    pages: stats.pages.map((p) => ({ path: p.key, views: p.views })),
    referrers: stats.referrers.map((r) => {
      const [kind, host] = r.key.split(" ");
      return { kind, host: host && host !== "?" ? host : null, views: r.views };
    }),
    countries: stats.countries.map((r) => ({ country: r.key, views: r.views })),
    devices: stats.devices.map((r) => ({ device: r.key, views: r.views })),
  });
});
