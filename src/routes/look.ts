import { CACHE_POLICY } from "../http/freshness";
import { Hono } from "hono/tiny";
import { blogCss, cssVersionOf } from "../core/theme";
import { readCustomCss } from "../data/look";
import type { AppEnv } from "../settings";

/**
 * `/blog.css`: the blog's accent colour and custom CSS, as a stylesheet of its own (never inline,
 * so the CSP keeps `style-src 'self'`). Pages link it with the version of the settings, so it is
 * cached for good under that version, and only once KV holds the CSS that version names.
 */
export const lookRoutes = new Hono<AppEnv>().get("/blog.css", async (c) => {
  const { look } = c.var.settings.blog;
  const current = { theme: look.theme, accent: look.accent, customCss: await readCustomCss(c.var.store) };
  const css = blogCss(current);
  const settled = look.cssVersion !== null && c.req.query("v") === look.cssVersion && cssVersionOf(css) === look.cssVersion;
  return c.body(css, 200, {
    "Content-Type": "text/css; charset=utf-8",
    "Cache-Control": CACHE_POLICY[settled ? "immutable" : "minute"],
  });
});
