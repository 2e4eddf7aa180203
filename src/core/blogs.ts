import type { MenuItem } from "./menu";
/**
 * The platform's vocabulary: blog names, a blog's record (what its KV keys hold), and which
 * record a host name is looked up by. Shared by the worker, the Blog objects and the scripts.
 */
import type { Moderation } from "./comments";

/** The blog every deployment has, answering at BASE_URL's host; its keys keep the original layout. */
export const MAIN_BLOG = "main";

/** 3–30 characters: lowercase letters and digits in runs joined by single hyphens. */
export const BLOG_NAME = /^(?=.{3,30}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Names that would shadow a platform host or confuse a reader; `main` is taken by the main blog. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "www",
  "admin",
  "administrator",
  "api",
  "app",
  "mail",
  "smtp",
  "imap",
  "pop",
  "ftp",
  "static",
  "assets",
  "media",
  "cdn",
  "blog",
  "blogs",
  "help",
  "support",
  "status",
  "docs",
  "dev",
  "test",
  "staging",
  "root",
  "system",
  "platform",
  "signin",
  "signup",
  "login",
  "create",
  "account",
  "accounts",
  "security",
  "abuse",
  "postmaster",
  "webmaster",
  "hostmaster",
  "noreply",
  "no-reply",
  "localhost",
]);

/** Why a name cannot be a new blog's, or null when it can (availability aside). */
export function nameProblem(name: string): "invalid_name" | "reserved_name" | null {
  if (!BLOG_NAME.test(name)) return "invalid_name";
  if (RESERVED_NAMES.has(name)) return "reserved_name";
  return null;
}

/** A host name as a blog's custom domain: lowercase labels joined by dots, no port. */
export const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What each blog may set in its administration; `null` falls back to the deployment's vars. */
import type { ThemeName } from "./theme";

export interface BlogSettings {
  title: string | null;
  description: string | null;
  author: string | null;
  language: string | null;
  timeZone: string | null;
  moderation: Moderation | null;
  /** Comma-separated, as in COMMENT_BLOCKED_WORDS. */
  blockedWords: string | null;
  rateLimit: number | null;
  /** The look (content/theme.ts); absent in rows saved before themes: the default look. */
  theme?: ThemeName | null;
  accent?: string | null;
  logo?: string | null;
  favicon?: string | null;
  /** The version of the per-blog stylesheet (accent and custom CSS), or null when there is none. */
  cssVersion?: string | null;
  /** The menu the owner arranged (core/menu.ts); absent or null: the default one. */
  menu?: MenuItem[] | null;
  /** Whether a new post is mailed, whole, to the subscribers unless it says not to; absent: yes. */
  emailPosts?: boolean;
  /** Whether the blog's pages show its "Most read" posts (from its statistics); absent: no. */
  mostRead?: boolean;
}

/** What the main blog's row says before anyone edits its settings: follow the deployment's vars. */
export const FOLLOW_VARS: BlogSettings = {
  title: null,
  description: null,
  author: null,
  language: null,
  timeZone: null,
  moderation: null,
  blockedWords: null,
  rateLimit: null,
};

/** One blog's record: its settings, domains and state, as its Blog object writes it to KV. */
export interface BlogRecord extends BlogSettings {
  name: string;
  domains: string[];
  createdAt: string;
  /**
   * `closed`: its owner deleted it; readers get 404 at once, its members may still sign in to
   * restore it until `purgeAt`, when it becomes `deleting`. `deleting`: its data is being removed;
   * its name is not free yet and its hosts answer 404.
   */
  state: "active" | "closed" | "deleting";
  /** When a closed blog's data goes (its owner may restore it until then). */
  purgeAt?: string;
  /** The owner's own domain once Cloudflare serves it (core/custom-domain.ts): the blog's address, its subdomain redirecting there. */
  primaryDomain?: string;
  /** Grows with every change the blog's object makes, so an isolate never steps back to an older record (KV replicas may lag). */
  version?: number;
}

/** What the registry of blogs wrote to KV before blogs were found by key (read once, by the upgrade). */
export interface LegacyRegistry {
  v: 1;
  version: number;
  blogs: BlogRecord[];
}

/** How long a blog its owner deleted can be restored before its data goes. */
export const CLOSED_GRACE_MS = 7 * 24 * 3_600_000;

/** Custom domains one blog may have: what a settings change writes stays a small, fixed number of keys. */
export const MAX_DOMAINS = 10;

/** A language tag as `<html lang>` takes it: "en", "fr-CA", "zh-Hant". */
export const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/** A Durable Object's name within one blog: the main blog keeps the single-blog names (no migration). */
export function objectName(blog: string, name: string): string {
  return blog === MAIN_BLOG ? name : `${blog}/${name}`;
}

/**
 * Which record a host name is looked up by: BASE_URL's host (and a reserved label under
 * blogsDomain) is the main blog's; `<name>.<blogsDomain>` is that name's; any other host may be a
 * custom domain (when it is none, an IP or a proxy's name, it serves the main blog).
 */
export type HostTarget = { main: true } | { name: string } | { domain: string };

export function hostTarget(host: string, mainHost: string, blogsDomain: string): HostTarget {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (h === mainHost) return { main: true };
  const suffix = `.${blogsDomain}`;
  if (!blogsDomain || !h.endsWith(suffix)) return { domain: h };
  const label = h.slice(0, -suffix.length);
  if (label === MAIN_BLOG || (RESERVED_NAMES.has(label) && !label.includes("."))) return { main: true };
  // A deeper name (a.b.<blogsDomain>) names no blog: it is looked up, and missed, like an unknown name.
  return { name: label };
}
