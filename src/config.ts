import type { Context } from "hono";

export type AppEnv = { Bindings: Env };

export interface BlogConfig {
  title: string;
  description: string;
  author: string;
  /** Absolute origin and path prefix, without a trailing slash. */
  baseUrl: string;
  timeZone: string;
}

function validTimeZone(tz: string | undefined): string {
  if (!tz) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    console.error(`TIMEZONE "${tz}" is not an IANA time zone; using UTC`);
    return "UTC";
  }
}

/** The blog's settings from `[vars]`, with safe fallbacks. */
export function blogConfig(env: Env, requestUrl?: string): BlogConfig {
  const base = env.BASE_URL || (requestUrl ? new URL(requestUrl).origin : "http://localhost:8787");
  return {
    title: env.BLOG_TITLE || "Blog",
    description: env.BLOG_DESCRIPTION || "",
    author: env.BLOG_AUTHOR || "Editor",
    baseUrl: base.replace(/\/+$/, ""),
    timeZone: validTimeZone(env.TIMEZONE),
  };
}

export const configOf = (c: Context<AppEnv>) => blogConfig(c.env, c.req.url);
