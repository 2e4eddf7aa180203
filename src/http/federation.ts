import { varyOn } from "./freshness";
import type { Context, MiddlewareHandler } from "hono";
import { BLOG_INFO_HEADER, FEDERATION_PATHS, MAX_ACTIVITY_BYTES, wantsActivityJson } from "../core/federation";
import { blogInfo, federation } from "../data/federation";
import { afterAnswer } from "./after";
import { AppError, notFound } from "../errors";
import type { AppEnv } from "../settings";
import { log } from "../core/log";

const POST_PAGE = /^\/posts\/[a-z0-9-]+$/;

/**
 * ActivityPub requests (WebFinger, NodeInfo, the actor and its collections, the inboxes, and post
 * pages asked for as `application/activity+json`) go to the federation worker over its service
 * binding, with the serving blog in a header only this worker sets. Everything else, and the
 * reader's bundle, never touches Fedify.
 */
export const federationRoutes: MiddlewareHandler<AppEnv> = async (c, next) => {
  const path = c.req.path;
  const postPage = POST_PAGE.test(path);
  if (!FEDERATION_PATHS.test(path) && !(postPage && c.req.method === "GET" && wantsActivityJson(c.req.header("Accept")))) {
    await next();
    // A post page answers HTML or an Article by Accept: caches must keep them apart.
    if (postPage) varyOn(c, "Accept");
    return;
  }
  const client = federation(c.env);
  if (!client) throw notFound("This blog does not federate.");
  const headers = new Headers(c.req.raw.headers);
  headers.set(BLOG_INFO_HEADER, JSON.stringify(blogInfo(c.var.settings)));
  let body: ArrayBuffer | undefined;
  if (c.req.method === "POST") {
    const declared = Number(c.req.header("Content-Length") ?? 0);
    if (declared > MAX_ACTIVITY_BYTES) throw new AppError("payload_too_large", "An activity may be at most 256 KB.");
    body = await c.req.arrayBuffer();
    if (body.byteLength > MAX_ACTIVITY_BYTES) throw new AppError("payload_too_large", "An activity may be at most 256 KB.");
  }
  const res = await client.fetch(new Request(c.req.url, { method: c.req.method, headers, body }));
  // A fresh response: the security headers middleware adds to it.
  return new Response(res.body, { status: res.status, headers: res.headers });
};

/** Tells the blog's followers about a saved or deleted post, after the answer is sent (a failure never fails the save). */
export async function announceChange<E extends AppEnv>(c: Context<E>, slug: string): Promise<void> {
  const client = federation(c.env);
  if (!client) return;
  await afterAnswer(
    c,
    client.postChanged(blogInfo(c.var.settings), slug).catch((error: unknown) => log("error", "federating a post failed", { slug, error })),
  );
}
