/**
 * WordPress eXtended RSS 1.2 (the format of WordPress's Tools → Export, which WordPress's and
 * Overblog's importers read), written a piece at a time: the head, one `<item>` per post or page
 * (with its approved comments and its cover as an attachment), the tail. The export writes items
 * as it goes through the posts, so no piece needs the whole blog.
 */
import { commentHtml } from "./comment-html";
import { parseComment } from "./comment-markdown";
import type { ImportedComment } from "./imports";
import type { PostSource } from "./types";
import { UNDATED } from "./validate";

export interface WxrChannel {
  title: string;
  description: string;
  /** The blog's address, without a trailing slash. */
  url: string;
  language: string;
  author: string;
  exportedAt: Date;
}

/** Characters XML 1.0 does not allow, even escaped. */
const INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const text = (s: string) =>
  s.replace(INVALID, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** CDATA holds anything but its own end, which is split across two sections. */
const cdata = (s: string) => `<![CDATA[${s.replace(INVALID, "").replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/** WordPress's `Y-m-d H:i:s` (the GMT one: this platform keeps instants in UTC). */
const wpDate = (iso: string) => iso.slice(0, 19).replace("T", " ");

export function wxrHead(c: WxrChannel): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<!-- An export of ${text(c.url)}: import it with WordPress's Tools → Import → WordPress, or Overblog's import. -->
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>${text(c.title)}</title>
  <link>${text(c.url)}</link>
  <description>${text(c.description)}</description>
  <pubDate>${c.exportedAt.toUTCString()}</pubDate>
  <language>${text(c.language)}</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>${text(c.url)}</wp:base_site_url>
  <wp:base_blog_url>${text(c.url)}</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login>${cdata("author")}</wp:author_login><wp:author_email></wp:author_email><wp:author_display_name>${cdata(c.author)}</wp:author_display_name></wp:author>
`;
}

export const WXR_TAIL = "</channel>\n</rss>\n";

/** A tag's WordPress term slug (its name, lowercased, dashes for the rest). */
const nicename = (tag: string) =>
  tag
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-|-$/g, "") || "tag";

/**
 * One post or page as a WXR item, with ids from the export's own counter (`id`, and `id + 1` for
 * its cover's attachment when it has one). `html` is the post as its page shows it, images at
 * absolute addresses so that WordPress's importer can fetch them.
 */
export function wxrItem(p: PostSource, html: string, comments: readonly ImportedComment[], id: number, url: string, now: Date): string {
  const page = p.type === "page";
  const link = `${url}/${page ? "pages" : "posts"}/${p.slug}`;
  const date = p.date === UNDATED ? now.toISOString() : p.date;
  const status = p.draft ? "draft" : Date.parse(date) > now.getTime() ? "future" : "publish";
  const numbers = new Map(comments.map((c, i) => [c.id, i + 1]));
  const cover = p.cover ? (p.cover.startsWith("/") ? `${url}${p.cover}` : p.cover) : null;
  const item = `  <item>
    <title>${cdata(p.title)}</title>
    <link>${text(link)}</link>
    <pubDate>${new Date(date).toUTCString()}</pubDate>
    <dc:creator>${cdata("author")}</dc:creator>
    <guid isPermaLink="false">${text(link)}</guid>
    <description></description>
    <content:encoded>${cdata(html)}</content:encoded>
    <excerpt:encoded>${cdata(p.summary ?? "")}</excerpt:encoded>
    <wp:post_id>${id}</wp:post_id>
    <wp:post_date>${cdata(wpDate(date))}</wp:post_date>
    <wp:post_date_gmt>${cdata(wpDate(date))}</wp:post_date_gmt>
    <wp:comment_status>${cdata(page && !p.comments ? "closed" : "open")}</wp:comment_status>
    <wp:ping_status>${cdata("closed")}</wp:ping_status>
    <wp:post_name>${cdata(p.slug)}</wp:post_name>
    <wp:status>${cdata(status)}</wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:menu_order>0</wp:menu_order>
    <wp:post_type>${cdata(page ? "page" : "post")}</wp:post_type>
    <wp:post_password>${cdata("")}</wp:post_password>
    <wp:is_sticky>0</wp:is_sticky>
${p.tags.map((t) => `    <category domain="post_tag" nicename="${text(nicename(t))}">${cdata(t)}</category>\n`).join("")}${
  cover
    ? `    <wp:postmeta><wp:meta_key>${cdata("_thumbnail_id")}</wp:meta_key><wp:meta_value>${cdata(String(id + 1))}</wp:meta_value></wp:postmeta>\n`
    : ""
}${comments
  .map(
    (c) => `    <wp:comment>
      <wp:comment_id>${numbers.get(c.id)}</wp:comment_id>
      <wp:comment_author>${cdata(c.author)}</wp:comment_author>
      <wp:comment_author_email></wp:comment_author_email>
      <wp:comment_author_url>${text(c.url ?? "")}</wp:comment_author_url>
      <wp:comment_author_IP></wp:comment_author_IP>
      <wp:comment_date>${cdata(wpDate(c.date))}</wp:comment_date>
      <wp:comment_date_gmt>${cdata(wpDate(c.date))}</wp:comment_date_gmt>
      <wp:comment_content>${cdata(commentHtml(parseComment(c.markdown)))}</wp:comment_content>
      <wp:comment_approved>${cdata("1")}</wp:comment_approved>
      <wp:comment_type>${cdata("comment")}</wp:comment_type>
      <wp:comment_parent>${c.parent ? (numbers.get(c.parent) ?? 0) : 0}</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>
`,
  )
  .join("")}  </item>
`;
  if (!cover) return item;
  return `${item}  <item>
    <title>${cdata(p.title)}</title>
    <link>${text(cover)}</link>
    <dc:creator>${cdata("author")}</dc:creator>
    <guid isPermaLink="false">${text(cover)}</guid>
    <wp:post_id>${id + 1}</wp:post_id>
    <wp:post_date>${cdata(wpDate(date))}</wp:post_date>
    <wp:post_date_gmt>${cdata(wpDate(date))}</wp:post_date_gmt>
    <wp:post_name>${cdata(`${p.slug}-cover`)}</wp:post_name>
    <wp:status>${cdata("inherit")}</wp:status>
    <wp:post_parent>${id}</wp:post_parent>
    <wp:post_type>${cdata("attachment")}</wp:post_type>
    <wp:attachment_url>${cdata(cover)}</wp:attachment_url>
  </item>
`;
}
