import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { siteEditor } from "../data/objects";
import { AppError } from "../errors";
import { requireRole } from "../http/auth";
import { jsonBody } from "../http/limits";
import type { AppEnv } from "../settings";
import { apiPost } from "../views/json";
import { apiSlugParam, validate } from "./validation";
import { checkedPost, deletePost, restorePost, savePost } from "../editing/posts";

const text = (field: string) => z.string({ error: `${field} must be text` });

/** PUT /api/posts/:slug: the same fields as a file's front matter, plus the Markdown body. */
export const postBody = z.object({
  title: z.union([z.string(), z.number()], { error: "title is required (text)" }),
  // A page needs none (validatePost asks a post for one).
  date: z.optional(z.string({ error: "date must be an ISO 8601 date such as 2022-01-21T14:14:00Z" })),
  markdown: z
    .string({ error: "markdown is required (the post body, as text)" })
    .check(z.maxLength(60_000, "markdown must be at most 60,000 characters")),
  // One tag may be given as a plain string, as in front matter.
  tags: z.optional(z.union([z.string(), z.array(z.string())], { error: 'tags must be a list of text, e.g. ["world"]' })),
  summary: z.optional(z.nullable(text("summary"))),
  draft: z.optional(z.boolean({ error: "draft must be true or false" })),
  author: z.optional(z.nullable(text("author"))),
  updated: z.optional(z.nullable(z.string({ error: "updated must be an ISO 8601 date" }))),
  cover: z.optional(z.nullable(text("cover"))),
  type: z.optional(z.enum(["post", "page"], { error: 'type must be "post" or "page"' })),
  comments: z.optional(z.boolean({ error: "comments must be true or false" })),
  email: z.optional(z.boolean({ error: "email must be true or false" })),
});

/** Admin writes: PUT and DELETE /api/posts/:slug (DELETE moves to the trash for 30 days), the trash and earlier versions. */
export const adminApi = new Hono<AppEnv>()
  .put(
    "/posts/:slug",
    requireRole("editor"),
    apiSlugParam,
    ...jsonBody,
    validate("json", postBody, { code: "invalid_post", whole: "The post" }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const { markdown, ...fields } = c.req.valid("json");
      const { created, record, status, dropped } = await savePost(c, checkedPost(slug, fields, markdown));
      c.header("Location", `/${record.type === "page" ? "pages" : "posts"}/${slug}`);
      return c.json(
        {
          post: { ...apiPost({ ...record, next: null }, c.var.settings.blog), draft: record.draft },
          status,
          // What the HTML filter removed (only owners post unfiltered HTML); absent when nothing was.
          ...(dropped.length ? { filtered: dropped } : {}),
        },
        created ? 201 : 200,
      );
    },
  )
  .delete("/posts/:slug", requireRole("editor"), apiSlugParam, async (c) => {
    const { slug } = c.req.valid("param");
    if (!(await deletePost(c, slug))) throw new AppError("not_found", `There is no post "${slug}".`);
    return c.body(null, 204);
  })
  .get("/posts/:slug/revisions", requireRole("editor"), apiSlugParam, async (c) => {
    const revisions = await siteEditor(c.env, c.var.store.name).revisions(c.req.valid("param").slug);
    return c.json({ revisions: revisions.map((r) => ({ id: r.id, savedAt: r.savedAt, title: r.source.title, source: r.source })) });
  })
  .get("/trash", requireRole("editor"), async (c) => c.json({ posts: await siteEditor(c.env, c.var.store.name).trash() }))
  .post("/trash/:slug/restore", requireRole("editor"), apiSlugParam, async (c) => {
    const { slug } = c.req.valid("param");
    const record = await restorePost(c, slug);
    return c.json({ post: { ...apiPost({ ...record, next: null }, c.var.settings.blog), draft: record.draft } });
  });
