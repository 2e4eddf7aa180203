import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import * as z from "zod/mini";
import { requireAdmin } from "../auth";
import { configOf, type AppEnv } from "../config";
import { validatePost } from "../content/validate";
import { siteEditor } from "../data/editor";
import { AppError, guarded } from "../errors";
import { apiPost } from "../views/json";
import { bodyLimit64k, requireType } from "./limits";
import { apiSlugParam } from "./params";


export const postBody = z.object({
  title: z.optional(z.unknown()),
  date: z.optional(z.unknown()),
  markdown: z.string({ error: "markdown is required (the post body, as text)" }).check(z.maxLength(60_000, "markdown must be at most 60,000 characters")),
  tags: z.optional(z.unknown()),
  summary: z.optional(z.unknown()),
  draft: z.optional(z.unknown()),
  author: z.optional(z.unknown()),
  updated: z.optional(z.unknown()),
});


/** Admin writes: PUT and DELETE /api/posts/:slug with `Authorization: Bearer <ADMIN_TOKEN>`. */
export const adminApi = new Hono<AppEnv>()
  .put(
    "/posts/:slug",
    requireAdmin,
    apiSlugParam,
    bodyLimit64k,
    requireType("application/json"),
    zValidator("json", postBody, (r) => {
      if (!r.success) throw new AppError(400, "invalid_post", r.error.issues[0]?.message ?? "The post is not valid.");
    }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const { markdown, ...fields } = c.req.valid("json");
      // The same checks as a file's front matter in `npm run publish`.
      const checked = validatePost(slug, fields, markdown);
      if (!checked.ok) throw new AppError(400, "invalid_post", checked.errors.map((e) => `${e.field}: ${e.message}`).join("; "));
      const { created, record } = await guarded("the editor", siteEditor(c.env).save(checked.post), 25_000);
      const status = record.draft ? "draft" : record.date > new Date().toISOString() ? "scheduled" : "published";
      c.header("Location", `/posts/${slug}`);
      return c.json({ post: { ...apiPost({ ...record, next: null }, configOf(c)), draft: record.draft }, status }, created ? 201 : 200);
    },
  )
  .delete("/posts/:slug", requireAdmin, apiSlugParam, async (c) => {
    const { slug } = c.req.valid("param");
    const removed = await guarded("the editor", siteEditor(c.env).remove(slug), 25_000);
    if (!removed) throw new AppError(404, "not_found", `There is no post "${slug}".`);
    return c.body(null, 204);
  });
