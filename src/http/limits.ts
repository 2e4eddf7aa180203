import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_BODY_BYTES } from "../core/vocabulary";
import { AppError } from "../errors";

/** 413 for a request body over 64 KB, before it is read. */
export const bodyLimit64k = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  },
});

/** 415 unless the body is of one of these media types. */
export const requireType =
  (...types: string[]): MiddlewareHandler =>
  async (c, next) => {
    const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!types.includes(type)) throw new AppError("unsupported_media_type", `Send the body as ${types.join(" or ")}.`);
    await next();
  };

export const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
/** A form post: at most 64 KB, url-encoded or multipart. */
export const formBody = [bodyLimit64k, requireType(...FORM_TYPES)] as const;
/** A JSON body: at most 64 KB, application/json. */
export const jsonBody = [bodyLimit64k, requireType("application/json")] as const;
