import type { CommentRules, Moderation } from "./content/comments";
import { MODERATIONS } from "./content/comments";

/**
 * The deployment's configuration, read from env once per request (the `settings` middleware)
 * and once per scheduled run. Nothing else reads `env` vars.
 */
export interface BlogConfig {
  title: string;
  description: string;
  author: string;
  /** Absolute origin and path prefix, without a trailing slash. */
  baseUrl: string;
  timeZone: string;
}

export interface MailSettings {
  driver: string;
  from: string;
  apiUrl: string;
  apiKey: string | null;
}

export interface Settings {
  blog: BlogConfig;
  comments: CommentRules;
  /** The operator's token when it is long enough; null disables administration. */
  adminToken: string | null;
  /** Seconds an isolate keeps an anonymous page (0: the page caches are off). */
  pageCacheSeconds: number;
  mail: MailSettings;
}

export type AppEnv = { Bindings: Env; Variables: { settings: Settings } };

export const MIN_ADMIN_TOKEN = 32;

const zones = new Map<string, string>();

/** Checks a zone once per isolate: building an Intl formatter is costly. */
function validTimeZone(tz: string | undefined): string {
  if (!tz) return "UTC";
  let checked = zones.get(tz);
  if (!checked) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      checked = tz;
    } catch {
      console.error(`TIMEZONE "${tz}" is not an IANA time zone; using UTC`);
      checked = "UTC";
    }
    zones.set(tz, checked);
  }
  return checked;
}

const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|[a-z0-9-]+\.localhost)$/;

/**
 * The blog's absolute address. In development (BASE_URL on a loopback host, or unset) links follow
 * the host and port actually serving the request, so `npm run dev -- --port 8791` links to 8791.
 */
function baseUrl(configured: string | undefined, requestUrl: string | undefined): string {
  const base = configured && URL.canParse(configured) ? new URL(configured) : null;
  const request = requestUrl ? new URL(requestUrl) : null;
  const url = request && (!base || LOOPBACK.test(base.hostname)) ? request.origin : (base?.href ?? "http://localhost:8787");
  return url.replace(/\/+$/, "");
}

let warned = false;

function adminToken(token: string | undefined): string | null {
  if (!token) return null;
  if (token.length < MIN_ADMIN_TOKEN) {
    if (!warned)
      console.error(`ADMIN_TOKEN is shorter than ${MIN_ADMIN_TOKEN} characters: administration is disabled until a longer one is set.`);
    warned = true;
    return null;
  }
  return token;
}

function whole(text: string | undefined, fallback: number): number {
  const n = Number(text ?? fallback);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

/** Settings from `[vars]` and secrets, with safe fallbacks; `requestUrl` is the request being served, if any. */
export function readSettings(env: Env, requestUrl?: string): Settings {
  const token = adminToken(env.ADMIN_TOKEN);
  const moderation = (MODERATIONS as readonly string[]).includes(env.COMMENT_MODERATION) ? (env.COMMENT_MODERATION as Moderation) : "open";
  return {
    blog: {
      title: env.BLOG_TITLE || "Blog",
      description: env.BLOG_DESCRIPTION || "",
      author: env.BLOG_AUTHOR || "Editor",
      baseUrl: baseUrl(env.BASE_URL, requestUrl),
      timeZone: validTimeZone(env.TIMEZONE),
    },
    comments: {
      moderation,
      rateLimit: whole(env.COMMENT_RATE_LIMIT, 5),
      blockedWords: (env.COMMENT_BLOCKED_WORDS ?? "")
        .split(",")
        .map((w) => w.trim().toLowerCase())
        .filter(Boolean),
      secret: token ? `comment-edit:${token}` : null,
    },
    adminToken: token,
    pageCacheSeconds: whole(env.PAGE_CACHE_SECONDS, 3),
    mail: {
      driver: env.MAIL_DRIVER || "outbox",
      from: env.MAIL_FROM,
      apiUrl: env.MAIL_API_URL || "https://api.resend.com",
      apiKey: env.MAIL_API_KEY || null,
    },
  };
}
