/**
 * A post as the text of its `posts/<slug>.md` file. The fields (defaults left out) are shared by
 * the scripts, which write them with the `yaml` library to keep an editor's formatting, and the
 * worker's export, which writes them without it: every value as a JSON scalar or list, which YAML
 * 1.2 reads as the same value (JSON is a subset of YAML 1.2's flow style).
 */
import type { PostSource } from "./types";
import { UNDATED } from "./validate";

/** A post's front matter fields, as a file holds them (defaults left out). */
export function frontMatterFields(p: PostSource): Record<string, unknown> {
  const page = p.type === "page";
  // A page written without a date keeps none.
  const fm: Record<string, unknown> = page && p.date === UNDATED ? { title: p.title } : { title: p.title, date: p.date };
  if (page) fm.type = "page";
  if (page && p.comments) fm.comments = true;
  if (p.updated) fm.updated = p.updated;
  if (p.author) fm.author = p.author;
  if (p.tags.length) fm.tags = p.tags;
  if (p.summary) fm.summary = p.summary;
  if (p.cover) fm.cover = p.cover;
  if (p.draft) fm.draft = true;
  if (p.email !== undefined) fm.email = p.email;
  return fm;
}

export const FRONT_MATTER_FIELDS = [
  "title",
  "date",
  "type",
  "comments",
  "updated",
  "author",
  "tags",
  "summary",
  "cover",
  "draft",
  "email",
] as const;

/** JSON, with the characters YAML does not allow raw in a double-quoted scalar escaped too. */
const scalar = (v: unknown) =>
  JSON.stringify(v).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The file's text, written without a YAML library (the worker's export). */
export function postFileText(p: PostSource): string {
  const lines = Object.entries(frontMatterFields(p)).map(([k, v]) =>
    Array.isArray(v) ? `${k}: [${v.map(scalar).join(", ")}]` : `${k}: ${scalar(v)}`,
  );
  return `---\n${lines.join("\n")}\n---\n${p.markdown}`;
}
