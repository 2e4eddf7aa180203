import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { type BlogRecord, DOMAIN, MAIN_BLOG } from "../content/blogs";
import { MAX_EMAIL_LENGTH } from "../content/vocabulary";
import { blogPostCounts, blogsRegistry, heldRegistry, holdRegistry } from "../data/blogs";
import { DEFAULT_THEME } from "../content/theme";
import { accounts } from "../data/stores";
import { AppError } from "../errors";
import { requireOperator } from "../http/auth";
import { jsonBody } from "../http/limits";
import { type AppEnv, defaultBlogSettings, hostsOf, readSettings } from "../settings";
import { blogDescription, blogTitle, saveSettings, settingsSchema } from "./blog-settings";
import { validate } from "./validation";

const domains = z.array(
  z.string({ error: "each domain must be text" }).check(z.regex(DOMAIN, "each domain must be a host name such as blog.example.org")),
);

/** POST /api/admin/blogs. The name's rules are the registry's (invalid_name, reserved_name, name_taken). */
export const newBlogBody = z.object({
  name: z.string({ error: "name is required (3 to 30 lowercase letters, digits and single hyphens)" }),
  title: z.string({ error: "title is required (text)" }).check(...blogTitle),
  description: z.optional(z.nullable(blogDescription)),
  ownerEmail: z.optional(
    z.nullable(
      z.string().check(z.maxLength(MAX_EMAIL_LENGTH), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "ownerEmail must be an email address")),
    ),
  ),
  domains: z.optional(domains),
});

const nameParam = z.object({ name: z.string() });

/** PATCH /api/admin/blogs/:name: any of the blog's settings, and its custom domains (replacing the list). */
export const blogPatchBody = z.extend(settingsSchema, { domains: z.optional(domains) });

const noSuchBlog = (name: string) => new AppError("blog_not_found", `There is no blog "${name}".`);

/**
 * Refuses a custom domain that is the platform's own: the main host, BLOGS_DOMAIN or any name
 * under it (`beta.localhost` given to alpha would serve alpha at beta's address).
 */
function checkDomains(env: Env, hosts: string[] | undefined): void {
  const { main, blogsDomain } = hostsOf(env);
  const own = hosts?.find((h) => h === main || (blogsDomain && (h === blogsDomain || h.endsWith(`.${blogsDomain}`))));
  if (own) {
    throw new AppError(
      "invalid_domain",
      `${own} is one of the platform's own addresses (${main}, ${blogsDomain} and its subdomains), not a custom domain.`,
    );
  }
}

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

/** The operator's blogs (ADMIN_TOKEN, on any host): create, list, attach domains, delete. */
export const blogsApi = new Hono<AppEnv>()
  .use("/admin/blogs", requireOperator)
  .use("/admin/blogs/*", requireOperator)
  .get("/admin/blogs", async (c) => {
    const registry = await blogsRegistry(c.env).list(new Date().toISOString());
    holdRegistry(registry);
    const active = registry.blogs.filter((b) => b.state === "active");
    const counts = await blogPostCounts(
      c.env.POSTS,
      active.map((b) => b.name),
      new Date(),
    );
    return c.json({ blogs: active.map((b) => apiBlog(c, b, counts.get(b.name) ?? 0)) });
  })
  .post("/admin/blogs", ...jsonBody, validate("json", newBlogBody, { code: "invalid_input", whole: "The blog" }), async (c) => {
    const input = c.req.valid("json");
    checkDomains(c.env, input.domains);
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
    if (!blog) throw noSuchBlog(name);
    const counts = await blogPostCounts(c.env.POSTS, [name], new Date());
    return c.json({ blog: apiBlog(c, blog, counts.get(name) ?? 0) });
  })
  .patch(
    "/admin/blogs/:name",
    validate("param", nameParam),
    ...jsonBody,
    validate("json", blogPatchBody, { code: "invalid_settings", whole: "The change" }),
    async (c) => {
      const { name } = c.req.valid("param");
      const { domains, ...patch } = c.req.valid("json");
      checkDomains(c.env, domains);
      const record = (await heldRegistry(c.env.POSTS)).named(name);
      // Nothing of a blog that does not exist is written (its custom CSS key included).
      if (!record && name !== MAIN_BLOG) throw noSuchBlog(name);
      const current = { theme: record?.theme ?? DEFAULT_THEME, accent: record?.accent ?? null };
      const { blog, registry } = await saveSettings(c.env, name, patch, current, domains ?? null);
      holdRegistry(registry);
      const changed = [...Object.keys(patch), ...(domains ? ["domains"] : [])].join(", ");
      await accounts(c.env).record(name, { personId: null }, "settings.changed", changed, new Date().toISOString());
      return c.json({ blog: apiBlog(c, blog) });
    },
  )
  .delete("/admin/blogs/:name", validate("param", nameParam), async (c) => {
    const { name } = c.req.valid("param");
    const { registry } = await blogsRegistry(c.env).remove(name, new Date().toISOString());
    holdRegistry(registry);
    return c.body(null, 204);
  });
