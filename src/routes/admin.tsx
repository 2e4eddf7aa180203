import { zValidator } from "@hono/zod-validator";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import * as z from "zod/mini";
import { adminToken, csrfToken, newSession, sameSecret, SESSION_COOKIE, validSession } from "../auth";
import { commentPolicy, configOf, type AppEnv } from "../config";
import { renderPost } from "../content/build";
import type { PostSource } from "../content/types";
import { validatePost } from "../content/validate";
import { commentCounts, thread } from "../data/comments";
import { subscribers } from "../data/subscribers";
import { siteEditor } from "../data/editor";
import { AppError, guarded, notFound } from "../errors";
import { Dashboard, DisabledPage, EditorPage, SignInPage } from "../views/pages/admin";
import { bodyLimit64k, requireType } from "./limits";

type AdminEnv = AppEnv & { Variables: { session: string; csrf: string } };

const PAGE = { title: "Administration", noindex: true } as const;
const HELD_POSTS = 30;
const FORM = requireType("application/x-www-form-urlencoded", "multipart/form-data");

const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
};

/** Pages behind the sign-in: a valid session cookie, and on writes its CSRF token. */
const signedIn: MiddlewareHandler<AdminEnv> = async (c, next) => {
  if (!adminToken(c.env)) throw new AppError(503, "admin_disabled", "Administration is disabled: no ADMIN_TOKEN of at least 32 characters is configured.");
  const session = await validSession(c);
  if (!session) {
    if (c.req.method === "GET") return c.redirect("/admin", 303);
    throw new AppError(401, "unauthorized", "Your session has expired. Sign in again.");
  }
  const csrf = await csrfToken(c.env, session);
  if (c.req.method === "POST") {
    const form = await c.req.parseBody();
    if (typeof form.csrf !== "string" || !(await sameSecret(form.csrf, csrf))) throw new AppError(403, "bad_csrf_token", "This form has expired. Reload the page and try again.");
  }
  c.set("session", session);
  c.set("csrf", csrf);
  await next();
};

const editorFields = z.object({
  slug: z._default(z.string(), ""),
  title: z._default(z.string(), ""),
  date: z._default(z.string(), ""),
  tags: z._default(z.string(), ""),
  author: z._default(z.string(), ""),
  summary: z._default(z.string(), ""),
  markdown: z._default(z.string(), ""),
  action: z._default(z.string(), "preview"),
});

async function saveFromForm(c: Context<AdminEnv>, slugFromPath: string | null) {
  const f = editorFields.parse(await c.req.parseBody());
  const slug = slugFromPath ?? f.slug.trim();
  const draft: PostSource = {
    slug,
    title: f.title,
    date: f.date,
    updated: null,
    author: f.author.trim() || null,
    tags: f.tags.split(",").map((t) => t.trim()).filter(Boolean),
    summary: f.summary.trim() || null,
    draft: f.action === "draft",
    markdown: f.markdown.replace(/\r\n?/g, "\n"),
  };
  const isNew = slugFromPath === null;
  if (f.action === "delete" && !isNew) {
    await guarded("the editor", siteEditor(c.env).remove(slug), 25_000);
    return c.redirect("/admin", 303);
  }
  const checked = validatePost(slug, { title: draft.title, date: draft.date, author: draft.author ?? undefined, tags: draft.tags, summary: draft.summary ?? undefined, draft: draft.draft }, draft.markdown);
  if (!checked.ok) {
    c.status(400);
    return c.render(<EditorPage csrf={c.get("csrf")} source={draft} isNew={isNew} error={checked.errors.map((e) => `${e.field}: ${e.message}`).join("; ")} />, PAGE);
  }
  if (f.action === "preview") {
    return c.render(<EditorPage csrf={c.get("csrf")} source={draft} isNew={isNew} preview={renderPost(checked.post).html} />, PAGE);
  }
  await guarded("the editor", siteEditor(c.env).save(checked.post), 25_000);
  const visible = !checked.post.draft && checked.post.date <= new Date().toISOString();
  return c.redirect(visible ? `/posts/${slug}` : "/admin", 303);
}

/** Administration in the browser: sign-in, dashboard, editor. */
export const adminPages = new Hono<AdminEnv>()
  .use("/admin", noStore)
  .use("/admin/*", noStore)
  .get("/admin", async (c) => {
    if (!adminToken(c.env)) {
      c.status(503);
      return c.render(<DisabledPage />, PAGE);
    }
    const session = await validSession(c);
    if (!session) return c.render(<SignInPage />, PAGE);
    const [posts, subs, outbox] = await Promise.all([
      guarded("the editor", siteEditor(c.env).list()),
      guarded("subscriptions", subscribers(c.env).counts()).then((r) => ({ ...r }) as Record<string, number>, () => null),
      guarded("the outbox", subscribers(c.env).outbox()).then((m) => m.map(({ to, subject, sentAt }) => ({ to, subject, sentAt })), () => null),
    ]);
    const counts = await commentCounts(c.env.POSTS, posts.slice(0, 100).map((p) => p.slug));
    // The moderation queue: held comments of the 30 newest posts (one thread call each).
    const held = (
      await Promise.all(
        posts.slice(0, HELD_POSTS).map((p) =>
          guarded("comments", thread(c.env, p.slug).list({ after: 0, limit: 50, status: "held" })).then(
            (r) => r.comments.map((x) => ({ slug: p.slug, postTitle: p.title, id: x.id, author: x.author, doc: x.doc, createdAt: x.createdAt })),
            () => [],
          ),
        ),
      )
    ).flat();
    return c.render(
      <Dashboard blog={configOf(c as unknown as Context<AppEnv>)} csrf={await csrfToken(c.env, session)} posts={posts} counts={counts} held={held} subscribers={subs} outbox={outbox} />,
      PAGE,
    );
  })
  .post("/admin/login", bodyLimit64k, FORM, zValidator("form", z.object({ token: z._default(z.string(), "") })), async (c) => {
    const expected = adminToken(c.env);
    if (!expected) {
      c.status(503);
      return c.render(<DisabledPage />, PAGE);
    }
    if (!(await sameSecret(c.req.valid("form").token, expected))) {
      c.status(401);
      return c.render(<SignInPage error="That is not the admin token." />, PAGE);
    }
    setCookie(c, SESSION_COOKIE, (await newSession(c.env))!, { httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: 12 * 3600 });
    return c.redirect("/admin", 303);
  })
  .post("/admin/logout", bodyLimit64k, FORM, signedIn, (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect("/admin", 303);
  })
  .get("/admin/posts/new", signedIn, (c) =>
    c.render(
      <EditorPage csrf={c.get("csrf")} isNew source={{ slug: "", title: "", date: new Date().toISOString(), updated: null, author: null, tags: [], summary: null, draft: true, markdown: "" }} />,
      PAGE,
    ),
  )
  .get("/admin/posts/:slug/edit", signedIn, async (c) => {
    const source = await guarded("the editor", siteEditor(c.env).source(c.req.param("slug")));
    if (!source) throw notFound("There is no such post.");
    return c.render(<EditorPage csrf={c.get("csrf")} source={source} isNew={false} />, PAGE);
  })
  .get("/admin/subscribers.csv", signedIn, async (c) => {
    const csv = await guarded("subscriptions", subscribers(c.env).csv());
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="subscribers.csv"' });
  })
  .post("/admin/comments/:slug/:id", bodyLimit64k, FORM, signedIn, async (c) => {
    const slug = c.req.param("slug");
    const id = Number(c.req.param("id"));
    const action = (await c.req.parseBody()).action;
    if (!Number.isSafeInteger(id) || !/^[a-z0-9-]{1,100}$/.test(slug)) throw notFound();
    const stub = thread(c.env, slug);
    if (action === "approve" || action === "hide") await guarded("comments", stub.moderate(id, action));
    else if (action === "delete") await guarded("comments", stub.remove(id, { admin: true }, commentPolicy(c.env)));
    else throw new AppError(400, "bad_request", "The action must be approve, hide or delete.");
    return c.redirect("/admin", 303);
  })
  .post("/admin/posts", bodyLimit64k, FORM, signedIn, (c) => saveFromForm(c, null))
  .post("/admin/posts/:slug", bodyLimit64k, FORM, signedIn, (c) => saveFromForm(c, c.req.param("slug")));
