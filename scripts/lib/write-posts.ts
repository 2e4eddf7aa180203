import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import YAML, { isMap, parseDocument } from "yaml";
import type { PostSource } from "../../src/core/types";
import { FRONT_MATTER_FIELDS, frontMatterFields } from "../../src/core/post-file";

const frontMatter = frontMatterFields;
const FIELDS = FRONT_MATTER_FIELDS;

/** A post as the text of its `posts/<slug>.md` file. */
export function postFile(p: PostSource): string {
  return `---\n${YAML.stringify(frontMatter(p))}---\n${p.markdown}`;
}

/** Whether a file's value already means what the post holds (dates as instants, one tag as a list, draft: false as absent). */
function same(field: (typeof FIELDS)[number], have: unknown, want: unknown): boolean {
  if (field === "date" || field === "updated") {
    if (have === undefined || have === null || want === undefined) return (have ?? null) === (want ?? null);
    const t = Date.parse(have instanceof Date ? have.toISOString() : String(have));
    return !Number.isNaN(t) && t === Date.parse(String(want));
  }
  if (field === "tags") {
    const list = have === undefined || have === null ? [] : Array.isArray(have) ? have : [have];
    const wanted = (want as string[] | undefined) ?? [];
    return list.length === wanted.length && list.every((t, i) => String(t).trim() === wanted[i]);
  }
  if (field === "draft" || field === "comments") return (have === true) === (want === true);
  if (field === "type") return (have === "page") === (want === "page");
  if (field === "title") return have !== undefined && String(have).trim() === want;
  const text = typeof have === "string" ? have.trim() || undefined : have === null ? undefined : have;
  return text === want;
}

/**
 * The file for a post, written over `existing`: fields whose value did not change keep the
 * editor's formatting (quotes, `[a, b]` lists, dates as typed, comments); only changed fields
 * and the body are rewritten. Without a readable front matter, the whole file is written anew.
 */
export function updatePostFile(existing: string, p: PostSource): string {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n?---\r?\n/.exec(existing);
  if (!match) return postFile(p);
  const doc = parseDocument(match[1]!, { version: "1.2", uniqueKeys: true });
  if (doc.errors.length || !isMap(doc.contents)) return postFile(p);
  const have = (doc.toJS() ?? {}) as Record<string, unknown>;
  const want = frontMatter(p);
  for (const field of FIELDS) {
    if (same(field, have[field], want[field])) continue;
    if (want[field] === undefined) doc.delete(field);
    else doc.set(field, want[field]);
  }
  const yaml = doc.toString({ flowCollectionPadding: false });
  return `---\n${yaml.endsWith("\n") ? yaml : `${yaml}\n`}---\n${p.markdown}`;
}

/** Writes posts as `<slug>.md` files with YAML front matter, as an editor would. */
export async function writePostFiles(dir: string, posts: PostSource[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < posts.length; i += 500) {
    await Promise.all(posts.slice(i, i + 500).map((p) => writeFile(join(dir, `${p.slug}.md`), postFile(p))));
  }
}
