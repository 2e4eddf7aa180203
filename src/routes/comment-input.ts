import { z } from "zod";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const author = z
  .string({ error: "author is required" })
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(1, "author is required (your name, 1–80 characters)")
      .max(80, "author must be at most 80 characters")
      .refine((s) => !CONTROL.test(s), "author must not contain control characters"),
  );

const body = z
  .string({ error: "body is required" })
  .transform((s) => s.replace(/\r\n?/g, "\n"))
  .pipe(
    z
      .string()
      .refine((s) => s.trim().length > 0, "body is required (1–5,000 characters)")
      .refine((s) => s.length <= 5000, "body must be at most 5,000 characters")
      .refine((s) => !s.includes("\u0000"), "body must not contain NUL characters"),
  );

const email = z
  .string()
  .trim()
  .max(254, "email must be at most 254 characters")
  .pipe(z.email("email must be a valid address such as name@example.com"))
  .transform((s) => {
    const at = s.lastIndexOf("@");
    return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
  });

const id = z.number({ error: "parentId must be a comment id (a whole number)" }).int("parentId must be a whole number").min(1, "parentId must be a comment id").max(Number.MAX_SAFE_INTEGER);

/** An optional field: absent, null and "" mean null; anything else must pass `schema`, whose message is kept. */
function optional<T extends z.ZodType>(schema: T) {
  return z.unknown().optional().transform((value, ctx): z.output<T> | null => {
    if (value === undefined || value === null || value === "") return null;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
    return z.NEVER;
  });
}

/** POST /api/posts/:slug/comments */
export const commentJson = z.object({
  author,
  body,
  email: optional(z.string("email must be text").pipe(email)),
  parentId: optional(id),
});

/** POST /posts/:slug/comments (the HTML form; `website` is the honeypot). */
export const commentForm = z.object({
  author: z.string().default(""),
  body: z.string().default(""),
  email: z.string().default(""),
  parentId: z.string().default(""),
  website: z.string().default(""),
});

/** Validates the form's strings with the same rules as the JSON API. */
export function parseCommentForm(form: z.infer<typeof commentForm>) {
  const parentId = form.parentId.trim() === "" ? null : /^\d{1,15}$/.test(form.parentId.trim()) ? Number(form.parentId) : NaN;
  return commentJson.safeParse({ author: form.author, body: form.body, email: form.email, parentId: Number.isNaN(parentId) ? "x" : parentId });
}

export const commentEdit = z.object({ body, editToken: z.string().max(200).optional() });

export const commentIdParam = z.object({
  slug: z.string(),
  id: z.string().regex(/^\d{1,15}$/, "the comment id must be a whole number").transform(Number),
});

export function firstIssue(error: { issues: readonly { message: string }[] }): string {
  const issue = error.issues[0];
  return issue?.message ?? "The comment is not valid.";
}
