import type { ImportedComment } from "../../src/core/imports";
import type { PostSource } from "../../src/core/types";
import { validateSlug } from "../../src/core/validate";
import { fold, MAX_SLUG_LENGTH } from "../../src/core/vocabulary";

/** One post as an export had it, ready to be written as `posts/<slug>.md`. */
export interface ImportedPost {
  /** Where it came from, for messages: "post 12 “Hello”", "content/posts/a.md". */
  origin: string;
  kind: "post" | "page";
  source: PostSource;
  /** Paths (or full addresses) the post answered at on the old blog. */
  oldUrls: string[];
  comments: ImportedComment[];
}

export interface Skipped {
  item: string;
  reason: string;
}

/** A link of the old blog's menu, in order: to one of its posts or pages (by its old address), a tag, or an address. */
export interface ImportedMenuLink {
  label: string;
  to: { oldUrl: string } | { tag: string } | { href: string };
}

export interface ImportResult {
  format: string;
  posts: ImportedPost[];
  skipped: Skipped[];
  warnings: string[];
  /** The old blog's menu (WordPress's nav_menu_item), when it had one. */
  menu?: ImportedMenuLink[];
}

/** A slug this product accepts: the export's if valid, else one from the title (ASCII), else `fallback`. */
export function slugFor(candidates: (string | null | undefined)[], fallback: string): string {
  for (const raw of candidates) {
    if (!raw) continue;
    let text = raw;
    try {
      text = decodeURIComponent(raw);
    } catch {
      /* as written */
    }
    const slug = fold(text)
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, MAX_SLUG_LENGTH)
      .replace(/-+$/, "");
    if (!validateSlug(slug)) return slug;
  }
  return fallback;
}

/** Gives each post a slug of its own (`-2`, `-3`, …), reporting every change; the first keeps it. */
export function uniqueSlugs(result: ImportResult): void {
  const seen = new Set<string>();
  for (const post of result.posts) {
    const base = post.source.slug;
    let slug = base;
    for (let n = 2; seen.has(slug); n++) slug = `${base.slice(0, MAX_SLUG_LENGTH - String(n).length - 1)}-${n}`;
    if (slug !== base) result.warnings.push(`${post.origin}: the slug "${base}" is taken by another post; written as "${slug}"`);
    post.source = { ...post.source, slug };
    seen.add(slug);
  }
}

/** Text of a title or name: whitespace collapsed, or null when empty. */
export function clean(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value).replace(/\s+/g, " ").trim();
  return text || null;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  hellip: "…",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  eacute: "é",
  egrave: "è",
  agrave: "à",
  ccedil: "ç",
};

/**
 * A title as text: WordPress and Ghost titles are HTML ("Markup: Title <em>With</em>"), shown
 * to readers here as text, so their tags go (a `<br>` becomes a space) and entities are decoded.
 */
export function titleText(value: unknown): string | null {
  const html = clean(value);
  if (!html) return null;
  const text = html
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<\/?[a-z][^>]*>/gi, "")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity: string, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith("#x")) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16) || 0xfffd);
      if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)) || 0xfffd);
      return NAMED_ENTITIES[lower] ?? entity;
    });
  return clean(text);
}

/** A date an export wrote (ISO, or `2022-01-21 14:14:00` in UTC), or null. */
export function isoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const text = clean(value);
  if (!text || text.startsWith("0000-00-00")) return null;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(text) ? `${text.replace(" ", "T")}Z` : text;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
