import type { MostRead } from "./core/stats";
import { type BlogRecord, LANGUAGE, MAIN_BLOG } from "./core/blogs";
import type { CommentRules, Moderation } from "./core/comments";
import { MODERATIONS } from "./core/comments";
import type { BlogStore } from "./core/keys";
import { DEFAULT_THEME, THEMES, type ThemeName } from "./core/theme";
import { BoundedMap, getOrMake } from "./core/maps";
import { DEFAULT_POST_COMMENT_LIMIT } from "./core/vocabulary";
import { log } from "./core/log";
import type { MenuItem } from "./core/menu";
import { type Language, messagesFor } from "./core/i18n";
import type { AdminMessages } from "./core/i18n/admin/en";

/**
 * The deployment's configuration, read from env once per request (the `tenancy` middleware, http/tenancy.ts)
 * and once per scheduled run. Nothing else reads `env` vars.
 */
export interface BlogConfig {
  /** The blog's name on the platform (`main` for the main blog). */
  name: string;
  title: string;
  description: string;
  author: string;
  /** Absolute origin and path prefix, without a trailing slash. */
  baseUrl: string;
  timeZone: string;
  /** `<html lang>` and the feeds' language. */
  language: string;
  /** "+ Create my blog": the platform's form, on the main blog's host. */
  createUrl: string;
  /** The look: theme, logo and favicon addresses, and the per-blog stylesheet's version (null: none). */
  look: { theme: ThemeName; accent: string | null; logo: string | null; favicon: string | null; cssVersion: string | null };
  /** The owner's menu; null: the default one. */
  menu: MenuItem[] | null;
  /** New posts go to the subscribers by mail, whole, unless a post says not to (PostSource.email). */
  emailPosts: boolean;
  /** Its owner deleted it: readers get 404, members may restore it until then (ISO time). */
  closedUntil: string | null;
  /** Whether its pages show the "Most read" list. */
  mostRead: boolean;
  /** When the blog was created: its statistics are kept under it, so a later blog of the same name starts from nothing. */
  born: string;
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
  /** Readership statistics (http/stats.ts): counted unless STATS is "off"; batches leave after STATS_FLUSH_SECONDS. */
  stats: { on: boolean; flushMs: number };
  mail: MailSettings;
  /** Host names: the main blog's (BASE_URL) and the one other blogs are named under (BLOGS_DOMAIN). */
  hosts: { main: string; blogsDomain: string };
  /**
   * What this blog's signed tokens (sessions, comment edit tokens) are bound to: its name and
   * creation time, so nothing signed for a deleted blog works on a new one of the same name.
   * Empty for the main blog, whose tokens keep the single-blog form.
   */
  tokenScope: string;
  /** "+ Create my blog": open to anyone, by invitation (existing accounts), or closed. */
  signups: "open" | "invite" | "closed";
  /** FEDERATION_ALLOW_PRIVATE: peers on loopback and private addresses may federate (development and tests only). */
  federationAllowPrivate: boolean;
}

/** The words of the serving blog's language (its catalog, read by the tenancy middleware). */
export const wordsOf = (c: { var: { settings: Settings } }) => messagesFor(c.var.settings.blog.language);

/**
 * `settings`: the serving blog's, parsed once per request; `store`: its slice of KV;
 * `unknownBlog`: the free name a host under BLOGS_DOMAIN asked for (answered with a 404).
 */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    settings: Settings;
    store: BlogStore;
    unknownBlog?: string;
    /** This isolate wrote to the asked post's comment thread a moment ago (set by the page cache). */
    threadWritten?: boolean;
    /** On the administration's pages: the signed-in person's words, and their language (http/admin-language.ts). */
    admin?: AdminMessages;
    adminLanguage?: Language;
    /** On writes: where a route says what it changed, for the page cache to forget (http/cache.ts). */
    changes?: Changes;
    /** The blog's "Most read" list, where it shows one (http/stats.ts). */
    mostRead?: MostRead | null;
  };
};

/**
 * What a write changed, as the route that made it says. A successful write that says nothing
 * makes the page cache forget everything this isolate holds; one that says narrows it.
 */
export interface Changes {
  /** A post (its page, and the listings, feeds and search it is in). */
  post(slug: string): void;
  /** One post's comment thread and nothing else (comments, moderation). */
  thread(slug: string): void;
}

export const MIN_ADMIN_TOKEN = 32;

const zones = new Map<string, boolean>();
const warnedZones = new Set<string>();

/** Whether the runtime knows `tz` as an IANA time zone; checked once per isolate (an Intl formatter is costly). */
export function isTimeZone(tz: string): boolean {
  let known = zones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    if (zones.size < 1000) zones.set(tz, known);
  }
  return known;
}

function validTimeZone(tz: string | undefined | null): string {
  if (!tz) return "UTC";
  if (isTimeZone(tz)) return tz;
  if (!warnedZones.has(tz) && warnedZones.size < 100) log("warn", "time zone is not an IANA time zone; using UTC", { timeZone: tz });
  warnedZones.add(tz);
  return "UTC";
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
      log("error", `ADMIN_TOKEN is shorter than ${MIN_ADMIN_TOKEN} characters: administration is disabled until a longer one is set`, {
        code: "admin_disabled",
      });
    warned = true;
    return null;
  }
  return token;
}

function whole(text: string | undefined, fallback: number): number {
  const n = Number(text ?? fallback);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

const moderationOf = (value: string | null | undefined): Moderation =>
  (MODERATIONS as readonly string[]).includes(value ?? "") ? (value as Moderation) : "open";

export const blockedWordList = (text: string | null | undefined): string[] =>
  (text ?? "")
    .split(",")
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);

const heldHosts = new WeakMap<object, { main: string; blogsDomain: string }>();

/** The host names the blogs answer at: BASE_URL's (the main blog) and BLOGS_DOMAIN (the others); worked out once per environment. */
export function hostsOf(env: Env): { main: string; blogsDomain: string } {
  return getOrMake(heldHosts, env, () => Object.freeze({ main: mainHost(env), blogsDomain: (env.BLOGS_DOMAIN || "").toLowerCase() }));
}

/** The host of BASE_URL, which the main blog answers at. */
export function mainHost(env: Env): string {
  return env.BASE_URL && URL.canParse(env.BASE_URL) ? new URL(env.BASE_URL).hostname : "localhost";
}

/**
 * A blog's absolute address. The main blog's is BASE_URL; another blog's is its first custom
 * domain, else `<name>.<BLOGS_DOMAIN>` with BASE_URL's scheme. In development (a loopback
 * BASE_URL) the request's own origin is used, as for the main blog.
 */
function blogUrl(env: Env, blog: BlogRecord | null, requestUrl: string | undefined): string {
  if (!blog || blog.name === MAIN_BLOG) return baseUrl(env.BASE_URL, requestUrl);
  const base = env.BASE_URL && URL.canParse(env.BASE_URL) ? new URL(env.BASE_URL) : new URL("http://localhost:8787");
  const own = `${blog.name}.${(env.BLOGS_DOMAIN || "localhost").toLowerCase()}`;
  if (LOOPBACK.test(base.hostname) && requestUrl) {
    // Development: the scheme and port that are serving, on the blog's own host name.
    const request = new URL(requestUrl);
    if (request.hostname === own || blog.domains.includes(request.hostname)) return request.origin;
    request.hostname = own;
    return request.origin;
  }
  if (blog.primaryDomain) return `${base.protocol}//${blog.primaryDomain}`;
  if (blog.domains[0]) return `${base.protocol}//${blog.domains[0]}`;
  const port = LOOPBACK.test(base.hostname) && base.port ? `:${base.port}` : "";
  return `${base.protocol}//${own}${port}`;
}

/** Whether a request came to a name under BLOGS_DOMAIN (a blog's, or a free one): its create link leads to the main host. */
function underBlogsDomain(env: Env, requestUrl: string | undefined): boolean {
  const domain = (env.BLOGS_DOMAIN || "").toLowerCase();
  return !!requestUrl && !!domain && new URL(requestUrl).hostname.endsWith(`.${domain}`);
}

/** The main blog's address, seen from any blog (in development: the serving scheme and port on the main host). */
function mainUrl(env: Env, requestUrl: string | undefined): string {
  if (!requestUrl) return baseUrl(env.BASE_URL, undefined);
  const request = new URL(requestUrl);
  request.hostname = mainHost(env);
  return baseUrl(env.BASE_URL, request.href);
}

/** "Name <address>" with the blog's title as the name, so each blog's mail comes from its own name. */
function sender(mailFrom: string | undefined, title: string): string {
  const address = /<([^>]+)>/.exec(mailFrom ?? "")?.[1] ?? (mailFrom?.trim() || "blog@example.com");
  return `${title.replace(/[<>"\r\n]/g, "")} <${address}>`;
}

const scopeOf = (blog: BlogRecord | null) => (blog ? `${blog.name}@${blog.createdAt}` : "");

/**
 * One blog's settings: its own (from its record) over the deployment's `[vars]` and secrets,
 * with safe fallbacks. `requestUrl` is the request being served, if any.
 */
export function readSettings(env: Env, requestUrl?: string, blog: BlogRecord | null = null): Settings {
  const token = adminToken(env.ADMIN_TOKEN);
  const name = blog?.name ?? MAIN_BLOG;
  const title = blog?.title || env.BLOG_TITLE || "Blog";
  const language = blog?.language ?? "en";
  const url = blogUrl(env, blog, requestUrl);
  return {
    blog: {
      name,
      title,
      description: blog?.description ?? (env.BLOG_DESCRIPTION || ""),
      // A blog other than main signs as itself unless it names an author: the vars' author is main's.
      author: blog?.author || (blog && name !== MAIN_BLOG ? title : env.BLOG_AUTHOR) || "Editor",
      baseUrl: url,
      timeZone: validTimeZone(blog?.timeZone ?? env.TIMEZONE),
      language: LANGUAGE.test(language) ? language : "en",
      createUrl: `${name === MAIN_BLOG && !underBlogsDomain(env, requestUrl) ? url : mainUrl(env, requestUrl)}/create`,
      look: {
        theme: blog?.theme && (THEMES as readonly string[]).includes(blog.theme) ? blog.theme : DEFAULT_THEME,
        accent: blog?.accent ?? null,
        logo: blog?.logo ?? null,
        favicon: blog?.favicon ?? null,
        cssVersion: blog?.cssVersion ?? null,
      },
      menu: blog?.menu?.length ? blog.menu : null,
      emailPosts: blog?.emailPosts !== false,
      born: blog?.createdAt ?? "",
      mostRead: blog?.mostRead === true,
      closedUntil: blog?.state === "closed" ? (blog.purgeAt ?? null) : null,
    },
    comments: {
      moderation: moderationOf(blog?.moderation ?? env.COMMENT_MODERATION),
      rateLimit: blog?.rateLimit ?? whole(env.COMMENT_RATE_LIMIT, 5),
      postLimit: whole(env.COMMENT_POST_LIMIT, DEFAULT_POST_COMMENT_LIMIT),
      blockedWords: blockedWordList(blog?.blockedWords ?? env.COMMENT_BLOCKED_WORDS),
      // Per blog, so an edit token of one blog's comment is worthless on another's.
      secret: token ? (name === MAIN_BLOG ? `comment-edit:${token}` : `comment-edit:${scopeOf(blog)}:${token}`) : null,
    },
    adminToken: token,
    pageCacheSeconds: whole(env.PAGE_CACHE_SECONDS, 3),
    stats: { on: env.STATS !== "off", flushMs: whole(env.STATS_FLUSH_SECONDS, 5) * 1000 },
    mail: {
      driver: env.MAIL_DRIVER || "outbox",
      from: sender(env.MAIL_FROM, title),
      apiUrl: env.MAIL_API_URL || "https://api.resend.com",
      apiKey: env.MAIL_API_KEY || null,
    },
    hosts: hostsOf(env),
    tokenScope: name === MAIN_BLOG ? "" : scopeOf(blog),
    signups: env.SIGNUPS === "invite" || env.SIGNUPS === "closed" ? env.SIGNUPS : "open",
    federationAllowPrivate: env.FEDERATION_ALLOW_PRIVATE === "true",
  };
}

/**
 * What a new blog starts with: the deployment's vars as they are now for its rules (language,
 * time zone, comments); its identity (title, description, author) is its creator's, not main's.
 */
export function defaultBlogSettings(env: Env) {
  return {
    title: null,
    description: "",
    author: null,
    language: "en",
    timeZone: validTimeZone(env.TIMEZONE),
    moderation: moderationOf(env.COMMENT_MODERATION),
    blockedWords: env.COMMENT_BLOCKED_WORDS ?? "",
    rateLimit: whole(env.COMMENT_RATE_LIMIT, 5),
  };
}

/**
 * readSettings once per environment, blog record and request origin (all a blog's settings depend
 * on): every request alike shares one frozen object, so what is built from the settings (the page
 * documents, views/layout.tsx) is built once. A saved blog is a new record, hence new settings.
 */
const heldSettings = new WeakMap<object, BoundedMap<string, { record: BlogRecord | null; settings: Settings }>>();
/** Many blogs: the settings of the blogs an isolate serves are kept up to this many. */
const MAX_HELD_SETTINGS = 1024;

export function settingsFor(env: Env, origin: string, blog: BlogRecord | null): Settings {
  const byBlog = getOrMake(
    heldSettings,
    env,
    () => new BoundedMap<string, { record: BlogRecord | null; settings: Settings }>(MAX_HELD_SETTINGS),
  );
  const key = `${blog?.name ?? MAIN_BLOG}\n${origin}`;
  const known = byBlog.get(key);
  if (known && known.record === blog) return known.settings;
  const settings = readSettings(env, origin, blog);
  for (const part of [
    settings,
    settings.blog,
    settings.blog.look,
    settings.comments,
    settings.mail,
    settings.hosts,
    settings.comments.blockedWords,
  ])
    Object.freeze(part);
  byBlog.set(key, { record: blog, settings });
  return settings;
}
