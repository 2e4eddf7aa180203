import type { MiddlewareHandler } from "hono";
import { contentValidator } from "../core/hash";
import { ifNoneMatchHits, notModifiedHeaders } from "./freshness";

/** A strong ETag on every successful GET or HEAD that has none (pages get theirs from the renderer), and 304 to a matching If-None-Match. */
export const etag: MiddlewareHandler = async (c, next) => {
  await next();
  const method = c.req.method;
  const res = c.res;
  if ((method !== "GET" && method !== "HEAD") || !res.ok || !res.body) return;
  let tag = res.headers.get("ETag");
  let body: ArrayBuffer | null = null;
  if (!tag) {
    body = await res.arrayBuffer();
    tag = `"${contentValidator(new Uint8Array(body))}"`;
  }
  if (ifNoneMatchHits(c.req.header("If-None-Match"), tag)) {
    if (!body) await res.body?.cancel();
    const headers = notModifiedHeaders(res.headers);
    headers.set("ETag", tag);
    c.res = undefined;
    c.res = new Response(null, { status: 304, statusText: "Not Modified", headers });
    return;
  }
  if (body) {
    const headers = new Headers(res.headers);
    headers.set("ETag", tag);
    c.res = undefined;
    c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
  } else res.headers.set("ETag", tag);
};
