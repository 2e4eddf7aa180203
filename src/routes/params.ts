import { zValidator } from "@hono/zod-validator";
import * as z from "zod/mini";
import { TAG_SLUG } from "../content/tags";
import { MAX_SLUG_LENGTH, POST_SLUG } from "../content/validate";
import { AppError } from "../errors";

/** A whole number in [1, max] given as a query string value. */
export const wholeNumber = (name: string, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,9}$/, `${name} must be a whole number`)), z.transform(Number)),
    z.number().check(z.minimum(1, `${name} must be at least 1`), z.maximum(max, `${name} must be at most ${max}`)),
  );

/** A post slug in a URL. */
export const postSlug = z.string().check(z.maxLength(MAX_SLUG_LENGTH), z.regex(POST_SLUG));

export const invalidSlug = () => new AppError(400, "invalid_slug", "A slug is 1–100 lowercase letters, digits and single hyphens.");

/** The `:slug` of an API route: 400 `invalid_slug` when malformed. */
export const apiSlugParam = zValidator("param", z.looseObject({ slug: postSlug }), (r) => {
  if (!r.success) throw invalidSlug();
});

export const pageQuery = z.object({ page: z.optional(wholeNumber("page", 100_000)) });

export const tagParam = z
  .string()
  .check(z.maxLength(64, "tag must be at most 64 characters"), z.regex(TAG_SLUG, "tag must be a tag slug such as world-news (lowercase letters, digits, hyphens)"));

/** zValidator hook: a failed validation becomes a 400 in the app's error shape. */
export function invalid(result: { success: boolean; error?: { issues: readonly { path: PropertyKey[]; message: string }[] } }) {
  if (!result.success && result.error) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join(".") || "input";
    throw new AppError(400, "invalid_query", issue ? (issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`) : "Invalid request.");
  }
}
