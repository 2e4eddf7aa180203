import { FRAME_SOURCES } from "../core/embeds";
import type { Context, MiddlewareHandler } from "hono";
import { BoundedMap, getOrMake } from "../core/maps";
import { MEDIA_PATH } from "../core/media";
import { UNSAFE_METHODS } from "../core/vocabulary";
import { AppError } from "../errors";

/** The page that creates a blog posts to the main host and is redirected to the new blog's host: that page may. */
const CREATE_CONFIRM = "/create/confirm";

function blogsFormTarget(c: Context, url: URL): string {
  const domain = (c.var as { settings?: { hosts: { blogsDomain: string } } }).settings?.hosts.blogsDomain;
  if (c.req.path !== CREATE_CONFIRM || !domain) return "'self'";
  return `${url.protocol}//*.${domain}:*`;
}

/** The Content-Security-Policy of every answer but images; connect-src and form-action depend on the address. */
function contentSecurityPolicy(socketOrigin: string, formTarget: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    // 'self' covers same-origin WebSockets in CSP 3; the explicit ws(s) origin helps older browsers.
    `connect-src 'self' ${socketOrigin}`,
    "object-src 'none'",
    // Only the video players a post's embeds become (core/embeds.ts).
    `frame-src ${FRAME_SOURCES.join(" ")}`,
    "base-uri 'self'",
    `form-action 'self' ${formTarget}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The headers every answer gets whatever its address (those hono's secureHeaders sets, with ours). */
const FIXED_HEADERS: readonly (readonly [string, string])[] = [
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "DENY"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"],
];

/** The header lists already made, per origin and form target: the same few for every request of a host. */
const lists = new BoundedMap<string, readonly (readonly [string, string])[]>(256);

/** The security headers of an answer to `c` (made once per origin and form target, then shared). */
export function securityHeaderList(c: Context): readonly (readonly [string, string])[] {
  const url = new URL(c.req.url);
  const formTarget = blogsFormTarget(c, url);
  const socketOrigin = `${url.protocol === "https:" ? "wss" : "ws"}://${url.host}`;
  return getOrMake(lists, `${socketOrigin} ${formTarget}`, () =>
    Object.freeze([...FIXED_HEADERS, ["Content-Security-Policy", contentSecurityPolicy(socketOrigin, formTarget)] as const]),
  );
}

/**
 * Strict headers on every response the worker makes (public/_headers covers static files), over
 * whatever a route set. Uploaded images run nothing even when opened on their own (sandbox), and
 * other sites and feed readers may show them (cross-origin).
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  const list = securityHeaderList(c);
  await next();
  const headers = c.res.headers;
  for (const [name, value] of list) headers.set(name, value);
  headers.delete("X-Powered-By");
  if (c.req.path.startsWith(MEDIA_PATH) && c.res.status < 400) {
    headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
    headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  }
};

/**
 * CSRF defence for the HTML forms: a state-changing request that a browser marks as coming from
 * another site (Sec-Fetch-Site, or an Origin that is not ours) gets 403 before anything runs.
 * Requests with neither header (curl, mail servers doing RFC 8058 one-click) are let through.
 */
export const sameOriginWrites: MiddlewareHandler = async (c, next) => {
  if (UNSAFE_METHODS.has(c.req.method)) {
    const site = c.req.header("Sec-Fetch-Site");
    const origin = c.req.header("Origin");
    const ours = new URL(c.req.url).origin;
    if ((site && site !== "same-origin" && site !== "none") || (origin && origin !== ours)) {
      throw new AppError("cross_site_request", "This form can only be sent from a page of this site.");
    }
  }
  await next();
};
