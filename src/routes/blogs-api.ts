import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { type BlogRecord, DOMAIN } from "../content/blogs";
import { keysFor } from "../content/keys";
import type { ListingChunk } from "../content/types";
import { MAX_EMAIL_LENGTH } from "../content/vocabulary";
import { blogsRegistry, holdRegistry } from "../data/blogs";
import { parse } from "../data/posts";
import { AppError } from "../errors";
import { requireAdmin } from "../http/auth";
import { jsonBody } from "../http/limits";
import { type AppEnv, defaultBlogSettings, readSettings } from "../settings";
import { validate } from "./validation";

export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 1000;

const domains = z.array(
  z.string({ error: "each domain must be text" }).check(z.regex(DOMAIN, "each domain must be a host name such as blog.example.org")),
);

/** POST /api/admin/blogs. The name's rules are the registry's (invalid_name, reserved_name, name_taken). */
export const newBlogBody = z.object({
  name: z.string({ error: "name is required (3 to 30 lowercase letters, digits and single hyphens)" }),
  title: z
    .string({ error: "title is required (text)" })
    .check(
      z.trim(),
      z.minLength(1, "title is required (text)"),
      z.maxLength(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`),
    ),
  description: z.optional(
    z.nullable(z.string({ error: "description must be text" }).check(z.maxLength(MAX_DESCRIPTION_LENGTH, "description is too long"))),
  ),
  ownerEmail: z.optional(
    z.nullable(
      z.string().check(z.maxLength(MAX_EMAIL_LENGTH), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "ownerEmail must be an email address")),
    ),
  ),
  domains: z.optional(domains),
});

const nameParam = z.object({ name: z.string() });

/** PATCH /api/admin/blogs/:name: custom domains (the settings are edited in each blog's administration). */
export const blogPatchBody = z.object({ domains });

/** The API's Blog, with its number of public posts as the operator's list shows it. */
function apiBlog(c: Context<AppEnv>, blog: BlogRecord, posts?: number) {
  const settings = readSettings(c.env, c.req.url, blog);
  return {
    name: blog.name,
    title: settings.blog.title,
    description: settings.blog.description,
    url: settings.blog.baseUrl,
    createdAt: blog.createdAt,
    domains: blog.domains,
    ...(posts === undefined ? {} : { posts }),
  };
}

/** Public post counts of many blogs: one bulk read of their first home chunks per 100 blogs. */
async function postCounts(kv: KVNamespace, names: string[], now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < names.length; i += 100) {
    const wanted = names.slice(i, i + 100).map((name) => [name, keysFor(name).home(0)] as const);
    const values = await kv.get(
      wanted.map(([, key]) => key),
      "text",
    );
    for (const [name, key] of wanted) {
      const chunk = parse<ListingChunk>(values.get(key), key);
      out.set(name, chunk ? chunk.total + chunk.scheduled.filter((p) => p.date <= now.toISOString()).length : 0);
    }
  }
  return out;
}

/** The operator's blogs (ADMIN_TOKEN, on any host): create, list, attach domains, delete. */
export const blogsApi = new Hono<AppEnv>()
  .use("/admin/blogs", requireAdmin)
  .use("/admin/blogs/*", requireAdmin)
  .get("/admin/blogs", async (c) => {
    const registry = await blogsRegistry(c.env).list(new Date().toISOString());
    holdRegistry(registry);
    const active = registry.blogs.filter((b) => b.state === "active");
    const counts = await postCounts(
      c.env.POSTS,
      active.map((b) => b.name),
      new Date(),
    );
    return c.json({ blogs: active.map((b) => apiBlog(c, b, counts.get(b.name) ?? 0)) });
  })
  .post("/admin/blogs", ...jsonBody, validate("json", newBlogBody, { code: "invalid_input", whole: "The blog" }), async (c) => {
    const input = c.req.valid("json");
    const { blog, registry } = await blogsRegistry(c.env).create(
      {
        name: input.name,
        title: input.title,
        description: input.description ?? null,
        domains: input.domains ?? [],
        ownerEmail: input.ownerEmail ?? null,
      },
      defaultBlogSettings(c.env),
      new Date().toISOString(),
    );
    holdRegistry(registry);
    const body = apiBlog(c, blog);
    c.header("Location", `/api/admin/blogs/${blog.name}`);
    return c.json({ blog: body }, 201);
  })
  .get("/admin/blogs/:name", validate("param", nameParam), async (c) => {
    const { name } = c.req.valid("param");
    const registry = await blogsRegistry(c.env).list(new Date().toISOString());
    const blog = registry.blogs.find((b) => b.name === name && b.state === "active");
    if (!blog) throw new AppError("blog_not_found", `There is no blog "${name}".`);
    const counts = await postCounts(c.env.POSTS, [name], new Date());
    return c.json({ blog: apiBlog(c, blog, counts.get(name) ?? 0) });
  })
  .patch(
    "/admin/blogs/:name",
    validate("param", nameParam),
    ...jsonBody,
    validate("json", blogPatchBody, { code: "invalid_domain", whole: "The change" }),
    async (c) => {
      const { name } = c.req.valid("param");
      const { blog, registry } = await blogsRegistry(c.env).configure(name, {}, c.req.valid("json").domains, new Date().toISOString());
      holdRegistry(registry);
      return c.json({ blog: apiBlog(c, blog) });
    },
  )
  .delete("/admin/blogs/:name", validate("param", nameParam), async (c) => {
    const { name } = c.req.valid("param");
    const { registry } = await blogsRegistry(c.env).remove(name, new Date().toISOString());
    holdRegistry(registry);
    return c.body(null, 204);
  });
