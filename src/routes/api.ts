import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { getListingPage } from "../data/posts";
import { notFound } from "../errors";
import type { AppEnv } from "../settings";
import { apiPost, apiSummary, pagination } from "../views/json";
import { openApiDocument } from "../data/openapi";
import { openApiFor } from "../views/openapi";
import { noPostWithSlug, requirePost } from "./post-page";
import { apiSlugParam, tagParam, validQuery, wholeNumber } from "./validation";

const DEFAULT_LIMIT = 10;

export const listQuery = z.object({
  page: z.optional(wholeNumber("page", 100_000)),
  limit: z.optional(wholeNumber("limit", 100)),
  tag: z.optional(z.union([tagParam, z.literal("")])),
});

/** The public posts API, mounted under /api. */
const api = new Hono<AppEnv>()
  .get("/posts", validQuery(listQuery), async (c) => {
    const { page = 1, limit = DEFAULT_LIMIT, tag } = c.req.valid("query");
    const { blog } = c.var.settings;
    const ref = tag ? ({ kind: "tag", slug: tag } as const) : ({ kind: "home" } as const);
    const result = await getListingPage(c.var.store, ref, (page - 1) * limit, limit, new Date());
    // Like /tags/<unknown>: a tag no public post carries is not found.
    if (tag && !result?.total) throw notFound(`No published post has the tag "${tag}".`);
    const total = result?.total ?? 0;
    return c.json({
      posts: (result?.items ?? []).map((p) => apiSummary(p, blog)),
      meta: { pagination: pagination(page, limit, total) },
    });
  })
  .get("/openapi.json", async (c) => c.json(openApiFor(await openApiDocument(c.env), c.var.settings.blog)))
  .get("/posts/:slug", apiSlugParam, async (c) => {
    const { slug } = c.req.valid("param");
    const post = await requirePost(c.var.store, slug, noPostWithSlug(slug));
    return c.json({ post: apiPost(post, c.var.settings.blog) });
  });

export default api;
