import { zValidator } from "@hono/zod-validator";
import { Hono, type Context } from "hono";
import * as z from "zod/mini";
import { isAdmin, requireAdmin } from "../auth";
import { commentPolicy, configOf, type AppEnv } from "../config";
import { AllCommentsPage } from "../views/components/comments";
import { thread } from "../data/comments";
import { getPublicPost } from "../data/posts";
import type { Auth, Failure } from "../durable/comment-thread";
import { AppError, guarded, notFound } from "../errors";
import { apiComment } from "../views/json";
import { commentEdit, commentForm, commentIdParam, commentJson, firstIssue, parseCommentForm } from "./comment-input";
import { bodyLimit64k, requireType } from "./limits";
import { apiSlugParam, invalid, invalidSlug, postSlug, wholeNumber } from "./params";
import { renderPostPage } from "./post-page";


const jsonBody = <T extends z.ZodMiniType>(schema: T) =>
  zValidator("json", schema, (r) => {
    if (!r.success) throw new AppError(400, "invalid_comment", firstIssue(r.error));
  });

async function requirePost(env: Env, slug: string) {
  const post = await getPublicPost(env.POSTS, slug, new Date());
  if (!post) throw notFound(`No published post has the slug "${slug}".`);
  return post;
}

function failure(c: Context, f: Failure): never {
  if (f.retryAfter) c.header("Retry-After", String(f.retryAfter));
  throw new AppError(f.status, f.code, f.message);
}

async function authOf(c: Context<AppEnv>, token: string | undefined): Promise<Auth> {
  if (await isAdmin(c)) return { admin: true };
  const editToken = token ?? c.req.header("X-Edit-Token");
  if (!editToken) throw new AppError(401, "unauthorized", "Send the comment's edit token (X-Edit-Token) or Authorization: Bearer <ADMIN_TOKEN>.");
  return { admin: false, token: editToken };
}

const ip = (c: Context) => c.req.header("CF-Connecting-IP") ?? null;

export const commentListQuery = z.object({
  cursor: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,15}$/, "cursor must be the id of the last comment seen")), z.transform(Number))),
  limit: z.optional(wholeNumber("limit", 100)),
  status: z.optional(z.enum(["published", "held", "hidden"], { error: "status must be published, held or hidden" })),
});

/** The comments JSON API, mounted under /api. */
export const commentsApi = new Hono<AppEnv>()
  .get("/posts/:slug/comments/live", apiSlugParam, async (c) => {
    const { slug } = c.req.valid("param");
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new AppError(426, "upgrade_required", "Connect with a WebSocket client.");
    await requirePost(c.env, slug);
    const forwarded = new Request(c.req.raw);
    forwarded.headers.delete("X-Admin-Listener");
    if (c.req.query("admin") === "1" && (await isAdmin(c))) forwarded.headers.set("X-Admin-Listener", "1");
    const upgraded = await guarded("comments", thread(c.env, slug).fetch(forwarded));
    // A fresh response, so the middleware can add its headers to the 101.
    return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket, headers: upgraded.headers });
  })
  .get("/posts/:slug/comments", apiSlugParam, zValidator("query", commentListQuery, invalid), async (c) => {
    const { slug } = c.req.valid("param");
    const { cursor = 0, limit = 50, status = "published" } = c.req.valid("query");
    if (status !== "published" && !(await isAdmin(c))) throw new AppError(401, "unauthorized", "Only an admin can list held or hidden comments.");
    await requirePost(c.env, slug);
    const page = await guarded("comments", thread(c.env, slug).list({ after: cursor, limit, status }));
    return c.json({
      comments: page.comments.map(apiComment),
      meta: { pagination: { limit, total: page.total, next: page.next === null ? null : String(page.next) } },
    });
  })
  .post("/posts/:slug/comments", apiSlugParam, bodyLimit64k, requireType("application/json"), jsonBody(commentJson), async (c) => {
    const { slug } = c.req.valid("param");
    const input = c.req.valid("json");
    await requirePost(c.env, slug);
    const result = await guarded("comments", thread(c.env, slug).create(slug, { ...input, ip: ip(c) }, commentPolicy(c.env)));
    if (!result.ok) failure(c, result);
    c.header("Location", `/posts/${slug}#comment-${result.comment.id}`);
    return c.json(
      {
        comment: apiComment(result.comment),
        moderation: result.comment.status === "published" ? "published" : "held",
        editToken: result.editToken,
        editableUntil: result.editableUntil,
      },
      201,
    );
  })
  .patch("/posts/:slug/comments/:id", zValidator("param", commentIdParam, invalid), bodyLimit64k, requireType("application/json"), jsonBody(commentEdit), async (c) => {
    const { slug, id } = c.req.valid("param");
    if (!z.safeParse(postSlug, slug).success) throw invalidSlug();
    const { body, editToken } = c.req.valid("json");
    const auth = await authOf(c, editToken);
    await requirePost(c.env, slug);
    const result = await guarded("comments", thread(c.env, slug).edit(id, body, auth, commentPolicy(c.env)));
    if (!result.ok) failure(c, result);
    return c.json({ comment: apiComment(result.comment) });
  })
  .delete("/posts/:slug/comments/:id", zValidator("param", commentIdParam, invalid), async (c) => {
    const { slug, id } = c.req.valid("param");
    if (!z.safeParse(postSlug, slug).success) throw invalidSlug();
    const auth = await authOf(c, undefined);
    await requirePost(c.env, slug);
    const result = await guarded("comments", thread(c.env, slug).remove(id, auth, commentPolicy(c.env)));
    if (!result.ok) failure(c, result);
    return c.body(null, 204);
  })
  .post("/posts/:slug/comments/:id/:action{approve|hide}", requireAdmin, zValidator("param", z.extend(commentIdParam, { action: z.enum(["approve", "hide"]) }), invalid), async (c) => {
    const { slug, id, action } = c.req.valid("param");
    await requirePost(c.env, slug);
    const result = await guarded("comments", thread(c.env, slug).moderate(id, action));
    if (!result.ok) failure(c, result);
    return c.json({ comment: apiComment(result.comment) });
  });

/** The comment form of the post page (works without JavaScript), and the page of all comments. */
export const commentForms = new Hono<AppEnv>()
  .get(
    "/posts/:slug/comments",
    zValidator("param", z.object({ slug: postSlug }), (r) => {
      if (!r.success) throw notFound();
    }),
    zValidator("query", z.object({ after: z.optional(z.pipe(z.string().check(z.regex(/^\d{1,15}$/)), z.transform(Number))) }), (r) => {
      if (!r.success) throw new AppError(400, "invalid_query", "after must be a comment id");
    }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const { after = 0 } = c.req.valid("query");
      const post = await requirePost(c.env, slug);
      const page = await guarded("comments", thread(c.env, slug).list({ after, limit: 100, status: "published" }));
      return c.render(
        <AllCommentsPage slug={slug} title={post.title} comments={page.comments} total={page.total} next={page.next} timeZone={configOf(c).timeZone} />,
        { title: `Comments on “${post.title}”`, path: `/posts/${slug}/comments${after ? `?after=${after}` : ""}` },
      );
    },
  )
  .post(
  "/posts/:slug/comments",
  zValidator("param", z.object({ slug: postSlug }), (r) => {
    if (!r.success) throw notFound();
  }),
  bodyLimit64k,
  requireType("application/x-www-form-urlencoded", "multipart/form-data"),
  zValidator("form", commentForm, (r) => {
    if (!r.success) throw new AppError(400, "invalid_comment", "The form could not be read.");
  }),
  async (c) => {
    const { slug } = c.req.valid("param");
    const form = c.req.valid("form");
    const values = { author: form.author, email: form.email, body: form.body, parentId: form.parentId };
    // A bot filled the hidden field: answer as if it worked, store nothing.
    if (form.website.trim()) return c.redirect(`/posts/${slug}#comments`, 303);
    const parsed = parseCommentForm(form);
    if (!parsed.success) return renderPostPage(c, slug, { status: 400, form: { values, error: firstIssue(parsed.error) } });
    await requirePost(c.env, slug);
    let result;
    try {
      result = await guarded("comments", thread(c.env, slug).create(slug, { ...parsed.data, ip: ip(c) }, commentPolicy(c.env)));
    } catch (err) {
      // The thread is down: keep the reader's text on the page instead of losing it.
      if (!(err instanceof AppError) || err.status !== 503) throw err;
      c.header("Retry-After", String(err.retryAfter ?? 30));
      return renderPostPage(c, slug, { status: 503, form: { values, error: "Comments are unavailable right now, so your comment was not saved. Your text is still here: please try again in a minute." } });
    }
    if (!result.ok) {
      if (result.retryAfter) c.header("Retry-After", String(result.retryAfter));
      return renderPostPage(c, slug, { status: result.status, form: { values, error: result.message } });
    }
    if (result.comment.status !== "published") return c.redirect(`/posts/${slug}?comment=held#comment-form`, 303);
    return c.redirect(`/posts/${slug}#comment-${result.comment.id}`, 303);
  },
);
