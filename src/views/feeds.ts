import { Feed } from "feed";
import type { BlogConfig } from "../config";
import type { PostRecord } from "../content/types";

export interface FeedInput {
  blog: BlogConfig;
  /** "" for the whole blog, else the tag's name. */
  tag: { slug: string; name: string } | null;
  posts: PostRecord[];
}

const FEED_SIZE = 20;
export { FEED_SIZE };

function paths(input: FeedInput) {
  const base = input.blog.baseUrl;
  const home = input.tag ? `${base}/tags/${encodeURIComponent(input.tag.slug)}` : `${base}/`;
  const atom = input.tag ? `${home}/feed.xml` : `${base}/feed.xml`;
  return { base, home, atom, rss: `${base}/rss.xml`, json: `${base}/feed.json` };
}

const title = (input: FeedInput) => (input.tag ? `${input.blog.title}: ${input.tag.name}` : input.blog.title);
const updated = (posts: PostRecord[]) => new Date(posts.map((p) => p.updated ?? p.date).sort().at(-1) ?? "2000-01-01T00:00:00Z");

function build(input: FeedInput): Feed {
  const { blog, posts } = input;
  const p = paths(input);
  const feed = new Feed({
    id: p.home,
    title: title(input),
    description: input.tag ? `Posts tagged “${input.tag.name}” on ${blog.title}` : blog.description,
    link: p.home,
    language: "en",
    updated: updated(posts),
    generator: false,
    feedLinks: input.tag ? { atom: p.atom } : { atom: p.atom, rss: p.rss, json: p.json },
    author: { name: blog.author },
    copyright: `© ${blog.title}`,
  });
  for (const post of posts) {
    const url = `${p.base}/posts/${post.slug}`;
    feed.addItem({
      id: url,
      guid: url,
      title: post.title,
      link: url,
      date: new Date(post.updated ?? post.date),
      published: new Date(post.date),
      description: post.summary,
      content: absolutize(post.html, p.base),
      author: [{ name: post.author ?? blog.author }],
      category: post.tags.map((name) => ({ name, term: name })),
    });
  }
  return feed;
}

/** Feed readers resolve nothing: root-relative links and images in post HTML become absolute. */
export function absolutize(html: string, base: string): string {
  return html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${base}/`);
}

export const atomFeed = (input: FeedInput) => build(input).atom1();
export const rssFeed = (input: FeedInput) => build(input).rss2();

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1); the feed library only writes version 1. */
export function jsonFeed(input: FeedInput): string {
  const p = paths(input);
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: title(input),
    home_page_url: p.home,
    feed_url: p.json,
    description: input.blog.description,
    language: "en",
    authors: [{ name: input.blog.author }],
    items: input.posts.map((post) => ({
      id: `${p.base}/posts/${post.slug}`,
      url: `${p.base}/posts/${post.slug}`,
      title: post.title,
      content_html: absolutize(post.html, p.base),
      summary: post.summary,
      date_published: post.date,
      date_modified: post.updated ?? post.date,
      authors: [{ name: post.author ?? input.blog.author }],
      tags: post.tags,
    })),
  });
}

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** sitemaps.org XML: every public post and tag page, with lastmod. */
export function sitemap(blog: BlogConfig, posts: { slug: string; date: string; updated: string | null }[], tags: { slug: string; lastmod: string | null }[]): string {
  const urls = [
    { loc: `${blog.baseUrl}/`, lastmod: posts[0] ? (posts[0].updated ?? posts[0].date) : null },
    { loc: `${blog.baseUrl}/archive`, lastmod: posts[0] ? (posts[0].updated ?? posts[0].date) : null },
    ...posts.map((p) => ({ loc: `${blog.baseUrl}/posts/${p.slug}`, lastmod: p.updated ?? p.date })),
    ...tags.map((t) => ({ loc: `${blog.baseUrl}/tags/${encodeURIComponent(t.slug)}`, lastmod: t.lastmod })),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls.map((u) => `<url><loc>${xmlEscape(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ""}</url>`),
    "</urlset>",
    "",
  ].join("\n");
}
