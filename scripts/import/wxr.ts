/**
 * WordPress eXtended RSS (WXR 1.1/1.2), the export of WordPress and Overblog: posts and pages,
 * drafts and scheduled posts, categories and tags, authors, featured images, and approved
 * comments with their threads; old URLs from each item's link, guid and id.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ANONYMOUS, type ImportedComment, webAddress } from "../../src/core/imports";
import { autop, commentToMarkdown, htmlToMarkdown } from "./html";
import { type ImportedMenuLink, clean, type ImportResult, isoDate, slugFor, titleText } from "./model";

type Node = Record<string, unknown>;

const LISTS = new Set(["item", "category", "wp:comment", "wp:postmeta", "wp:author", "wp:commentmeta"]);

/** The text of an element (with or without attributes). */
function textOf(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object" && !Array.isArray(v)) return textOf((v as Node)["#text"]);
  return String(v);
}

const field = (node: Node, name: string) => textOf(node[name]);

/** Whether a text looks like a WXR file. */
export function isWxr(head: string): boolean {
  return /<rss[\s>]/.test(head) && /xmlns:wp=|wordpress\.org\/export|<wp:wxr_version>/.test(head);
}

/** The path of an old address (`https://blog.example/2022/01/21/slug/` → `/2022/01/21/slug/`), or null. */
function pathOf(link: string): string | null {
  try {
    const url = new URL(link.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}

/** Comment text with WordPress's line breaks → commenter Markdown; ids prefixed so that they never meet another export's. */
function comments(item: Node, postId: string, result: ImportResult, origin: string): ImportedComment[] {
  const out: ImportedComment[] = [];
  const skipped = { unapproved: 0, pings: 0, empty: 0 };
  for (const c of (item["wp:comment"] as Node[] | undefined) ?? []) {
    const type = field(c, "wp:comment_type");
    if (type === "pingback" || type === "trackback") {
      skipped.pings++;
      continue;
    }
    if (field(c, "wp:comment_approved") !== "1") {
      skipped.unapproved++;
      continue;
    }
    const markdown = commentToMarkdown(field(c, "wp:comment_content"));
    const date = isoDate(field(c, "wp:comment_date_gmt")) ?? isoDate(field(c, "wp:comment_date"));
    if (!markdown || !date) {
      skipped.empty++;
      continue;
    }
    const parent = field(c, "wp:comment_parent");
    out.push({
      id: `wxr-${postId}-${field(c, "wp:comment_id")}`,
      parent: parent && parent !== "0" ? `wxr-${postId}-${parent}` : null,
      author: clean(field(c, "wp:comment_author")) ?? ANONYMOUS,
      url: webAddress(field(c, "wp:comment_author_url")),
      date,
      markdown,
    });
  }
  if (skipped.unapproved)
    result.skipped.push({ item: `${origin}: ${skipped.unapproved} comment(s)`, reason: "not approved (held, spam or trash)" });
  if (skipped.pings) result.skipped.push({ item: `${origin}: ${skipped.pings} pingback(s)/trackback(s)`, reason: "not comments" });
  if (skipped.empty) result.skipped.push({ item: `${origin}: ${skipped.empty} comment(s)`, reason: "no text or no date" });
  return out;
}

/** Reads a WXR file; throws with the line and column when the XML is not well formed. */
export function readWxr(xml: string): ImportResult {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => LISTS.has(name),
  });
  const doc = parser.parse(xml) as Node;
  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  if (!channel) throw new Error("no <rss><channel> element: this is not a WordPress or Overblog export");
  const result: ImportResult = { format: "WordPress/Overblog export (WXR)", posts: [], skipped: [], warnings: [] };

  const authors = new Map<string, string>();
  for (const a of (channel["wp:author"] as Node[] | undefined) ?? []) {
    const login = field(a, "wp:author_login");
    authors.set(login, clean(field(a, "wp:author_display_name")) ?? login);
  }
  const items = (channel.item as Node[] | undefined) ?? [];
  const attachments = new Map<string, string>();
  for (const item of items) {
    if (field(item, "wp:post_type") === "attachment") attachments.set(field(item, "wp:post_id"), field(item, "wp:attachment_url").trim());
  }
  const others = new Map<string, number>();
  result.menu = menuOf(channel, items, result);
  for (const item of items) {
    const type = field(item, "wp:post_type") || "post";
    if (type === "nav_menu_item") continue;
    const id = field(item, "wp:post_id").trim();
    const title = titleText(field(item, "title"));
    const origin = `${type} ${id || "?"}${title ? ` “${title}”` : ""}`;
    if (type === "attachment") continue;
    if (type !== "post" && type !== "page") {
      others.set(type, (others.get(type) ?? 0) + 1);
      continue;
    }
    const status = field(item, "wp:status");
    if (status === "private" || status === "trash" || status === "auto-draft" || status === "inherit") {
      result.skipped.push({ item: origin, reason: status === "private" ? "private" : `status "${status}"` });
      continue;
    }
    if (field(item, "wp:post_password")) {
      result.skipped.push({ item: origin, reason: "password-protected" });
      continue;
    }
    const draft = status !== "publish" && status !== "future";
    const date =
      isoDate(field(item, "wp:post_date_gmt")) ??
      isoDate(field(item, "pubDate")) ??
      isoDate(field(item, "wp:post_date")) ??
      (draft ? new Date().toISOString() : null);
    if (!date) {
      result.skipped.push({ item: origin, reason: "no date" });
      continue;
    }
    const converted = htmlToMarkdown(autop(field(item, "content:encoded")));
    for (const w of converted.warnings) result.warnings.push(`${origin}: ${w}`);
    let markdown = converted.markdown;
    const meta = new Map(
      ((item["wp:postmeta"] as Node[] | undefined) ?? []).map((m) => [field(m, "wp:meta_key"), field(m, "wp:meta_value")]),
    );
    const cover = attachments.get(meta.get("_thumbnail_id") ?? "");
    // The featured image is the post's cover (shown above it, on cards and in link previews), unless the body already
    // shows it. A cover must be https (or on this blog): an http one stays an image at the top, as before.
    const shown = cover && !markdown.includes(cover) ? cover : undefined;
    const featured = shown && /^https:\/\//i.test(shown) ? shown : undefined;
    if (shown && !featured) markdown = `![${title ?? ""}](${shown})\n\n${markdown}`;
    if (!markdown) result.warnings.push(`${origin}: the post has no text`);

    const tags: string[] = [];
    for (const cat of (item.category as Node[] | undefined) ?? []) {
      const name = clean(textOf(cat));
      const domain = String(cat["@_domain"] ?? "");
      // WordPress files every post without a category under "Uncategorized": that is not a tag.
      if (!name || (domain === "category" && String(cat["@_nicename"] ?? "") === "uncategorized")) continue;
      if ((domain === "category" || domain === "post_tag") && !tags.includes(name)) tags.push(name);
    }
    const oldUrls = new Set<string>();
    const link = pathOf(field(item, "link"));
    if (link && link !== "/") oldUrls.add(link);
    const guid = field(item, "guid");
    if (/[?&](p|page_id)=\d+/.test(guid)) oldUrls.add(pathOf(guid) ?? guid);
    if (/^\d+$/.test(id)) oldUrls.add(type === "page" ? `/?page_id=${id}` : `/?p=${id}`);

    const excerpt = clean(htmlToMarkdown(field(item, "excerpt:encoded")).markdown);
    result.posts.push({
      origin,
      kind: type,
      source: {
        slug: slugFor([field(item, "wp:post_name"), title], `${type}-${id || result.posts.length + 1}`),
        title: title ?? `Untitled ${type} ${id}`.trim(),
        date,
        updated: null,
        author: authors.get(field(item, "dc:creator")) ?? clean(field(item, "dc:creator")),
        tags,
        summary: excerpt ? excerpt.slice(0, 300) : null,
        draft,
        markdown,
        ...(featured ? { cover: featured } : {}),
      },
      oldUrls: [...oldUrls],
      comments: comments(item, id, result, origin),
    });
    if (!title) result.warnings.push(`${origin}: no title; written as "Untitled ${type} ${id}"`);
  }
  for (const [type, n] of others) result.skipped.push({ item: `${n} item(s) of type "${type}"`, reason: "not a post or a page" });
  return result;
}

/**
 * WordPress's menu (its nav_menu_item items) as links in order: the menu with the most items when
 * there are several, its top-level links only (a sub-menu's links are named in a warning).
 */
function menuOf(channel: Node, items: Node[], result: ImportResult): ImportedMenuLink[] | undefined {
  const links = items.filter((item) => field(item, "wp:post_type") === "nav_menu_item" && field(item, "wp:status") === "publish");
  if (!links.length) return undefined;
  const menuName = (item: Node) =>
    ((item.category as Node[] | undefined) ?? []).filter((c) => String(c["@_domain"] ?? "") === "nav_menu").map((c) => textOf(c))[0] ?? "";
  const sizes = new Map<string, number>();
  for (const item of links) sizes.set(menuName(item), (sizes.get(menuName(item)) ?? 0) + 1);
  const chosen = [...sizes].sort((a, b) => b[1] - a[1])[0]![0];
  const terms = new Map<string, string>();
  for (const c of (channel["wp:category"] as Node[] | Node | undefined) ? ([channel["wp:category"]].flat() as Node[]) : []) {
    terms.set(field(c, "wp:term_id"), clean(field(c, "wp:cat_name")) ?? "");
  }
  for (const t of (channel["wp:tag"] as Node[] | Node | undefined) ? ([channel["wp:tag"]].flat() as Node[]) : []) {
    terms.set(field(t, "wp:term_id"), clean(field(t, "wp:tag_name")) ?? "");
  }
  const home = (field(channel, "wp:base_blog_url") || field(channel, "link")).replace(/\/+$/, "");
  const out: { order: number; link: ImportedMenuLink }[] = [];
  for (const item of links.filter((i) => menuName(i) === chosen)) {
    const meta = new Map(
      ((item["wp:postmeta"] as Node[] | undefined) ?? []).map((m) => [field(m, "wp:meta_key"), field(m, "wp:meta_value")]),
    );
    const label = titleText(field(item, "title")) ?? "";
    const where = `menu link ${field(item, "wp:post_id")}${label ? ` “${label}”` : ""}`;
    if ((meta.get("_menu_item_menu_item_parent") ?? "0") !== "0") {
      result.warnings.push(`${where}: in a sub-menu; the menu here is one row, so it is left out`);
      continue;
    }
    const kind = meta.get("_menu_item_type");
    const object = meta.get("_menu_item_object") ?? "";
    const id = meta.get("_menu_item_object_id") ?? "";
    let to: ImportedMenuLink["to"] | null = null;
    if (kind === "post_type" && (object === "page" || object === "post"))
      to = { oldUrl: object === "page" ? `/?page_id=${id}` : `/?p=${id}` };
    else if (kind === "taxonomy" && terms.get(id)) to = { tag: terms.get(id)! };
    else if (kind === "custom") {
      const url = (meta.get("_menu_item_url") ?? "").trim().replace(/\/+$/, "");
      if (url === home || url === "") to = { href: "/" };
      else if (/^https:\/\//i.test(url)) to = { href: url };
    }
    if (!to) {
      result.warnings.push(`${where}: its address cannot be a link of this blog's menu (an https:// address, a page, a post or a tag)`);
      continue;
    }
    out.push({ order: Number(field(item, "wp:menu_order")) || 0, link: { label, to } });
  }
  return out.sort((a, b) => a.order - b.order).map((o) => o.link);
}
