/**
 * A folder of Markdown with front matter from Hugo (YAML `---` or TOML `+++`; `content/`, page
 * bundles, `aliases`) or Jekyll (`_posts/YYYY-MM-DD-slug.md`, `_drafts/`, `redirect_from`).
 * The Markdown is kept as written. Old URLs: aliases and redirect_from, each post's `url` or
 * `permalink`, and the generators' default addresses.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { parse as parseToml } from "smol-toml";
import YAML from "yaml";
import { UNDATED } from "../../src/core/validate";
import { clean, type ImportResult, isoDate, slugFor } from "./model";

const MARKDOWN = /\.(md|markdown|mdown)$/i;
const JEKYLL_NAME = /^(\d{4})-(\d{2})-(\d{2})-(.+)$/;

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "_site" || entry.name === "public") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (MARKDOWN.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Front matter in YAML (`---`) or TOML (`+++`), and the body. */
function split(text: string): { data: Record<string, unknown>; body: string } | { error: string } {
  const source = text.replace(/^\uFEFF/, "");
  const m = /^(---|\+\+\+)[ \t]*\r?\n([\s\S]*?)\r?\n\1[ \t]*(?:\r?\n|$)/.exec(source);
  if (!m) return { error: "no front matter (--- YAML --- or +++ TOML +++)" };
  try {
    const data = m[1] === "+++" ? parseToml(m[2]!) : YAML.parse(m[2]!, { uniqueKeys: false });
    if (!data || typeof data !== "object" || Array.isArray(data)) return { error: "the front matter is not a mapping" };
    return { data: data as Record<string, unknown>, body: source.slice(m[0].length) };
  } catch (err) {
    return { error: `the front matter cannot be read: ${(err as Error).message.split("\n")[0]}` };
  }
}

/** A front-matter list: a YAML/TOML list, or text (comma-separated, or space-separated as Jekyll allows). */
const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === "string" ? (v.includes(",") ? v.split(",") : v.split(/\s+/)) : [])
    .map((x) => clean(x))
    .filter((x): x is string => !!x);

export async function readFolder(root: string): Promise<ImportResult> {
  const result: ImportResult = { format: "Markdown folder (Hugo/Jekyll)", posts: [], skipped: [], warnings: [] };
  const files = await walk(root);
  const jekyll = files.some((f) => relative(root, f).split(sep).includes("_posts"));
  for (const file of files) {
    const rel = relative(root, file);
    const parts = rel.split(sep);
    const name = basename(file).replace(MARKDOWN, "");
    if (name === "_index" || (!jekyll && parts.length === 1 && /^(readme|license|changelog)$/i.test(name))) {
      result.skipped.push({ item: rel, reason: "a section or repository page, not a post" });
      continue;
    }
    // Jekyll's pages are its files outside _posts/ (about.md), save its home and error pages.
    const jekyllPage = jekyll && !parts.includes("_posts") && !parts.includes("_drafts");
    if (jekyllPage && /^(index|404)$/i.test(name)) {
      result.skipped.push({ item: rel, reason: "the old site's home or error page, not a post" });
      continue;
    }
    const parsed = split(await readFile(file, "utf8"));
    if ("error" in parsed) {
      result.skipped.push({ item: rel, reason: jekyllPage ? "not in _posts/ or _drafts/, and no front matter" : parsed.error });
      continue;
    }
    const fm = parsed.data;
    // A page: said so (type or layout "page"), one of Jekyll's, or one of Hugo's outside any section that has no date or is in a menu.
    const inSection = (parts[0] === "content" ? parts.length - 1 : parts.length) > 1;
    const page =
      fm.type === "page" ||
      fm.layout === "page" ||
      jekyllPage ||
      (!jekyll && !inSection && (fm.menu !== undefined || (fm.date === undefined && fm.publishDate === undefined)));
    const jekyllName = JEKYLL_NAME.exec(name);
    // Hugo page bundles are folder/index.md: the folder names the post.
    const fileSlug = name === "index" ? basename(dirname(file)) : (jekyllName?.[4] ?? name);
    const title = clean(fm.title);
    const date =
      isoDate(fm.date) ??
      isoDate(fm.publishDate) ??
      (jekyllName ? `${jekyllName[1]}-${jekyllName[2]}-${jekyllName[3]}T00:00:00.000Z` : null) ??
      (page ? UNDATED : null);
    if (!title || !date) {
      result.skipped.push({ item: rel, reason: !title ? "no title" : "no date" });
      continue;
    }
    const draft = fm.draft === true || fm.published === false || parts.includes("_drafts");
    const slug = slugFor([clean(fm.slug), fileSlug, title], `post-${result.posts.length + 1}`);
    const categories = list(fm.categories ?? fm.category);
    const tags = [...new Set([...categories, ...list(fm.tags)])];
    if (/\{\{[<%]/.test(parsed.body)) result.warnings.push(`${rel}: Hugo shortcodes ({{< … >}}) are kept as text`);
    if (/\{%\s/.test(parsed.body)) result.warnings.push(`${rel}: Liquid tags ({% … %}) are kept as text`);

    const oldUrls = new Set<string>();
    for (const a of [...list(fm.aliases), ...list(fm.redirect_from), clean(fm.url), clean(fm.permalink)]) if (a) oldUrls.add(a);
    const [y, m, d] = date.slice(0, 10).split("-");
    if (page) {
      // A page's default address: Jekyll's is its file's path as .html, Hugo's /<file or slug>/.
      if (jekyll) oldUrls.add(`/${[...parts.slice(0, -1), name].join("/")}.html`);
      else oldUrls.add(`/${clean(fm.slug) ?? fileSlug}/`);
    } else if (jekyll) {
      // Jekyll's default address, /<categories>/<yyyy>/<mm>/<dd>/<name>.html (drafts never had one).
      if (!draft) oldUrls.add(`/${[...categories.map((c) => c.toLowerCase()), y, m, d].join("/")}/${jekyllName?.[4] ?? fileSlug}.html`);
    } else {
      // Hugo's default address is /<section>/<file or slug>/.
      const section = parts.length > 1 && parts[0] !== "content" ? parts[0] : parts[0] === "content" && parts.length > 2 ? parts[1] : null;
      if (section) oldUrls.add(`/${section}/${clean(fm.slug) ?? fileSlug}/`);
    }
    result.posts.push({
      origin: rel,
      kind: page ? "page" : "post",
      source: {
        slug,
        title,
        date,
        updated: isoDate(fm.lastmod ?? fm.updated ?? fm.last_modified_at),
        author: clean(Array.isArray(fm.author) ? fm.author[0] : fm.author) ?? clean(Array.isArray(fm.authors) ? fm.authors[0] : null),
        tags,
        summary: clean(fm.summary ?? fm.description ?? fm.excerpt),
        draft,
        markdown: parsed.body.trim(),
      },
      oldUrls: [...oldUrls],
      comments: [],
    });
  }
  if (!files.length) result.warnings.push("the folder holds no Markdown files");
  return result;
}
