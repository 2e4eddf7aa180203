import * as z from "zod/mini";
import { TAG_SLUG } from "../content/tags";
import { AppError } from "../errors";

/** A whole number in [1, max] given as a query string value. */
export const wholeNumber = (name: string, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,9}$/, `${name} must be a whole number`)), z.transform(Number)),
    z.number().check(z.minimum(1, `${name} must be at least 1`), z.maximum(max, `${name} must be at most ${max}`)),
  );

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
