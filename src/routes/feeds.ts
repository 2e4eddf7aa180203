import { CACHE_POLICY } from "../http/freshness";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { getAllPublic, getPublicPages, getPublicTags, getRecentPosts } from "../data/posts";
import type { ListingRef } from "../core/keys";
import { notFound } from "../errors";
import { atomFeed, FEED_SIZE, jsonFeed, rssFeed, sitemap, type FeedInput } from "../views/feeds";
import type { AppEnv } from "../settings";
import { tagParam, validate } from "./validation";

async function feedInput(c: Context<AppEnv>, listing: ListingRef): Promise<FeedInput> {
  const recent = await getRecentPosts(c.var.store, listing, FEED_SIZE, new Date());
  if (listing.kind === "tag" && !recent?.posts.length) throw notFound("No published post has this tag.");
  return {
    blog: c.var.settings.blog,
    tag: listing.kind === "tag" ? { slug: listing.slug, name: recent!.name } : null,
    posts: recent?.posts ?? [],
  };
}

const xml = (c: Context, body: string, type: string) =>
  c.body(body, 200, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": CACHE_POLICY.feed });

/** Feeds and crawler files. */
const feeds = new Hono<AppEnv>()
  .get("/feed.xml", async (c) => xml(c, atomFeed(await feedInput(c, { kind: "home" })), "application/atom+xml"))
  .get("/rss.xml", async (c) => xml(c, rssFeed(await feedInput(c, { kind: "home" })), "application/rss+xml"))
  .get("/feed.json", async (c) => xml(c, jsonFeed(await feedInput(c, { kind: "home" })), "application/feed+json"))
  .get(
    "/tags/:tag/feed.xml",
    validate("param", z.object({ tag: tagParam }), { code: "not_found", message: "No published post has this tag." }),
    async (c) => xml(c, atomFeed(await feedInput(c, { kind: "tag", slug: c.req.valid("param").tag })), "application/atom+xml"),
  )
  .get("/sitemap.xml", async (c) => {
    const now = new Date();
    const [posts, tags, pages] = await Promise.all([
      getAllPublic(c.var.store, now),
      getPublicTags(c.var.store, now),
      getPublicPages(c.var.store, now),
    ]);
    return xml(c, sitemap(c.var.settings.blog, posts, tags, pages), "application/xml");
  })
  .get("/robots.txt", (c) =>
    c.text(
      [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin",
        "Disallow: /api/admin/",
        "",
        `Sitemap: ${c.var.settings.blog.baseUrl}/sitemap.xml`,
        "",
      ].join("\n"),
      200,
      {
        "Cache-Control": CACHE_POLICY.hour,
      },
    ),
  );

export default feeds;
