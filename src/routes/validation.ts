import { type AdminMessages, say } from "../core/i18n";
import type { Context, ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { AppEnv } from "../settings";
import * as z from "zod/mini";
import { MAX_SLUG_LENGTH, MAX_TAG_SLUG_LENGTH, NUMERIC_ID, POST_SLUG, TAG_SLUG } from "../core/vocabulary";
import { AppError, type ErrorCode } from "../errors";

/**
 * Request schemas shared by the routes, and the one validator hook: every route validates with
 * `validate(...)` and reads its input only through `c.req.valid(...)`.
 */

/** Fields that accept "" or null for "none", by the schema of their real values (read by the OpenAPI generator). */
export const nullableOf = z.registry<{ schema: unknown; json: Record<string, unknown> }>();

/** A whole number in [1, max] given as a query string value. */
export const wholeNumber = (name: string, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,9}$/, `${name} must be a whole number`)), z.transform(Number)),
    z.number().check(z.minimum(1, `${name} must be at least 1`), z.maximum(max, `${name} must be at most ${max}`)),
  );

/** A row id in a URL or form field, as a number. */
export const numericId = (message: string) => z.pipe(z.string().check(z.regex(NUMERIC_ID, message)), z.transform(Number));

/** A person's id in a URL: up to 2^53 (ids are random above 2^40; see platform/person.ts). */
export const personId = (message: string) =>
  z.pipe(
    z.string().check(
      z.regex(/^\d{1,16}$/, message),
      z.refine((s) => Number.isSafeInteger(Number(s)), message),
    ),
    z.transform(Number),
  );

/** A text field of an HTML form: "" when the browser sent nothing. */
export const formText = () => z._default(z.string(), "");

/** A post slug in a URL. */
export const postSlug = z.string().check(z.maxLength(MAX_SLUG_LENGTH), z.regex(POST_SLUG));

export const tagParam = z
  .string()
  .check(
    z.maxLength(MAX_TAG_SLUG_LENGTH, `tag must be at most ${MAX_TAG_SLUG_LENGTH} characters`),
    z.regex(TAG_SLUG, "tag must be a tag slug such as world-news (lowercase letters, digits, hyphens)"),
  );

export const pageQuery = z.object({ page: z.optional(wholeNumber("page", 100_000)) });

export const SLUG_RULE = `A slug is 1–${MAX_SLUG_LENGTH} lowercase letters, digits and single hyphens.`;

export type Issue = { path: readonly PropertyKey[]; message: string; code?: string; expected?: string };

/**
 * Every problem of a failed validation in one sentence each, named by the field's label where
 * the request came from a form ("Your name is required …"), by its path otherwise.
 * A message that already starts with the field's name is kept as it is.
 */
export function describeIssues(issues: readonly Issue[], labels: Record<string, string> = {}, whole = "The request"): string {
  const lines = issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    if (!field) {
      return issue.code === "invalid_type" && issue.expected === "object" ? `${whole} must be a JSON object.` : issue.message;
    }
    const label = labels[field];
    const text = issue.message.startsWith(field) ? issue.message.slice(field.length).trimStart() : issue.message;
    if (label) return `${label} ${text}`;
    return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
  });
  return [...new Set(lines)].join("; ") || "The request is not valid.";
}

/**
 * A refused form's problems in the person's language: English names each problem after its
 * field's label (`english`: the labels as English writes them before a problem, "Title:" by
 * default); another language names the fields to check, in its own words (`labels`).
 */
export function formProblems(
  words: AdminMessages,
  issues: readonly Issue[],
  labels: Record<string, string>,
  english: Record<string, string> = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, `${v}:`])),
): string {
  if (words.locale.startsWith("en")) return describeIssues(issues, english);
  const fields = [...new Set(issues.map((i) => String(i.path[0] ?? "")))];
  return say(words.formProblems, { fields: fields.map((f) => labels[f] ?? f).join(", ") });
}

interface ValidateOptions {
  /** The error code for a failure (default: invalid_input). */
  code?: ErrorCode;
  /** A fixed message instead of the issues (a malformed slug on a page is just "not found"). */
  message?: string;
  /** Form labels by field name, for messages. */
  labels?: Record<string, string>;
  /** What the whole input is called when it has the wrong shape ("The comment"). */
  whole?: string;
  /** The message from the issues and what was sent, for inputs that answer in the blog's language. */
  describe?: (issues: readonly Issue[], input: unknown, c: Context<AppEnv>) => string;
}

/** The validator of a route: on failure, an AppError with the code and every problem. */
export function validate<T extends keyof ValidationTargets, S extends z.ZodMiniType>(target: T, schema: S, opts: ValidateOptions = {}) {
  return validator(target, async (value, c): Promise<z.output<S>> => {
    const result = await z.safeParseAsync(schema, value);
    if (!result.success) {
      const issues = result.error.issues as readonly Issue[];
      const message =
        opts.message ??
        (opts.describe ? opts.describe(issues, value, c as Context<AppEnv>) : describeIssues(issues, opts.labels, opts.whole));
      throw new AppError(opts.code ?? "invalid_input", message);
    }
    return result.data;
  });
}

/** Query strings: 400 invalid_query. */
export const validQuery = <S extends z.ZodMiniType>(schema: S) => validate("query", schema, { code: "invalid_query" });

/** The `:slug` of a page: a malformed one is simply not found. */
export const pageSlugParam = validate("param", z.looseObject({ slug: postSlug }), {
  code: "not_found",
  message: "There is no page at this address.",
});

/** The `:slug` of an API route: 400 invalid_slug. */
export const apiSlugParam = validate("param", z.looseObject({ slug: postSlug }), { code: "invalid_slug", message: SLUG_RULE });
