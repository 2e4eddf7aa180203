import { parseFeed } from "@rowanmanning/feed-parser";
import { describe, expect, it } from "vitest";
import { loadPosts } from "../../scripts/lib/load";
import { readSettings } from "../../src/settings";
import { buildSite } from "../../src/core/build";
import type { PostRecord } from "../../src/core/types";
import { absolutize, atomFeed, jsonFeed, rssFeed, sitemap, type FeedInput } from "../../src/views/feeds";
import { MAIN_BLOG } from "../../src/core/blogs";
import { keysFor } from "../../src/core/keys";

const blog = readSettings({
  BLOG_TITLE: "The Edge Dispatch",
  BLOG_DESCRIPTION: "News",
  BLOG_AUTHOR: "Desk",
  BASE_URL: "https://blog.example",
  TIMEZONE: "UTC",
} as Env).blog;

async function samplePosts(): Promise<PostRecord[]> {
  const { posts } = await loadPosts("posts");
  const now = new Date();
  const entries = buildSite(keysFor(MAIN_BLOG), posts, now);
  return posts
    .filter((p) => !p.draft && p.date <= now.toISOString())
    .map((p) => JSON.parse(entries.get(`v1:post:${p.slug}`)!) as PostRecord)
    .sort((a, b) => (a.date < b.date ? 1 : -1));
}

describe("feeds, read back by a real feed parser", () => {
  it("Atom carries every post's full text with absolute links", async () => {
    const posts = await samplePosts();
    const input: FeedInput = { blog, tag: null, posts };
    const feed = parseFeed(atomFeed(input));
    expect(feed.meta.type).toBe("atom");
    expect(feed.title).toBe("The Edge Dispatch");
    expect(feed.url).toBe("https://blog.example/");
    expect(feed.items).toHaveLength(posts.length);
    const grid = feed.items.find((i) => i.url === "https://blog.example/posts/inside-the-grid-operators-control-room")!;
    expect(grid.title).toBe("Inside the grid operator's control room on the coldest night of the year");
    expect(grid.content).toContain("The arithmetic that never stops");
    expect(grid.content).toContain('src="https://blog.example/images/grid-chart.svg"');
    expect(grid.authors[0]?.name).toBe("Priya Raman");
    expect(grid.categories.map((c) => c.term)).toContain("energy");
    expect(grid.published?.toISOString()).toBe("2025-05-19T06:00:00.000Z");
  });

  it("RSS 2.0 carries the same items", async () => {
    const posts = await samplePosts();
    const feed = parseFeed(rssFeed({ blog, tag: null, posts }));
    expect(feed.meta.type).toBe("rss");
    expect(feed.items.map((i) => i.url)).toEqual(posts.map((p) => `https://blog.example/posts/${p.slug}`));
    expect(feed.items[0]!.content).toContain("<p>");
    expect(feed.items.find((i) => i.url?.endsWith("zurich-to-zaragoza-night-train-review"))!.title).toBe(
      "Zürich to Zaragoza by night train: the new sleeper, reviewed",
    );
  });

  it("a tag feed is titled after its tag", async () => {
    const posts = (await samplePosts()).filter((p) => p.tags.includes("climate"));
    const feed = parseFeed(atomFeed({ blog, tag: { slug: "climate", name: "climate" }, posts }));
    expect(feed.title).toBe("The Edge Dispatch: climate");
    expect(feed.items).toHaveLength(posts.length);
  });

  it("JSON Feed 1.1 has the required fields and full HTML", async () => {
    const posts = await samplePosts();
    const feed = JSON.parse(jsonFeed({ blog, tag: null, posts }));
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.title).toBe("The Edge Dispatch");
    expect(feed.feed_url).toBe("https://blog.example/feed.json");
    expect(feed.items).toHaveLength(posts.length);
    for (const item of feed.items) {
      expect(item.id).toMatch(/^https:\/\/blog\.example\/posts\//);
      expect(item.url).toBe(item.id);
      expect(item.content_html.length).toBeGreaterThan(50);
      expect(new Date(item.date_published).toISOString()).toBe(item.date_published);
    }
  });
});

describe("absolutize", () => {
  it("rewrites root-relative href and src only", () => {
    expect(absolutize('<a href="/x">a</a><img src="/i.png"><a href="//cdn/x"><a href="https://o/">', "https://b.example")).toBe(
      '<a href="https://b.example/x">a</a><img src="https://b.example/i.png"><a href="//cdn/x"><a href="https://o/">',
    );
  });
});

describe("sitemap", () => {
  it("lists the home page, the archive, every post and tag with lastmod, escaped", () => {
    const xml = sitemap(
      blog,
      [{ slug: "a", date: "2024-01-01T00:00:00.000Z", updated: "2024-02-01T00:00:00.000Z" }],
      [{ slug: "t&x", lastmod: null }],
    );
    expect(xml).toContain("<loc>https://blog.example/posts/a</loc><lastmod>2024-02-01T00:00:00.000Z</lastmod>");
    expect(xml).toContain("<loc>https://blog.example/tags/t%26x</loc>");
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });
});
