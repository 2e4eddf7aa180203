import { CACHE_POLICY } from "./freshness";
import type { MiddlewareHandler } from "hono";
import { oldUrlKey } from "../core/imports";
import { oldUrlTarget } from "../data/redirects";
import type { AppEnv } from "../settings";

/** Old URLs are permanent: browsers and search engines may keep the move for a day. */

/**
 * The old URLs of an imported blog answer 301 to the post they became: a request that would be
 * a 404 (and WordPress's `/?p=123`) looks its path up in the blog's redirects key, so no page
 * that exists pays for it.
 */
export const oldUrls: MiddlewareHandler<AppEnv> = async (c, next) => {
  const read = c.req.method === "GET" || c.req.method === "HEAD";
  const path = c.req.path;
  // The home page is the hottest path: its URL is only parsed when it may carry `p` or `page_id`.
  if (read && path === "/" && /[?&](?:p|page_id)=/.test(c.req.url)) {
    const key = oldUrlKey(path, new URL(c.req.url).searchParams);
    const slug = key ? await oldUrlTarget(c.var.store, key) : null;
    if (slug) return moved(slug);
  }
  await next();
  // A trailing slash is trimmed by a redirect of its own: an old URL goes to its post in one step.
  const trimmed = c.res.status === 301 && path.length > 1 && path.endsWith("/");
  if (!read || (c.res.status !== 404 && !trimmed) || path === "/api" || path.startsWith("/api/")) return;
  const key = oldUrlKey(path);
  const slug = key ? await oldUrlTarget(c.var.store, key) : null;
  if (!slug) return;
  // Assigning over a response copies its headers (the trimmed address's Location) into the new one: drop it first.
  c.res = undefined as unknown as Response;
  c.res = moved(slug);
};

function moved(slug: string): Response {
  return new Response(null, { status: 301, headers: { Location: `/posts/${slug}`, "Cache-Control": CACHE_POLICY.moved } });
}

/**
 * "/posts/x/" answers 301 to "/posts/x" (GET and HEAD; "/" stays), before routing: the router
 * (PatternRouter) would match it as "/posts/x", and a page has one address.
 */
export const trimTrailingSlash: MiddlewareHandler = async (c, next) => {
  const { method, path } = c.req;
  if ((method === "GET" || method === "HEAD") && path !== "/" && path.endsWith("/")) {
    const url = new URL(c.req.url);
    url.pathname = url.pathname.replace(/\/+$/, "") || "/";
    c.res = c.redirect(url.toString(), 301);
    return;
  }
  await next();
};
