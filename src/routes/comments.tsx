import { cacheAs } from "../http/freshness";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { apiComment, type Auth } from "../core/comments";
import { ipBucket } from "../core/net";
import { ADMIN_LISTENER_HEADER, LISTENER_BUCKET_HEADER } from "../core/vocabulary";
import { commentThread, importsOf, openLiveFeed } from "../data/comments";
import { errorText, say } from "../core/i18n";
import { AppError, notFound } from "../errors";
import { hasRole, requireRole } from "../http/auth";
import { commenterOf, editTokenFor, rememberEdit, rememberName } from "../http/commenter";
import { CommentEditClosed, CommentEditPage } from "../views/pages/comment-edit";
import { formBody, jsonBody } from "../http/limits";
import { type AppEnv, wordsOf } from "../settings";
import type { BlogStore } from "../core/keys";
import { AllCommentsPage } from "../views/components/comments";
import { COMMENT_LABELS, commentEdit, commentProblems, commentForm, commentIdParam, commentJson, parseCommentForm } from "./comment-input";
import { noPostWithSlug, renderPostPage, requirePost as requirePostAt } from "./post-page";
import { apiSlugParam, describeIssues, formText, numericId, pageSlugParam, validate, validQuery, wholeNumber } from "./validation";
import { audit } from "../http/audit";
import { afterApproval, afterComment } from "./reply-mail";

/** The post's comments exist only while the post is public. */
/** The public post (or page taking comments) whose comments these are. */
async function requirePost(store: BlogStore, slug: string) {
  const post = await requirePostAt(store, slug, noPostWithSlug(slug));
  if (post.type === "page" && !post.comments) throw notFound(noPostWithSlug(slug));
  return post;
}

async function authOf(c: Context<AppEnv>, token: string | undefined): Promise<Auth> {
  if (await hasRole(c, "moderator")) return { admin: true };
  const editToken = token ?? c.req.header("X-Edit-Token");
  if (!editToken)
    throw new AppError("unauthorized", "Send the comment's edit token (X-Edit-Token) or Authorization: Bearer <ADMIN_TOKEN>.");
  return { admin: false, token: editToken };
}

const ip = (c: Context) => c.req.header("CF-Connecting-IP") ?? null;

export const commentListQuery = z.object({
  cursor: z.optional(numericId("cursor must be the id of the last comment seen")),
  limit: z.optional(wholeNumber("limit", 100)),
  status: z.optional(z.enum(["published", "held", "hidden"], { error: "status must be published, held or hidden" })),
});

const commentBody = <S extends z.ZodMiniType>(schema: S) =>
  validate("json", schema, {
    code: "invalid_comment",
    whole: "The comment",
    describe: (issues, input, c) =>
      issues.some((issue) => issue.path.length === 0)
        ? describeIssues(issues, COMMENT_LABELS, "The comment")
        : commentProblems(wordsOf(c), issues, (input ?? {}) as { author?: string; body?: string }, {}),
  });

/** The comments JSON API, mounted under /api. */
export const commentsApi = new Hono<AppEnv>()
  .get("/posts/:slug/comments/live", apiSlugParam, async (c) => {
    const { slug } = c.req.valid("param");
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") throw new AppError("upgrade_required", "Connect with a WebSocket client.");
    // Browsers always send Origin on a WebSocket: only this site's own pages may listen (cookies go with any page's upgrade).
    const origin = c.req.header("Origin");
    if (origin !== undefined && origin !== new URL(c.req.url).origin) {
      throw new AppError("forbidden", "Live comments can only be opened from this site's own pages.");
    }
    await requirePost(c.var.store, slug);
    const forwarded = new Request(c.req.raw);
    forwarded.headers.delete(ADMIN_LISTENER_HEADER);
    forwarded.headers.set(LISTENER_BUCKET_HEADER, ipBucket(ip(c) ?? ""));
    if (c.req.query("admin") === "1" && (await hasRole(c, "moderator"))) forwarded.headers.set(ADMIN_LISTENER_HEADER, "1");
    const upgraded = await openLiveFeed(c.env, c.var.store.name, slug, forwarded);
    if (upgraded.status === 429)
      throw new AppError("rate_limited", "Too many live connections to this post from your address. Close some tabs and try again.", 60);
    // A fresh response, so the middleware can add its headers to the 101.
    return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket, headers: upgraded.headers });
  })
  .get("/posts/:slug/comments", apiSlugParam, validQuery(commentListQuery), async (c) => {
    const { slug } = c.req.valid("param");
    const { cursor = 0, limit = 50, status = "published" } = c.req.valid("query");
    if (status !== "published" && !(await hasRole(c, "moderator")))
      throw new AppError("unauthorized", "Only an admin can list held or hidden comments.");
    const post = await requirePost(c.var.store, slug);
    const imports = importsOf(c.var.store, post);
    const page = await commentThread(c.env, c.var.store.name, slug).list({ after: cursor, limit, status, imports });
    return c.json({
      comments: page.comments.map(apiComment),
      meta: { pagination: { limit, total: page.total, next: page.next === null ? null : String(page.next) } },
    });
  })
  .post("/posts/:slug/comments", apiSlugParam, ...jsonBody, commentBody(commentJson), async (c) => {
    const { slug } = c.req.valid("param");
    const input = c.req.valid("json");
    const post = await requirePost(c.var.store, slug);
    c.var.changes?.thread(slug);
    const result = await commentThread(c.env, c.var.store.name, slug).create(
      c.var.store.name,
      slug,
      { ...input, ip: ip(c), commenter: await commenterOf(c) },
      c.var.settings.comments,
    );
    await afterComment(c, post, result.comment, input);
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
  .patch("/posts/:slug/comments/:id", apiSlugParam, validate("param", commentIdParam), ...jsonBody, commentBody(commentEdit), async (c) => {
    const { slug, id } = c.req.valid("param");
    const { body, editToken } = c.req.valid("json");
    // Moderators hide, approve and delete; changing a reader's words is for the commenter (with
    // the edit token) or an editor, and an editor's change is in the audit log.
    const token = editToken ?? c.req.header("X-Edit-Token");
    const editor = await hasRole(c, "editor");
    if (!editor && !token && (await hasRole(c, "moderator"))) {
      throw new AppError(
        "forbidden",
        "Moderators hide, approve and delete comments; only the commenter or an editor may change their words.",
      );
    }
    const auth: Auth = editor ? { admin: true } : token ? { admin: false, token } : await authOf(c, undefined);
    await requirePost(c.var.store, slug);
    c.var.changes?.thread(slug);
    const result = await commentThread(c.env, c.var.store.name, slug).edit(id, body, auth, c.var.settings.comments);
    if (auth.admin) await audit(c, "comment.edited", `${slug}#${id}`);
    return c.json({ comment: apiComment(result.comment) });
  })
  .delete("/posts/:slug/comments/:id", apiSlugParam, validate("param", commentIdParam), async (c) => {
    const { slug, id } = c.req.valid("param");
    const auth = await authOf(c, undefined);
    await requirePost(c.var.store, slug);
    c.var.changes?.thread(slug);
    await commentThread(c.env, c.var.store.name, slug).remove(id, auth, c.var.settings.comments);
    if (auth.admin) await audit(c, "comment.deleted", `${slug}#${id}`);
    return c.body(null, 204);
  })
  .post(
    "/posts/:slug/comments/:id/:action{approve|hide}",
    requireRole("moderator"),
    apiSlugParam,
    validate("param", z.extend(commentIdParam, { action: z.enum(["approve", "hide"]) })),
    async (c) => {
      const { slug, id, action } = c.req.valid("param");
      await requirePost(c.var.store, slug);
      c.var.changes?.thread(slug);
      const result = await commentThread(c.env, c.var.store.name, slug).moderate(id, action);
      await audit(c, action === "approve" ? "comment.approved" : "comment.hidden", `${slug}#${id}`);
      if (action === "approve") await afterApproval(c, slug, id);
      return c.json({ comment: apiComment(result.comment) });
    },
  );

/** The comment form of the post page (works without JavaScript), and the page of all comments. */
export const commentForms = new Hono<AppEnv>()
  .get(
    "/posts/:slug/comments",
    pageSlugParam,
    validQuery(z.object({ after: z.optional(numericId("after must be a comment id")) })),
    async (c) => {
      const { slug } = c.req.valid("param");
      const { after = 0 } = c.req.valid("query");
      const post = await requirePost(c.var.store, slug);
      const imports = importsOf(c.var.store, post);
      const page = await commentThread(c.env, c.var.store.name, slug).list({ after, limit: 100, status: "published", imports });
      return c.render(
        <AllCommentsPage
          slug={slug}
          title={post.title}
          comments={page.comments}
          total={page.total}
          next={page.next}
          timeZone={c.var.settings.blog.timeZone}
          t={wordsOf(c)}
        />,
        {
          title: say(wordsOf(c).commentsPage.title, { title: post.title }),
          path: `/posts/${slug}/comments${after ? `?after=${after}` : ""}`,
        },
      );
    },
  )
  .post("/posts/:slug/comments", pageSlugParam, ...formBody, validate("form", commentForm, { code: "invalid_comment" }), async (c) => {
    const { slug } = c.req.valid("param");
    const form = c.req.valid("form");
    const values = { author: form.author, email: form.email, body: form.body, parentId: form.parentId, notify: form.notify };
    // A bot filled the hidden field: answer as if it worked, store nothing.
    if (form.website.trim()) return c.redirect(`/posts/${slug}#comments`, 303);
    const post = await requirePost(c.var.store, slug);
    const parsed = parseCommentForm(form);
    if (!parsed.success) {
      return renderPostPage(c, slug, { status: 400, form: { values, error: commentProblems(wordsOf(c), parsed.error.issues, form) } });
    }
    try {
      const commenter = await commenterOf(c);
      c.var.changes?.thread(slug);
      const result = await commentThread(c.env, c.var.store.name, slug).create(
        c.var.store.name,
        slug,
        { ...parsed.data, ip: ip(c), commenter },
        c.var.settings.comments,
      );
      await afterComment(c, post, result.comment, parsed.data);
      rememberEdit(c, slug, result.comment.id, result.editToken);
      rememberName(c, parsed.data.author);
      if (result.comment.status !== "published") return c.redirect(`/posts/${slug}?comment=held#comment-form`, 303);
      // Without JavaScript too: the reader lands on their comment, told it is there, with "Edit" beside it.
      return c.redirect(`/posts/${slug}?comment=posted&id=${result.comment.id}#comment-${result.comment.id}`, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
      // Keep the reader's text on the page instead of losing it.
      const t = wordsOf(c);
      const error = err.code === "unavailable" ? t.commentErrors.notSaved : errorText(t, err.code, err.message);
      return renderPostPage(c, slug, { status: err.status, form: { values, error } });
    }
  })
  .get("/posts/:slug/comments/:id/edit", pageSlugParam, validate("param", commentIdParam), async (c) => {
    const { slug, id } = c.req.valid("param");
    const post = await requirePost(c.var.store, slug);
    cacheAs(c, "personal");
    const token = editTokenFor(c, id);
    const mine = token
      ? await commentThread(c.env, c.var.store.name, slug)
          .editable(id, token, c.var.settings.comments)
          .catch(() => null)
      : null;
    if (!mine) {
      c.status(403);
      return c.render(<CommentEditClosed slug={slug} t={wordsOf(c)} />, { title: wordsOf(c).commentEdit.title, noindex: true });
    }
    return c.render(<CommentEditPage slug={slug} id={id} postTitle={post.title} body={mine.body} t={wordsOf(c)} />, {
      title: wordsOf(c).commentEdit.title,
      noindex: true,
    });
  })
  .post(
    "/posts/:slug/comments/:id/edit",
    pageSlugParam,
    validate("param", commentIdParam),
    ...formBody,
    validate("form", z.object({ body: formText(), action: formText() })),
    async (c) => {
      const { slug, id } = c.req.valid("param");
      const { body, action } = c.req.valid("form");
      const post = await requirePost(c.var.store, slug);
      cacheAs(c, "personal");
      const token = editTokenFor(c, id);
      if (!token) {
        c.status(403);
        return c.render(<CommentEditClosed slug={slug} t={wordsOf(c)} />, { title: wordsOf(c).commentEdit.title, noindex: true });
      }
      const thread = commentThread(c.env, c.var.store.name, slug);
      const auth = { admin: false as const, token };
      try {
        if (action === "delete") {
          c.var.changes?.thread(slug);
          await thread.remove(id, auth, c.var.settings.comments);
          return c.redirect(`/posts/${slug}#comments`, 303);
        }
        const parsed = commentEdit.safeParse({ body });
        if (!parsed.success) throw new AppError("invalid_comment", commentProblems(wordsOf(c), parsed.error.issues, { body }));
        c.var.changes?.thread(slug);
        await thread.edit(id, parsed.data.body, auth, c.var.settings.comments);
        return c.redirect(`/posts/${slug}#comment-${id}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        c.status(err.status);
        const t = wordsOf(c);
        return c.render(
          <CommentEditPage slug={slug} id={id} postTitle={post.title} body={body} error={errorText(t, err.code, err.message)} t={t} />,
          {
            title: t.commentEdit.title,
            noindex: true,
          },
        );
      }
    },
  );
