import * as z from "zod/mini";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const author = z.pipe(
  z.pipe(
    z.string({ error: "author is required" }),
    z.transform((s: string) => s.replace(/\s+/g, " ").trim()),
  ),
  z.string().check(
    z.minLength(1, "author is required (your name, 1–80 characters)"),
    z.maxLength(80, "author must be at most 80 characters"),
    z.refine((s) => !CONTROL.test(s), "author must not contain control characters"),
  ),
);

const body = z.pipe(
  z.pipe(
    z.string({ error: "body is required" }),
    z.transform((s: string) => s.replace(/\r\n?/g, "\n")),
  ),
  z.string().check(
    z.refine((s) => s.trim().length > 0, "body is required (1–5,000 characters)"),
    z.refine((s) => s.length <= 5000, "body must be at most 5,000 characters"),
    z.refine((s) => !s.includes("\u0000"), "body must not contain NUL characters"),
  ),
);

const email = z.pipe(
  z.pipe(
    z.string("email must be text").check(z.trim(), z.maxLength(254, "email must be at most 254 characters")),
    z.email("email must be a valid address such as name@example.com"),
  ),
  z.transform((s: string) => {
    const at = s.lastIndexOf("@");
    return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
  }),
);

const id = z.int({ error: "parentId must be a comment id (a whole number)" }).check(z.minimum(1, "parentId must be a comment id"), z.maximum(Number.MAX_SAFE_INTEGER));

/** An optional field: absent, null and "" mean null; anything else must pass `schema`, whose message is kept. */
function optional<T extends z.ZodMiniType>(schema: T) {
  return z.pipe(
    z.optional(z.unknown()),
    z.transform((value: unknown, ctx): z.output<T> | null => {
      if (value === undefined || value === null || value === "") return null;
      const result = z.safeParse(schema, value);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.issues.push({ code: "custom", message: issue.message, input: value });
      return z.NEVER;
    }),
  );
}

/** POST /api/posts/:slug/comments */
export const commentJson = z.object({
  author,
  body,
  email: optional(email),
  parentId: optional(id),
});

const text = () => z._default(z.string(), "");

/** POST /posts/:slug/comments (the HTML form; `website` is the honeypot). */
export const commentForm = z.object({ author: text(), body: text(), email: text(), parentId: text(), website: text() });

/** Validates the form's strings with the same rules as the JSON API. */
export function parseCommentForm(form: z.infer<typeof commentForm>) {
  const parentId = form.parentId.trim() === "" ? null : /^\d{1,15}$/.test(form.parentId.trim()) ? Number(form.parentId) : NaN;
  return z.safeParse(commentJson, { author: form.author, body: form.body, email: form.email, parentId: Number.isNaN(parentId) ? "x" : parentId });
}

export const commentEdit = z.object({ body, editToken: z.optional(z.string().check(z.maxLength(200))) });

export const commentIdParam = z.object({
  slug: z.string(),
  id: z.pipe(z.string().check(z.regex(/^\d{1,15}$/, "the comment id must be a whole number")), z.transform(Number)),
});

export function firstIssue(error: { issues: readonly { message: string }[] }): string {
  const issue = error.issues[0];
  return issue?.message ?? "The comment is not valid.";
}
