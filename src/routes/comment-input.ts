import * as z from "zod/mini";
import { MAX_AUTHOR_LENGTH, MAX_COMMENT_LENGTH, MAX_EMAIL_LENGTH, NUMERIC_ID } from "../core/vocabulary";
import { isEnglish } from "../core/i18n";
import { type Messages, number, say } from "../core/i18n";
import { describeIssues, formText, type Issue, nullableOf, numericId } from "./validation";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const author = z.pipe(
  z.pipe(
    z.string({ error: "author is required" }),
    z.transform((s: string) => s.replace(/\s+/g, " ").trim()),
  ),
  z.string().check(
    z.minLength(1, `author is required (1–${MAX_AUTHOR_LENGTH} characters)`),
    z.maxLength(MAX_AUTHOR_LENGTH, `author must be at most ${MAX_AUTHOR_LENGTH} characters`),
    z.refine((s) => !CONTROL.test(s), "author must not contain control characters"),
  ),
);

const body = z.pipe(
  z.pipe(
    z.string({ error: "body is required" }),
    z.transform((s: string) => s.replace(/\r\n?/g, "\n")),
  ),
  z.string().check(
    z.refine((s) => s.trim().length > 0, `body is required (1–${MAX_COMMENT_LENGTH.toLocaleString("en-US")} characters)`),
    z.refine((s) => s.length <= MAX_COMMENT_LENGTH, `body must be at most ${MAX_COMMENT_LENGTH.toLocaleString("en-US")} characters`),
    z.refine((s) => !s.includes("\u0000"), "body must not contain NUL characters"),
  ),
);

const email = z.pipe(
  z.pipe(
    z.string("email must be text").check(z.trim(), z.maxLength(MAX_EMAIL_LENGTH, `email must be at most ${MAX_EMAIL_LENGTH} characters`)),
    z.email("email must be a valid address such as name@example.com"),
  ),
  z.transform((s: string) => {
    const at = s.lastIndexOf("@");
    return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
  }),
);

const id = z
  .int({ error: "parentId must be a comment id (a whole number)" })
  .check(z.minimum(1, "parentId must be a comment id"), z.maximum(Number.MAX_SAFE_INTEGER));

/** An optional field: absent, null and "" mean null; anything else must pass `schema`, whose message is kept. */
function optional<T extends z.ZodMiniType>(schema: T, json: Record<string, unknown> = {}) {
  const field = z.pipe(
    z.optional(z.unknown()),
    z.transform((value: unknown, ctx): z.output<T> | null => {
      if (value === undefined || value === null || value === "") return null;
      const result = z.safeParse(schema, value);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.issues.push({ code: "custom", message: issue.message, input: value });
      return z.NEVER;
    }),
  );
  // The OpenAPI generator describes the field by `schema` (or null), not by the unknown it accepts first.
  nullableOf.add(field, { schema, json });
  return field;
}

/** POST /api/posts/:slug/comments */
export const commentJson = z.object({
  author,
  body,
  email: optional(email, { format: "email" }),
  parentId: optional(id),
  /** Mail me (at `email`) when someone replies. */
  notify: z.optional(z.boolean({ error: "notify must be true or false" })),
});

/** POST /posts/:slug/comments (the HTML form; `website` is the honeypot). */
export const commentForm = z.object({
  author: formText(),
  body: formText(),
  email: formText(),
  parentId: formText(),
  website: formText(),
  notify: formText(),
});

/** Validates the form's strings with the same rules as the JSON API. */
export function parseCommentForm(form: z.infer<typeof commentForm>) {
  const parentId = form.parentId.trim() === "" ? null : NUMERIC_ID.test(form.parentId.trim()) ? Number(form.parentId) : NaN;
  return z.safeParse(commentJson, {
    author: form.author,
    body: form.body,
    email: form.email,
    parentId: Number.isNaN(parentId) ? "x" : parentId,
    notify: form.notify === "1",
  });
}

export const commentEdit = z.object({ body, editToken: z.optional(z.string().check(z.maxLength(200))) });

export const commentIdParam = z.looseObject({
  id: numericId("the comment id must be a whole number"),
});

/** The comment form's labels, so that its errors name the fields as the reader sees them. */
export const COMMENT_LABELS: Record<string, string> = {
  author: "Your name",
  email: "Your email",
  body: "Your comment",
  parentId: "The comment you reply to",
};

/**
 * What is wrong with a comment, in the blog's language: English names each rule as it always did;
 * another language says the same for the rules a reader meets (a name, a text, their lengths, an
 * email), and a hostile input's rarer faults (control characters) in English.
 */
export function commentProblems(
  t: Messages,
  issues: readonly Issue[],
  values: { author?: string; body?: string },
  /** English names the form's fields by their labels, the API's by their names. */
  labels: Record<string, string> = COMMENT_LABELS,
): string {
  if (isEnglish(t)) return describeIssues(issues, labels, "The comment");
  const e = t.commentErrors;
  const lines = issues.map((issue) => {
    const author = (values.author ?? "").replace(/\s+/g, " ").trim();
    const body = values.body ?? "";
    switch (issue.path[0]) {
      case "author":
        if (!author) return e.nameRequired;
        if (author.length > MAX_AUTHOR_LENGTH) return say(e.nameTooLong, { n: number(t, MAX_AUTHOR_LENGTH) });
        break;
      case "body":
        if (!body.trim()) return e.bodyRequired;
        if (body.replace(/\r\n?/g, "\n").length > MAX_COMMENT_LENGTH) return say(e.bodyTooLong, { n: number(t, MAX_COMMENT_LENGTH) });
        break;
      case "email":
        return e.emailInvalid;
      case "parentId":
        return e.replyGone;
    }
    return describeIssues([issue], labels, "The comment");
  });
  return [...new Set(lines)].join(" ");
}
