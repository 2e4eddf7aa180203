import type { MiddlewareHandler } from "hono";
import { THEMES, type ThemeName } from "../core/theme";
import type { AppEnv } from "../settings";
import { hasCredentials, may, principal } from "./auth";

/**
 * `?theme=<name>` shows a reader page in another theme, for the blog's owners and editors only
 * (the settings page links to it beside the theme list): nothing is saved, and the answer is
 * theirs alone (a request with credentials is never cached, http/cache.ts). Anyone else gets the
 * blog's own theme, and the query costs them nothing but a look at the URL.
 */
export const themePreview: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "GET" && c.req.url.includes("theme=") && hasCredentials(c)) {
    const asked = c.req.query("theme");
    if (THEMES.includes(asked as ThemeName) && may(await principal(c), "editor")) {
      const { settings } = c.var;
      c.set("settings", { ...settings, blog: { ...settings.blog, look: { ...settings.blog.look, theme: asked as ThemeName } } });
    }
  }
  await next();
};
