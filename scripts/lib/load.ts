import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { FrontMatterError, parseFrontMatter } from "../../src/core/frontmatter";
import type { PostSource } from "../../src/core/types";
import { COMMENTS_DIR, type ImportedComment, parseImportedComments, parseRedirects, REDIRECTS_FILE } from "../../src/core/imports";
import { validatePost, validateSlug } from "../../src/core/validate";
import type { ParseCache } from "./publish-memo";

export interface FileProblem {
  file: string;
  field: string;
  message: string;
}

export interface Loaded {
  posts: PostSource[];
  errors: FileProblem[];
  warnings: FileProblem[];
}

/** Parses and validates one Markdown file's text; `file` names it in every problem. */
export function loadPostText(file: string, slug: string, text: string): Loaded {
  let parsed: { data: unknown; body: string };
  try {
    parsed = parseFrontMatter(text);
  } catch (err) {
    if (!(err instanceof FrontMatterError)) throw err;
    return { posts: [], warnings: [], errors: [{ file, field: "front matter", message: err.message }] };
  }
  const result = validatePost(slug, parsed.data, parsed.body, true);
  const warnings = result.warnings.map((w) => ({ file, ...w }));
  if (!result.ok) return { posts: [], warnings, errors: result.errors.map((e) => ({ file, ...e })) };
  return { posts: [result.post], warnings, errors: [] };
}

/** Reads every `*.md` file of `dir` (the slug is the file name); problems from all files are collected. */
export async function loadPosts(dir: string, cwd = process.cwd(), cache?: ParseCache): Promise<Loaded> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".md")).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      posts: [],
      warnings: [],
      errors: [
        {
          file: relative(cwd, dir) || dir,
          field: "folder",
          message: code === "ENOENT" ? "the posts folder does not exist" : `cannot read the posts folder (${code})`,
        },
      ],
    };
  }
  const out: Loaded = { posts: [], errors: [], warnings: [] };
  for (const name of names) {
    const path = join(dir, name);
    const file = relative(cwd, path) || path;
    // Read synchronously: 10,000 small files take 0.25 s here, against 0.9 s through the thread pool (open, stat, read, close each).
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      out.errors.push({ file, field: "file", message: `cannot read the file (${(err as NodeJS.ErrnoException).code})` });
      continue;
    }
    const slug = name.slice(0, -3);
    // A file parsed before, to the byte, gives the same post and warnings.
    const known = cache?.get(slug, text);
    if (known) {
      out.posts.push(known.post);
      out.warnings.push(...known.warnings.map((w) => ({ file, ...w })));
      continue;
    }
    const one = loadPostText(file, slug, text);
    if (cache && one.posts[0] && !one.errors.length)
      cache.set(
        slug,
        text,
        one.posts[0],
        one.warnings.map(({ field, message }) => ({ field, message })),
      );
    out.posts.push(...one.posts);
    out.errors.push(...one.errors);
    out.warnings.push(...one.warnings);
  }
  return out;
}

export interface LoadedImports {
  comments: Map<string, ImportedComment[]>;
  redirects: Map<string, string>;
  errors: FileProblem[];
  warnings: FileProblem[];
}

/**
 * What `npm run import` wrote beside the posts: `comments/<slug>.json` and `redirects.txt`
 * (both optional). A file that cannot be read, or a comment in it that cannot be taken, is an
 * error naming the file and the entry; a reply whose parent is missing is kept at the top level
 * with a warning.
 */
export async function loadImports(dir: string, cwd = process.cwd()): Promise<LoadedImports> {
  const out: LoadedImports = { comments: new Map(), redirects: new Map(), errors: [], warnings: [] };
  const name = (path: string) => relative(cwd, path) || path;
  const commentsDir = join(dir, COMMENTS_DIR);
  const files = (await readdir(commentsDir).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort();
  for (const entry of files) {
    const path = join(commentsDir, entry);
    const slug = entry.slice(0, -".json".length);
    const slugProblem = validateSlug(slug);
    if (slugProblem) {
      out.errors.push({ file: name(path), field: "file name", message: slugProblem });
      continue;
    }
    const text = await readFile(path, "utf8").catch(() => null);
    const { comments, problems } =
      text === null ? { comments: [], problems: [{ field: "file", message: "cannot be read" }] } : parseImportedComments(text);
    // Nothing an import wrote is left out quietly: a comment that cannot be taken stops the publish.
    const fatal = problems.filter((p) => p.field === "file" || p.field === "comments" || p.dropsComment);
    out.errors.push(...fatal.map((p) => ({ file: name(path), ...p })));
    out.warnings.push(...problems.filter((p) => !fatal.includes(p)).map((p) => ({ file: name(path), ...p })));
    if (!fatal.length) out.comments.set(slug, comments);
  }
  const redirectsPath = join(dir, REDIRECTS_FILE);
  const text = await readFile(redirectsPath, "utf8").catch(() => null);
  if (text !== null) {
    const { redirects, problems } = parseRedirects(text);
    out.errors.push(...problems.map((p) => ({ file: name(redirectsPath), ...p })));
    out.redirects = redirects;
  }
  return out;
}
