/**
 * What `npm run import` writes beside the posts and `npm run publish` uploads with them: the
 * approved comments of a post (`posts/comments/<slug>.json`) and the blog's old URLs
 * (`posts/redirects.txt`). Shared by the scripts (which validate them, naming file and field)
 * and the worker (a post's comment thread takes its imported comments in from KV).
 */
import { parseIsoDate } from "./dates";
import { fnv1a } from "./hash";
import type { Keys } from "./keys";
import type { PostRecord } from "./types";
import { validateSlug } from "./validate";
import { MAX_AUTHOR_LENGTH, MAX_IMPORTED_COMMENT_BYTES } from "./vocabulary";

/** The folder of comment files and the old-URL file, inside the posts folder. */
export const COMMENTS_DIR = "comments";
export const REDIRECTS_FILE = "redirects.txt";
/** The name of a comment's author when the export has none. */
export const ANONYMOUS = "Anonymous";
/** An author's link is shown only when it is a web address of at most this length. */
export const MAX_URL_LENGTH = 500;
/** Old URLs per blog: one KV value holds them all, read only by requests that would otherwise be a 404. */
export const MAX_REDIRECTS = 50_000;

export interface ImportedComment {
  /** The comment's id in the export (`wp-42`): what makes importing again idempotent. */
  id: string;
  /** The id of the comment it answers, or null. */
  parent: string | null;
  author: string;
  /** The author's web site, or null. */
  url: string | null;
  /** ISO 8601, UTC. */
  date: string;
  /** Commenter Markdown (the same subset as any reader's comment). */
  markdown: string;
}

export interface ImportedComments {
  v: 1;
  comments: ImportedComment[];
}

export interface ImportProblem {
  field: string;
  message: string;
  /** The problem leaves a comment out: `npm run publish` stops rather than lose what another platform published. */
  dropsComment?: boolean;
}

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** An http(s) address, or null for anything else (a reader's link is never `javascript:`). */
export function webAddress(value: unknown): string | null {
  const s = text(value);
  if (!s || s.length > MAX_URL_LENGTH) return null;
  try {
    const url = new URL(s);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * Reads a comments file: comments that cannot be used are reported (field `comments[i].…`) and
 * left out, the rest come back oldest first; an unreadable file is one problem and no comments.
 */
export function parseImportedComments(json: string): { comments: ImportedComment[]; problems: ImportProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    return { comments: [], problems: [{ field: "file", message: `not valid JSON (${(err as Error).message})` }] };
  }
  const list = (data as { comments?: unknown } | null)?.comments;
  if (!Array.isArray(list)) return { comments: [], problems: [{ field: "comments", message: "must be a list of comments" }] };
  const problems: ImportProblem[] = [];
  const comments: ImportedComment[] = [];
  const ids = new Set<string>();
  list.forEach((raw: Record<string, unknown>, i) => {
    const at = (f: string) => `comments[${i}].${f}`;
    const id = text(raw?.id);
    const date = parseIsoDate(text(raw?.date));
    const author = text(raw?.author).slice(0, MAX_AUTHOR_LENGTH) || ANONYMOUS;
    const markdown = text(raw?.markdown);
    const problem = !id
      ? { field: at("id"), message: "is missing" }
      : ids.has(id)
        ? { field: at("id"), message: `"${id}" appears twice` }
        : !date
          ? { field: at("date"), message: `"${text(raw?.date)}" is not an ISO 8601 date` }
          : !markdown
            ? { field: at("markdown"), message: "is empty" }
            : utf8Length(markdown) > MAX_IMPORTED_COMMENT_BYTES
              ? { field: at("markdown"), message: `is longer than ${MAX_IMPORTED_COMMENT_BYTES / 1024} KB` }
              : null;
    if (problem) {
      problems.push({ ...problem, message: `${problem.message}; the comment would be left out`, dropsComment: true });
      return;
    }
    ids.add(id);
    const parent = text(raw?.parent) || null;
    comments.push({ id, parent, author, url: webAddress(raw?.url), date: date!.toISOString(), markdown });
  });
  for (const c of comments) {
    if (c.parent && !ids.has(c.parent)) {
      problems.push({
        field: `comment ${c.id}.parent`,
        message: `"${c.parent}" is not in the file; the comment is shown at the top level`,
      });
      c.parent = null;
    }
  }
  comments.sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? -1 : 1));
  return { comments, problems };
}

/**
 * The form an old URL is looked up by: the path without trailing slashes, lower-cased, and of
 * the query only WordPress's `p` or `page_id` (`/?p=123`). Null for anything that is not a path.
 */
export function oldUrlKey(path: string, query: URLSearchParams = new URLSearchParams()): string | null {
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  let p = path.toLowerCase();
  try {
    p = decodeURI(p);
  } catch {
    /* kept as written */
  }
  p = p.replace(/\/+$/, "") || "/";
  for (const name of ["p", "page_id"]) {
    const value = query.get(name);
    if (value && /^\d{1,12}$/.test(value)) return `${p}?${name}=${value}`;
  }
  return p === "/" ? null : p;
}

/** An old URL as written in the redirects file or an export (`/2022/01/slug.html`, `/?p=12`, or a full address). */
export function oldUrlKeyOf(written: string): string | null {
  if (!/^(\/|https?:\/\/)/i.test(written.trim())) return null;
  try {
    const url = new URL(written.trim(), "http://old.invalid");
    return oldUrlKey(url.pathname, url.searchParams);
  } catch {
    return null;
  }
}

/** The redirects file: `<old URL> <slug>` per line, `#` comments. Problems name the line. */
export function parseRedirects(body: string): { redirects: Map<string, string>; problems: ImportProblem[] } {
  const redirects = new Map<string, string>();
  const problems: ImportProblem[] = [];
  body.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.replace(/#.*$/, "").trim();
    if (!trimmed) return;
    const field = `line ${i + 1}`;
    const [from, slug, extra] = trimmed.split(/\s+/);
    const key = oldUrlKeyOf(from!);
    const slugProblem = slug ? validateSlug(slug) : null;
    if (!slug || extra) problems.push({ field, message: "must be an old URL and a post slug, separated by a space" });
    else if (!key) problems.push({ field, message: `"${from}" is not a path such as /2022/01/21/my-post/` });
    else if (slugProblem) problems.push({ field, message: `"${slug}": ${slugProblem}` });
    else if (redirects.has(key) && redirects.get(key) !== slug)
      problems.push({ field, message: `"${from}" already leads to ${redirects.get(key)}` });
    else redirects.set(key, slug);
  });
  if (redirects.size > MAX_REDIRECTS) problems.push({ field: "file", message: `holds more than ${MAX_REDIRECTS} old URLs` });
  return { redirects, problems };
}

/** The KV value of a blog's old URLs. */
export interface RedirectsRecord {
  v: 1;
  paths: Record<string, string>;
}

/** What a comment thread is told of its post's imported comments: where they are and the mark of their version. */
export interface ImportRef {
  blog: string;
  slug: string;
  mark: string;
}

/** A short mark of a value (FNV-1a, 32 bits, and its length): changes when the imported comments do. */
export function importMark(value: string): string {
  return `${fnv1a(value).toString(36)}.${value.length.toString(36)}`;
}

/**
 * The imported comments and old URLs as a publish writes them: each post with comments gets their
 * mark (`marks`, for its record: its thread takes them in when it is next read) and its comments
 * key; the old URLs that lead to a post (`posts`: every slug published) go into one key. Answers
 * problems for what was left out.
 */
export function importEntries(
  keys: Keys,
  posts: ReadonlySet<string>,
  imports: { comments: Map<string, ImportedComment[]>; redirects: Map<string, string> },
): { entries: [string, string][]; marks: Map<string, string>; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const entries: [string, string][] = [];
  const marks = new Map<string, string>();
  for (const [slug, comments] of imports.comments) {
    if (!posts.has(slug)) {
      problems.push({ field: `${COMMENTS_DIR}/${slug}.json`, message: `there is no post "${slug}"; its comments are not uploaded` });
      continue;
    }
    if (!comments.length) continue;
    const value = JSON.stringify({ v: 1, comments } satisfies ImportedComments);
    entries.push([keys.importedComments(slug), value]);
    marks.set(slug, importMark(value));
  }
  const paths: Record<string, string> = {};
  for (const [from, slug] of [...imports.redirects].sort(([a], [b]) => a.localeCompare(b))) {
    if (!posts.has(slug)) {
      problems.push({ field: `${REDIRECTS_FILE}: ${from}`, message: `there is no post "${slug}"; the old URL is left out` });
      continue;
    }
    if (from === `/posts/${slug}`) continue;
    paths[from] = slug;
  }
  if (Object.keys(paths).length) entries.push([keys.redirects, JSON.stringify({ v: 1, paths } satisfies RedirectsRecord)]);
  return { entries, marks, problems };
}

/** `importEntries` added to a whole build's `entries` (its post keys name the posts, and get their marks). */
export function addImports(
  keys: Keys,
  entries: Map<string, string>,
  imports: { comments: Map<string, ImportedComment[]>; redirects: Map<string, string> },
): ImportProblem[] {
  const prefix = keys.post("");
  const posts = new Set([...entries.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  const made = importEntries(keys, posts, imports);
  for (const [slug, mark] of made.marks) {
    const key = keys.post(slug);
    entries.set(key, JSON.stringify({ ...(JSON.parse(entries.get(key)!) as PostRecord), imported: mark }));
  }
  for (const [key, value] of made.entries) entries.set(key, value);
  return made.problems;
}
