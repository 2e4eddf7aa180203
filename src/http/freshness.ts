import type { Context } from "hono";

/**
 * The one place that decides how long an answer may be kept and by whom (Cache-Control), what it
 * varies on, and when it is answered with 304. Routes name a policy; they never write the header.
 * (Which answers the page cache keeps in memory and shares is http/cache.ts's business; it reads
 * the headers decided here.)
 */
export const CACHE_POLICY = {
  /** Reader pages and API answers: browsers revalidate every time (a cheap 304 thanks to the ETag); shared caches may keep them 30 s and serve them stale while refreshing. */
  revalidate: "public, max-age=0, s-maxage=30, stale-while-revalidate=300",
  /** Anything that depended on who asked (a session, a token, a reader's own comment form). */
  personal: "private, no-store",
  /** Answers that must never be replayed: confirmations, sign-in, failures of ours (5xx). */
  never: "no-store",
  /** Refusals (4xx): revalidated, so they end as soon as their cause does. */
  refusal: "public, max-age=0, must-revalidate",
  /** Feeds: readers poll them; five minutes is what feed readers expect. */
  feed: "public, max-age=300",
  /** Discovery documents (robots.txt, the sitemap index): they change rarely. */
  hour: "public, max-age=3600",
  /** An old URL's permanent move: a day, so a mistaken redirect can still be undone. */
  moved: "public, max-age=86400",
  /** Content-addressed files (images, a theme's stylesheet under its hash): never change. */
  immutable: "public, max-age=31536000, immutable",
  /** A theme file asked for under a version that is not (yet) the current one. */
  minute: "public, max-age=60",
} as const;

export type CachePolicy = keyof typeof CACHE_POLICY;

/** Sets an answer's Cache-Control from its policy. */
export function cacheAs(c: Context, policy: CachePolicy): void {
  c.header("Cache-Control", CACHE_POLICY[policy]);
}

/** Adds `field` to the answer's Vary (once), so shared caches keep one copy per value of it. */
export function varyOn(c: Context, field: string): void {
  if (!c.finalized) {
    c.header("Vary", field, { append: true });
    return;
  }
  const vary = c.res.headers.get("Vary") ?? "";
  if (!vary.split(",").some((f) => f.trim().toLowerCase() === field.toLowerCase())) c.res.headers.append("Vary", field);
}

/** What a 304 keeps of the 200 it stands for (RFC 9110 §15.4.5). */
export const NOT_MODIFIED_KEEPS: ReadonlySet<string> = new Set(["cache-control", "content-location", "date", "etag", "expires", "vary"]);

/**
 * Whether If-None-Match matches the current representation's tag (RFC 9110 §13.1.2): weak
 * comparison, and `*` matches any representation that exists.
 */
export function ifNoneMatchHits(header: string | null | undefined, tag: string | null): boolean {
  if (!header || !tag) return false;
  if (header.trim() === "*") return true;
  const current = tag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === current);
}

/** The 304 that stands for an answer with these headers. */
export function notModifiedHeaders(headers: Headers | [string, string][]): Headers {
  const kept = new Headers();
  const keep = (name: string, value: string) => {
    if (NOT_MODIFIED_KEEPS.has(name.toLowerCase())) kept.set(name, value);
  };
  if (Array.isArray(headers)) for (const [name, value] of headers) keep(name, value);
  else
    headers.forEach((value, name) => {
      keep(name, value);
    });
  return kept;
}
