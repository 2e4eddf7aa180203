import { parseIsoDate } from "./dates";
import { tagSlug } from "./tags";
import { imageUrlProblem, MAX_IMAGE_URL } from "./theme";
import { kindFields, type PostSource } from "./types";
import { MAX_SLUG_LENGTH, POST_SLUG } from "./vocabulary";

const KNOWN_FIELDS = new Set(["title", "date", "author", "tags", "summary", "draft", "updated", "cover", "type", "comments", "email"]);

/** The date of a page written without one: pages show none, and it sorts before every post. */
export const UNDATED = "1970-01-01T00:00:00.000Z";

export interface FieldError {
  field: string;
  message: string;
}

export type Validated =
  | { ok: true; post: PostSource; warnings: FieldError[] }
  | { ok: false; errors: FieldError[]; warnings: FieldError[] };

export function validateSlug(slug: string): string | null {
  if (slug.length === 0) return "the slug is empty";
  if (slug.length > MAX_SLUG_LENGTH) return `the slug is longer than ${MAX_SLUG_LENGTH} characters`;
  if (!POST_SLUG.test(slug)) return "the slug may only hold lowercase letters a-z, digits and single hyphens between them";
  return null;
}

function isoField(value: unknown, field: string, errors: FieldError[]): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value !== "string") {
    errors.push({ field, message: `${field} must be an ISO 8601 date such as 2022-01-21T14:14:00Z` });
    return null;
  }
  const date = parseIsoDate(value);
  if (!date) {
    errors.push({ field, message: `${field} "${value}" is not an ISO 8601 date such as 2022-01-21T14:14:00Z` });
    return null;
  }
  return date.toISOString();
}

function optionalText(value: unknown, field: string, max: number, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    errors.push({ field, message: `${field} must be text` });
    return null;
  }
  const text = value.trim();
  if (text.length > max) errors.push({ field, message: `${field} is longer than ${max} characters` });
  return text.length ? text : null;
}

/** An image next to the posts (`images/map.png`), which `npm run publish` uploads and rewrites to /media/…. */
const LOCAL_IMAGE = /^(?:\.\/)?(?:[\w-]+\/)*[\w.-]+\.(?:png|jpe?g|gif|webp|avif)$/i;

/**
 * Checks a post's front matter and body; every problem is reported with the field it is in.
 * `files`: the post is a file of `posts/`, whose cover may be an image next to it.
 */
export function validatePost(slug: string, data: unknown, markdown: string, files = false): Validated {
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const slugError = validateSlug(slug);
  if (slugError) errors.push({ field: "slug", message: slugError });

  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    errors.push({ field: "front matter", message: "front matter must be a YAML mapping (key: value lines between --- fences)" });
    return { ok: false, errors, warnings };
  }
  const fm = data as Record<string, unknown>;
  for (const key of Object.keys(fm)) {
    if (!KNOWN_FIELDS.has(key)) warnings.push({ field: key, message: `unknown field "${key}" is ignored` });
  }

  let title: string | null = null;
  if (fm.title === undefined || fm.title === null) errors.push({ field: "title", message: "title is required" });
  else if (typeof fm.title !== "string" && typeof fm.title !== "number") errors.push({ field: "title", message: "title must be text" });
  else {
    title = String(fm.title).trim();
    if (!title) errors.push({ field: "title", message: "title must not be empty" });
    else if (title.length > 200) errors.push({ field: "title", message: "title is longer than 200 characters" });
  }

  let page = false;
  if (fm.type !== undefined && fm.type !== null) {
    if (fm.type === "page") page = true;
    else if (fm.type !== "post") errors.push({ field: "type", message: 'type must be "post" or "page"' });
  }
  let comments: boolean | undefined;
  if (fm.comments !== undefined && fm.comments !== null) {
    if (typeof fm.comments !== "boolean") errors.push({ field: "comments", message: "comments must be true or false" });
    else if (!page) warnings.push({ field: "comments", message: "comments is for pages: a post always takes comments" });
    else comments = fm.comments;
  }
  let email: boolean | undefined;
  if (fm.email !== undefined && fm.email !== null) {
    if (typeof fm.email !== "boolean")
      errors.push({ field: "email", message: "email must be true or false (whether subscribers get the post by mail)" });
    else if (page) warnings.push({ field: "email", message: "email is for posts: a page is never mailed to subscribers" });
    else email = fm.email;
  }

  let date: string | null = null;
  if (fm.date === undefined || fm.date === null) {
    if (page) date = UNDATED;
    else errors.push({ field: "date", message: "date is required (ISO 8601, e.g. 2022-01-21T14:14:00Z)" });
  } else date = isoField(fm.date, "date", errors);

  const updated = fm.updated === undefined || fm.updated === null ? null : isoField(fm.updated, "updated", errors);
  if (updated && date && updated < date) warnings.push({ field: "updated", message: "updated is earlier than date" });

  const author = optionalText(fm.author, "author", 100, errors);
  const summary = optionalText(fm.summary, "summary", 500, errors);

  const tags: string[] = [];
  if (fm.tags !== undefined && fm.tags !== null) {
    const list = typeof fm.tags === "string" ? [fm.tags] : fm.tags;
    if (!Array.isArray(list)) errors.push({ field: "tags", message: "tags must be a list, e.g. [world, diplomacy]" });
    else {
      const seen = new Set<string>();
      list.forEach((tag, i) => {
        if (typeof tag !== "string" && typeof tag !== "number") {
          errors.push({ field: `tags[${i}]`, message: "each tag must be text" });
          return;
        }
        const name = String(tag).trim();
        if (name.length > 50) errors.push({ field: `tags[${i}]`, message: `tag "${name.slice(0, 50)}…" is longer than 50 characters` });
        else if (!tagSlug(name)) errors.push({ field: `tags[${i}]`, message: `tag "${name}" has no letters or digits` });
        else if (!seen.has(tagSlug(name))) {
          seen.add(tagSlug(name));
          tags.push(name);
        }
      });
    }
  }

  let draft = false;
  if (fm.draft !== undefined && fm.draft !== null) {
    if (typeof fm.draft !== "boolean") errors.push({ field: "draft", message: "draft must be true or false" });
    else draft = fm.draft;
  }

  const cover = optionalText(fm.cover, "cover", MAX_IMAGE_URL, errors);
  const coverProblem = cover && !(files && LOCAL_IMAGE.test(cover)) ? imageUrlProblem(cover) : null;
  if (coverProblem) errors.push({ field: "cover", message: `cover ${coverProblem}` });

  if (!markdown.trim()) warnings.push({ field: "body", message: "the post has no body" });

  if (errors.length || title === null || date === null) return { ok: false, errors, warnings };
  return {
    ok: true,
    warnings,
    post: {
      slug,
      title,
      date,
      updated,
      author,
      tags,
      summary,
      draft,
      markdown,
      ...(cover ? { cover } : {}),
      ...kindFields({ type: page ? "page" : undefined, comments, email }),
    },
  };
}
