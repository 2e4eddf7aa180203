import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error the app answers on purpose: a status, a stable machine code and a reader-facing message. */
export class AppError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(status, { message });
  }
}

/** Runs a call to a Durable Object; a failure or a hang becomes a 503 with Retry-After, never a 500. */
export async function guarded<R>(what: string, call: R, timeoutMs = 5000): Promise<Awaited<R>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call as Promise<Awaited<R>>, timeout]);
  } catch (err) {
    if (err instanceof HTTPException) throw err;
    console.error(`${what} failed:`, err);
    throw new AppError(503, "unavailable", `Temporarily unavailable (${what} could not be reached). Please try again in a minute.`, 30);
  } finally {
    clearTimeout(timer);
  }
}

export const notFound = (what = "There is no page at this address.") => new AppError(404, "not_found", what);

const CODES: Record<number, string> = {
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

/** The status, code and message to answer for any thrown value. */
export function describeError(err: unknown): { status: ContentfulStatusCode; code: string; message: string; retryAfter?: number } {
  if (err instanceof AppError) return { status: err.status as ContentfulStatusCode, code: err.code, message: err.message, retryAfter: err.retryAfter };
  if (err instanceof HTTPException && err.status < 500) {
    return { status: err.status as ContentfulStatusCode, code: CODES[err.status] ?? "bad_request", message: err.message || "The request was not accepted." };
  }
  return { status: 500, code: "internal_error", message: "Something went wrong on our side. Please try again." };
}
