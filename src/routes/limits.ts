import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";

export const MAX_BODY_BYTES = 64 * 1024;

/** 413 for a request body over 64 KB, before it is read. */
export const bodyLimit64k = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError(413, "payload_too_large", "The request body is larger than 64 KB.");
  },
});

/** 415 unless the body is of one of these media types. */
export const requireType =
  (...types: string[]): MiddlewareHandler =>
  async (c, next) => {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!types.includes(type)) throw new AppError(415, "unsupported_media_type", `Send the body as ${types.join(" or ")}.`);
    await next();
  };
