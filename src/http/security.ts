import type { Context, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { MEDIA_PATH } from "../content/media";
import { UNSAFE_METHODS } from "../content/vocabulary";
import { AppError } from "../errors";

/** The page that creates a blog posts to the main host and is redirected to the new blog's host: that page may. */
const CREATE_CONFIRM = "/create/confirm";

function blogsFormTarget(c: Context): string {
  const domain = (c.var as { settings?: { hosts: { blogsDomain: string } } }).settings?.hosts.blogsDomain;
  if (c.req.path !== CREATE_CONFIRM || !domain) return "'self'";
  return `${new URL(c.req.url).protocol}//*.${domain}:*`;
}

const strictHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:", "https:"],
    fontSrc: ["'self'"],
    // 'self' covers same-origin WebSockets in CSP 3; the explicit ws(s) origin helps older browsers.
    connectSrc: ["'self'", (c: Context) => `${new URL(c.req.url).protocol === "https:" ? "wss" : "ws"}://${new URL(c.req.url).host}`],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'", (c: Context) => blogsFormTarget(c)],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  crossOriginResourcePolicy: "same-origin",
  permissionsPolicy: {
    camera: [],
    microphone: [],
    geolocation: [],
    payment: [],
    usb: [],
    browsingTopics: [],
  },
});

/**
 * Strict headers on every response the worker makes (public/_headers covers static files).
 * Uploaded images run nothing even when opened on their own (sandbox), and other sites and feed
 * readers may show them (cross-origin).
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await strictHeaders(c, next);
  if (c.req.path.startsWith(MEDIA_PATH) && c.res.status < 400) {
    c.res.headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
    c.res.headers.set("Cross-Origin-Resource-Policy", "cross-origin");
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
