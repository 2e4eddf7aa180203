import { Hono, type Context } from "hono";
import { deleteCookie } from "hono/cookie";
import * as z from "zod/mini";
import { renderPost } from "../content/build";
import type { PostSource } from "../content/types";
import { validatePost } from "../content/validate";
import { SESSION_COOKIE } from "../content/vocabulary";
import { commentCounts, commentThread } from "../data/comments";
import { accounts, siteEditor, subscribers } from "../data/stores";
import { AppError, notFound } from "../errors";
import { csrfToken, endAllSessions, endSession, may, principal, sameSecret, signInBrowser, validSession } from "../http/auth";
import { formBody } from "../http/limits";
import { ConfirmDeletePage, Dashboard, DisabledPage, EditorPage, type PlatformBlog, SignInPage } from "../views/pages/admin";
import { MAIN_BLOG } from "../content/blogs";
import { blogPostCounts, blogsRegistry } from "../data/blogs";
import { readSettings } from "../settings";
import { type AdminEnv, HELD_POSTS, noStore, PAGE, signedIn, signedInAs } from "./admin-session";
import { formText, numericId, postSlug, validate } from "./validation";
import { audit } from "../http/audit";

const editorFields = z.object({
  slug: formText(),
  title: formText(),
  date: formText(),
  tags: formText(),
  author: formText(),
  summary: formText(),
  cover: formText(),
  markdown: formText(),
  action: z._default(z.string(), "preview"),
  /** "1" when the post was published when the editor opened it: its buttons are Update and Unpublish. */
  live: formText(),
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
    tags: f.tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    summary: f.summary.trim() || null,
    cover: f.cover.trim() || null,
    draft: f.action === "draft",
    markdown: f.markdown.replace(/\r\n?/g, "\n"),
  };
  const isNew = slugFromPath === null;
  const live = f.live === "1";
  if (f.action === "confirm-delete" && !isNew) {
    return c.render(<ConfirmDeletePage csrf={c.get("csrf")} slug={slug} title={f.title} />, { ...PAGE, title: "Delete post" });
  }
  if (f.action === "delete" && !isNew) {
    if (await siteEditor(c.env, c.var.store.name).remove(c.var.store.name, slug)) await audit(c, "post.deleted", slug);
    return c.redirect("/admin", 303);
  }
  const checked = validatePost(
    slug,
    {
      title: draft.title,
      date: draft.date,
      author: draft.author ?? undefined,
      tags: draft.tags,
      summary: draft.summary ?? undefined,
      cover: draft.cover ?? undefined,
      draft: draft.draft,
    },
    draft.markdown,
  );
  if (!checked.ok) {
    c.status(400);
    const error = checked.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    return c.render(<EditorPage csrf={c.get("csrf")} source={draft} isNew={isNew} live={live} error={error} />, PAGE);
  }
  if (f.action === "preview") {
    return c.render(
      <EditorPage csrf={c.get("csrf")} source={draft} isNew={isNew} live={live} preview={renderPost(checked.post).html} />,
      PAGE,
    );
  }
  await siteEditor(c.env, c.var.store.name).save(c.var.store.name, checked.post);
  await audit(c, "post.saved", slug);
  const visible = !checked.post.draft && checked.post.date <= new Date().toISOString();
  return c.redirect(visible ? `/posts/${slug}` : "/admin", 303);
}

/** Every active blog with its address and public post count, for the operator's list. */
async function platformBlogs(c: Context<AdminEnv>): Promise<PlatformBlog[]> {
  const registry = await blogsRegistry(c.env).list(new Date().toISOString());
  const active = registry.blogs.filter((b) => b.state === "active");
  const counts = await blogPostCounts(
    c.env.POSTS,
    active.map((b) => b.name),
    new Date(),
  );
  return active.map((b) => {
    const { blog } = readSettings(c.env, c.req.url, b);
    return { name: b.name, title: blog.title, url: blog.baseUrl, posts: counts.get(b.name) ?? 0, createdAt: b.createdAt };
  });
}

const moderationParam = z.object({ slug: postSlug, id: numericId("the comment id must be a whole number") });

/** Administration in the browser: sign-in, dashboard, editor. */
export const adminPages = new Hono<AdminEnv>()
  .use("/admin", noStore)
  .use("/admin/*", noStore)
  .get("/admin", async (c) => {
    if (!c.var.settings.adminToken) {
      c.status(503);
      return c.render(<DisabledPage />, PAGE);
    }
    const session = await validSession(c);
    const who = session ? await principal(c) : null;
    if (!session || !who) return c.render(<SignInPage />, PAGE);
    const [posts, subs, outbox] = await Promise.all([
      siteEditor(c.env, c.var.store.name).list(c.var.store.name),
      subscribers(c.env, c.var.store.name)
        .counts()
        .then(
          (r) => ({ ...r }) as Record<string, number>,
          () => null,
        ),
      subscribers(c.env, c.var.store.name)
        .outbox()
        .then(
          (m) => m.map(({ to, subject, sentAt }) => ({ to, subject, sentAt })),
          () => null,
        ),
    ]);
    const [counts, blogs, activity] = await Promise.all([
      commentCounts(
        c.var.store,
        posts.slice(0, 100).map((p) => p.slug),
      ),
      c.var.store.name === MAIN_BLOG ? platformBlogs(c).catch(() => null) : null,
      may(who, "owner")
        ? accounts(c.env)
            .auditLog(c.var.store.name, 0, 20)
            .then((p) => p.entries)
            .catch(() => null)
        : null,
    ]);
    // The moderation queue: held comments of the 30 newest posts (one thread call each).
    const held = (
      await Promise.all(
        posts.slice(0, HELD_POSTS).map((p) =>
          commentThread(c.env, c.var.store.name, p.slug)
            .list({ after: 0, limit: 50, status: "held" })
            .then(
              (r) =>
                r.comments.map((x) => ({
                  slug: p.slug,
                  postTitle: p.title,
                  id: x.id,
                  author: x.author,
                  doc: x.doc,
                  createdAt: x.createdAt,
                })),
              () => [],
            ),
        ),
      )
    ).flat();
    return c.render(
      <Dashboard
        blog={c.var.settings.blog}
        blogs={blogs}
        activity={activity}
        csrf={await csrfToken(c, session.cookie)}
        can={{ posts: may(who, "editor"), settings: may(who, "owner"), account: who.kind === "person" }}
        posts={posts}
        counts={counts}
        held={held}
        subscribers={subs}
        outbox={outbox}
      />,
      PAGE,
    );
  })
  .post("/admin/login", ...formBody, validate("form", z.object({ token: formText() })), async (c) => {
    const expected = c.var.settings.adminToken;
    if (!expected) {
      c.status(503);
      return c.render(<DisabledPage />, PAGE);
    }
    if (!(await sameSecret(c.req.valid("form").token, expected))) {
      c.status(401);
      return c.render(<SignInPage error="That is not the admin token." />, PAGE);
    }
    await signInBrowser(c, null);
    return c.redirect("/admin", 303);
  })
  .post("/admin/logout", ...formBody, signedIn, async (c) => {
    await endSession(c);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect("/admin", 303);
  })
  .post("/admin/logout-everywhere", ...formBody, signedIn, async (c) => {
    await endAllSessions(c);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.redirect("/admin", 303);
  })
  .get("/admin/posts/new", signedInAs("editor"), (c) =>
    c.render(
      <EditorPage
        csrf={c.get("csrf")}
        isNew
        source={{
          slug: "",
          title: "",
          date: new Date().toISOString(),
          updated: null,
          author: null,
          tags: [],
          summary: null,
          draft: true,
          markdown: "",
        }}
      />,
      PAGE,
    ),
  )
  .get(
    "/admin/posts/:slug/edit",
    signedInAs("editor"),
    validate("param", z.object({ slug: postSlug }), { code: "not_found", message: "There is no such post." }),
    async (c) => {
      const source = await siteEditor(c.env, c.var.store.name).source(c.var.store.name, c.req.valid("param").slug);
      if (!source) throw notFound("There is no such post.");
      const live = !source.draft && source.date <= new Date().toISOString();
      return c.render(<EditorPage csrf={c.get("csrf")} source={source} isNew={false} live={live} />, PAGE);
    },
  )
  .get("/admin/subscribers.csv", signedInAs("owner"), async (c) => {
    const csv = await subscribers(c.env, c.var.store.name).csv();
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="subscribers.csv"' });
  })
  .post(
    "/admin/comments/:slug/:id",
    ...formBody,
    signedIn,
    validate("param", moderationParam, { code: "not_found", message: "There is no such comment." }),
    async (c) => {
      const { slug, id } = c.req.valid("param");
      const action = (await c.req.parseBody()).action;
      const thread = commentThread(c.env, c.var.store.name, slug);
      if (action === "approve" || action === "hide") await thread.moderate(id, action);
      else if (action === "delete") await thread.remove(id, { admin: true }, c.var.settings.comments);
      else throw new AppError("bad_request", "The action must be approve, hide or delete.");
      await audit(c, action === "approve" ? "comment.approved" : action === "hide" ? "comment.hidden" : "comment.deleted", `${slug}#${id}`);
      return c.redirect("/admin", 303);
    },
  )
  .post("/admin/posts", ...formBody, signedInAs("editor"), (c) => saveFromForm(c, null))
  .post(
    "/admin/posts/:slug",
    ...formBody,
    signedInAs("editor"),
    validate("param", z.object({ slug: postSlug }), { code: "not_found", message: "There is no such post." }),
    (c) => saveFromForm(c, c.req.valid("param").slug),
  );
