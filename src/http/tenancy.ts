import type { MiddlewareHandler } from "hono";
import { hostTarget, MAIN_BLOG } from "../core/blogs";
import { blogStore } from "../core/keys";
import { traceBlog } from "../core/log";
import { blogAt } from "../data/blogs";
import { readMessages, requireWords } from "../data/catalogs";
import { AppError } from "../errors";
import { type AppEnv, hostsOf, settingsFor } from "../settings";

/** What a closed blog still answers: the administration (where its members restore it), signing in, and restoring it by the API. */
const CLOSED_BLOG_PATHS = /^\/(?:admin|signin|invite)(?:\/|$)|^\/api\/admin\/(?:blogs|platform)(?:\/|$)|^\/api\/blog\/restore$/;

/** The administration and the API: served on the blog's platform address even once it has its own domain. */
const MEMBERS_PATHS = /^\/(?:admin|signin|invite|api)(?:\/|$)/;

/** Routes that answer on any host, whether or not it names a blog: the operator's. */
const PLATFORM_PATHS = /^\/api\/admin\/(?:blogs|platform)(?:\/|$)/;

/**
 * Which blog a request is for, from its host name alone: one small KV record per name or custom
 * domain, held in the isolate (data/blogs.ts), never a list of all blogs. Sets that blog's
 * settings and KV slice for every later middleware and route. A free name under BLOGS_DOMAIN
 * answers 404 (after the renderer is attached, so it gets a page).
 */
export const tenancy: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  const env = c.env;
  const hosts = hostsOf(env);
  const found = await blogAt(env.POSTS, hostTarget(url.hostname, hosts.main, hosts.blogsDomain));
  const name = "unknown" in found ? MAIN_BLOG : found.name;
  // A blog served at its owner's own domain: its subdomain sends readers there. Writes are left alone (no form or
  // API call is lost), and so is the administration, where its members are signed in on the platform's address.
  const primary = "unknown" in found ? undefined : found.record?.primaryDomain;
  const reading = (c.req.method === "GET" || c.req.method === "HEAD") && !MEMBERS_PATHS.test(url.pathname);
  if (primary && reading && url.hostname === `${name}.${hosts.blogsDomain}`) {
    return c.redirect(`${url.protocol}//${primary}${url.pathname}${url.search}`, 301);
  }
  // Settings once per request: the blog's own over the vars (main without a saved record: the vars alone).
  const settings = settingsFor(env, url.origin, "unknown" in found ? null : found.record);
  c.set("settings", settings);
  // The blog's words before anything renders (a resolved nothing once this isolate has them).
  const words = readMessages(env, settings.blog.language);
  if (words) await words;
  requireWords();
  traceBlog(name);
  c.set("store", blogStore(env.POSTS, name, settings.pageCacheSeconds * 1000));
  if ("unknown" in found && !PLATFORM_PATHS.test(c.req.path)) c.set("unknownBlog", found.unknown);
  // A blog its owner deleted: gone for readers, while its members may sign in and restore it.
  else if (settings.blog.closedUntil && !CLOSED_BLOG_PATHS.test(c.req.path)) c.set("unknownBlog", settings.blog.name);
  await next();
};

/** Answers the 404 of a host that names no blog, once the renderer can draw it. */
export const requireBlog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const unknown = c.get("unknownBlog");
  if (unknown) throw new AppError("blog_not_found", `There is no blog called "${unknown}" here (yet).`);
  await next();
};
