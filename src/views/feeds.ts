import { UNDATED } from "../core/validate";
import { messagesFor, say } from "../core/i18n";
import type { BlogConfig } from "../settings";
import type { PostRecord } from "../core/types";

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
const updated = (posts: PostRecord[]) =>
  new Date(
    posts
      .map((p) => p.updated ?? p.date)
      .sort()
      .at(-1) ?? "2000-01-01T00:00:00Z",
  );

/** Feed readers resolve nothing: root-relative links and images in post HTML become absolute. */
export function absolutize(html: string, base: string): string {
  return html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${base}/`);
}

/** Characters XML 1.0 forbids anywhere, even escaped. */
const notXml = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
const xmlEscape = (s: string) => notXml(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Text for a CDATA section: "]]>" cannot end it early. */
const cdata = (s: string) => `<![CDATA[${notXml(s).replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** Atom 1.0 (RFC 4287), full text. Hand-written: a feed library would cost the worker ~25 KB gzip. */
export function atomFeed(input: FeedInput): string {
  const { blog, posts } = input;
  const p = paths(input);
  const entries = posts.map((post) => {
    const url = `${p.base}/posts/${post.slug}`;
    return [
      "<entry>",
      `<title type="text">${xmlEscape(post.title)}</title>`,
      `<id>${xmlEscape(url)}</id>`,
      `<link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
      `<published>${post.date}</published>`,
      `<updated>${post.updated ?? post.date}</updated>`,
      `<author><name>${xmlEscape(post.author ?? blog.author)}</name></author>`,
      ...post.tags.map((t) => `<category term="${xmlEscape(t)}"/>`),
      `<summary type="text">${xmlEscape(post.summary)}</summary>`,
      `<content type="html">${xmlEscape(absolutize(post.html, p.base))}</content>`,
      "</entry>",
    ].join("");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlEscape(blog.language)}">`,
    `<id>${xmlEscape(p.home)}</id>`,
    `<title type="text">${xmlEscape(title(input))}</title>`,
    input.tag
      ? `<subtitle type="text">${xmlEscape(say(messagesFor(blog.language).follow.tagFeed, { tag: input.tag.name, blog: blog.title }))}</subtitle>`
      : blog.description
        ? `<subtitle type="text">${xmlEscape(blog.description)}</subtitle>`
        : "",
    `<updated>${updated(posts).toISOString()}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(p.atom)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(p.home)}"/>`,
    `<author><name>${xmlEscape(blog.author)}</name></author>`,
    `<rights>${xmlEscape(`© ${blog.title}`)}</rights>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}

/** RSS 2.0, full text in content:encoded. */
export function rssFeed(input: FeedInput): string {
  const { blog, posts } = input;
  const p = paths(input);
  const items = posts.map((post) => {
    const url = `${p.base}/posts/${post.slug}`;
    return [
      "<item>",
      `<title>${xmlEscape(post.title)}</title>`,
      `<link>${xmlEscape(url)}</link>`,
      `<guid isPermaLink="true">${xmlEscape(url)}</guid>`,
      `<pubDate>${rfc822(post.date)}</pubDate>`,
      `<dc:creator>${cdata(post.author ?? blog.author)}</dc:creator>`,
      ...post.tags.map((t) => `<category>${xmlEscape(t)}</category>`),
      `<description>${cdata(post.summary)}</description>`,
      `<content:encoded>${cdata(absolutize(post.html, p.base))}</content:encoded>`,
      "</item>",
    ].join("");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
    "<channel>",
    `<title>${xmlEscape(title(input))}</title>`,
    `<link>${xmlEscape(p.home)}</link>`,
    `<description>${xmlEscape(input.tag ? say(messagesFor(blog.language).follow.tagFeed, { tag: input.tag.name, blog: blog.title }) : blog.description || blog.title)}</description>`,
    `<language>${xmlEscape(blog.language)}</language>`,
    `<lastBuildDate>${updated(posts).toUTCString()}</lastBuildDate>`,
    `<atom:link href="${xmlEscape(p.rss)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    "</channel>",
    "</rss>",
    "",
  ].join("\n");
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1); the feed library only writes version 1. */
export function jsonFeed(input: FeedInput): string {
  const p = paths(input);
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: title(input),
    home_page_url: p.home,
    feed_url: p.json,
    description: input.blog.description,
    language: input.blog.language,
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

/** sitemaps.org XML: every public post and tag page, with lastmod. */
export function sitemap(
  blog: BlogConfig,
  posts: { slug: string; date: string; updated: string | null }[],
  tags: { slug: string; lastmod: string | null }[],
  pages: { slug: string; date: string; updated: string | null }[] = [],
): string {
  const urls = [
    { loc: `${blog.baseUrl}/`, lastmod: posts[0] ? (posts[0].updated ?? posts[0].date) : null },
    { loc: `${blog.baseUrl}/archive`, lastmod: posts[0] ? (posts[0].updated ?? posts[0].date) : null },
    ...posts.map((p) => ({ loc: `${blog.baseUrl}/posts/${p.slug}`, lastmod: p.updated ?? p.date })),
    ...tags.map((t) => ({ loc: `${blog.baseUrl}/tags/${encodeURIComponent(t.slug)}`, lastmod: t.lastmod })),
    // A page written without a date has no last change to tell.
    ...pages.map((p) => ({ loc: `${blog.baseUrl}/pages/${p.slug}`, lastmod: p.updated ?? (p.date > UNDATED ? p.date : null) })),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls.map((u) => `<url><loc>${xmlEscape(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ""}</url>`),
    "</urlset>",
    "",
  ].join("\n");
}
