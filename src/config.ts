import type { Context } from "hono";
import { adminToken } from "./auth";
import type { Moderation, ThreadPolicy } from "./durable/comment-thread";

export type AppEnv = { Bindings: Env };

export interface BlogConfig {
  title: string;
  description: string;
  author: string;
  /** Absolute origin and path prefix, without a trailing slash. */
  baseUrl: string;
  timeZone: string;
}

const zones = new Map<string, string>();

/** Checks a zone once per isolate: building an Intl formatter is costly. */
function validTimeZone(tz: string | undefined): string {
  if (!tz) return "UTC";
  const known = zones.get(tz);
  if (known) return known;
  const checked = checkTimeZone(tz);
  zones.set(tz, checked);
  return checked;
}

function checkTimeZone(tz: string): string {
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

const MODERATION = new Set(["open", "first-time", "all"]);

/** Comment rules from `[vars]` (and the ADMIN_TOKEN secret for edit tokens). */
export function commentPolicy(env: Env): ThreadPolicy {
  const moderation = MODERATION.has(env.COMMENT_MODERATION) ? (env.COMMENT_MODERATION as Moderation) : "open";
  const limit = Number(env.COMMENT_RATE_LIMIT ?? "5");
  return {
    moderation,
    rateLimit: Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : 5,
    blockedWords: (env.COMMENT_BLOCKED_WORDS ?? "")
      .split(",")
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
    secret: adminToken(env) ? `comment-edit:${env.ADMIN_TOKEN}` : null,
  };
}
