import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Every error the app answers on purpose, and its status: one closed list, so a code can
 * neither be misspelled nor answered with two statuses. Durable Objects return these codes
 * (never statuses); the one `app.onError` turns them into `{"error": {"code", "message"}}`
 * or a readable page.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_input: 400,
  invalid_json: 400,
  invalid_query: 400,
  invalid_slug: 400,
  invalid_comment: 400,
  invalid_parent: 400,
  invalid_post: 400,
  invalid_email: 400,
  invalid_name: 400,
  reserved_name: 400,
  invalid_domain: 400,
  invalid_settings: 400,
  invalid_link: 400,
  unauthorized: 401,
  forbidden: 403,
  signups_closed: 403,
  bad_csrf_token: 403,
  cross_site_request: 403,
  not_found: 404,
  blog_not_found: 404,
  method_not_allowed: 405,
  name_taken: 409,
  domain_taken: 409,
  last_owner: 409,
  account_conflict: 409,
  slug_taken: 409,
  media_in_use: 409,
  export_running: 409,
  export_expired: 410,
  restore_running: 409,
  domains_not_offered: 409,
  invalid_media: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
  admin_disabled: 503,
  mail_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** What a Durable Object answers instead of throwing: a code from the list, a reader-facing message. */
export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

export type Result<T> = ({ ok: true } & T) | Failure;

export const failure = (code: ErrorCode, message: string, retryAfter?: number): Failure =>
  retryAfter === undefined ? { ok: false, code, message } : { ok: false, code, message, retryAfter };

export class AppError extends Error {
  // Set, not inferred: the bundle does not keep class names (wrangler.toml keep_names).
  override readonly name = "AppError";
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  static from(f: Failure): AppError {
    return new AppError(f.code, f.message, f.retryAfter);
  }
}

export const notFound = (what = "There is no page at this address.") => new AppError("not_found", what);

/** Hono's own errors (a malformed body, say) mapped onto the list by status. */
const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "unavailable",
};

/** The answer for any thrown value: a listed error as it is, anything unexpected as a 500 that says nothing more. */
export function describeError(err: unknown): { status: ContentfulStatusCode; code: ErrorCode; message: string; retryAfter?: number } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, retryAfter: err.retryAfter };
  const status = (err as { status?: unknown } | null)?.status;
  const known = typeof status === "number" && status < 500 ? BY_STATUS[status] : undefined;
  if (known) {
    const message = (err as Error).message || "The request was not accepted.";
    return { status: ERROR_STATUS[known], code: known, message };
  }
  return { status: 500, code: "internal_error", message: "Something went wrong on our side. Please try again." };
}

/** A one-time link refused by the Accounts object (expired, used, another blog's) as null, for a page that says so. */
export function nullIfInvalidLink<T>(call: Promise<T>): Promise<T | null> {
  return call.catch((err: unknown) => {
    if (err instanceof AppError && err.code === "invalid_link") return null;
    throw err;
  });
}
