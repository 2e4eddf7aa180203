import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { BLOG_NAME, type BlogRecord, DOMAIN, MAIN_BLOG, MAX_DOMAINS } from "../core/blogs";
import { MAX_EMAIL_LENGTH } from "../core/vocabulary";
import { listedRecord } from "../core/directory";
import { blogObject, blogPostCounts, forgetBlogRecords, holdRecord, upgradePeople, upgradeRegistry } from "../data/blogs";
import { directoryPage, directoryStats } from "../data/directory";
import { DEFAULT_THEME } from "../core/theme";
import { accounts } from "../data/objects";
import { AppError } from "../errors";
import { requireOperator } from "../http/auth";
import { jsonBody } from "../http/limits";
import { type AppEnv, defaultBlogSettings, hostsOf, readSettings } from "../settings";
import { blogDescription, blogTitle, saveSettings, settingsSchema } from "./blog-settings";
import { validate } from "./validation";

const domains = z
  .array(z.string({ error: "each domain must be text" }).check(z.regex(DOMAIN, "each domain must be a host name such as blog.example.org")))
  .check(z.maxLength(MAX_DOMAINS, `a blog has at most ${MAX_DOMAINS} custom domains`));

/** POST /api/admin/blogs. The name's rules are the Blog object's (invalid_name, reserved_name, name_taken). */
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

/** GET /api/admin/blogs: a page of the list, by cursor, optionally the names containing `q`. */
export const blogListQuery = z.object({
  cursor: z.optional(z.string()),
  limit: z.optional(z.string().check(z.regex(/^\d{1,4}$/, "limit must be a whole number"))),
  q: z.optional(
    z.string().check(z.maxLength(30), z.regex(/^[a-z0-9-]*$/, "q is part of a blog name (lowercase letters, digits, hyphens)")),
  ),
});

/** The operator's blogs (ADMIN_TOKEN, on any host): create, list, attach domains, delete; the platform's figures. */
export const blogsApi = new Hono<AppEnv>()
  .use("/admin/blogs", requireOperator)
  .use("/admin/blogs/*", requireOperator)
  .use("/admin/platform", requireOperator)
  .use("/admin/platform/*", requireOperator)
  .get("/admin/blogs", validate("query", blogListQuery), async (c) => {
    const { cursor, limit, q } = c.req.valid("query");
    const now = new Date();
    const ask = () => directoryPage(c.env.PLATFORM, { cursor, limit: limit ? Number(limit) : undefined, query: q });
    let page = await ask();
    // The main blog is listed like any other once it has a row, made the first time the list starts without it.
    if (!cursor && !q && page.blogs[0]?.name !== MAIN_BLOG) {
      await blogObject(c.env, MAIN_BLOG).ensureMain(now.toISOString());
      page = await ask();
    }
    // What the list shows comes from the directory's rows; only the post counts are read from KV (one bulk read).
    const counts = await blogPostCounts(
      c.env.POSTS,
      page.blogs.map((b) => b.name),
      now,
    );
    const blogs = page.blogs.map((row) => apiBlog(c, listedRecord(row), counts.get(row.name) ?? 0));
    return c.json({ blogs, next: page.next });
  })
  .get("/admin/platform", async (c) => c.json(await directoryStats(c.env.PLATFORM, new Date())))
  .post("/admin/platform/upgrade", async (c) => {
    // The one-time move from the single registry of earlier versions; the cron does it too.
    const progress = await upgradeRegistry(c.env, new Date());
    // What this isolate held while the records were missing goes (other isolates look again within seconds).
    if (progress.moved) forgetBlogRecords();
    // Then each blog's people, from the single Accounts object to the blog's own.
    const people = await upgradePeople(c.env);
    return c.json({ ...progress, done: progress.done && people.left === 0, people });
  })
  .post("/admin/blogs", ...jsonBody, validate("json", newBlogBody, { code: "invalid_input", whole: "The blog" }), async (c) => {
    const input = c.req.valid("json");
    checkDomains(c.env, input.domains);
    const { blog } = await blogObject(c.env, input.name).create(
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
    holdRecord(blog);
    const body = apiBlog(c, blog);
    c.header("Location", `/api/admin/blogs/${blog.name}`);
    return c.json({ blog: body }, 201);
  })
  .get("/admin/blogs/:name", validate("param", nameParam), async (c) => {
    const { name } = c.req.valid("param");
    if (!BLOG_NAME.test(name)) throw noSuchBlog(name);
    const object = blogObject(c.env, name);
    const blog = name === MAIN_BLOG ? await object.ensureMain(new Date().toISOString()) : await object.get();
    if (blog?.state !== "active") throw noSuchBlog(name);
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
      const record = BLOG_NAME.test(name) ? await blogObject(c.env, name).get() : null;
      // Nothing of a blog that does not exist is written (its custom CSS key included).
      if (record?.state !== "active" && name !== MAIN_BLOG) throw noSuchBlog(name);
      const current = { theme: record?.theme ?? DEFAULT_THEME, accent: record?.accent ?? null };
      const { blog } = await saveSettings(c.env, name, patch, current, domains ?? null);
      holdRecord(blog, record);
      const changed = [...Object.keys(patch), ...(domains ? ["domains"] : [])].join(", ");
      await accounts(c.env, name).record(name, { personId: null }, "settings.changed", changed, new Date().toISOString());
      return c.json({ blog: apiBlog(c, blog) });
    },
  )
  .delete("/admin/blogs/:name", validate("param", nameParam), async (c) => {
    const { name } = c.req.valid("param");
    if (!BLOG_NAME.test(name)) throw noSuchBlog(name);
    const { blog } = await blogObject(c.env, name).remove(name, new Date().toISOString());
    holdRecord(blog);
    return c.body(null, 204);
  });
