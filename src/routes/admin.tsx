import { blogStore } from "../core/keys";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import { deleteCookie } from "hono/cookie";
import * as z from "zod/mini";
import { SESSION_COOKIE } from "../core/vocabulary";
import { commentCounts, commentThread } from "../data/comments";
import { accounts, siteEditor, subscriberCounts, subscribers } from "../data/objects";
import { csrfToken, endAllSessions, endSession, may, principal, sameSecret, signInBrowser, validSession } from "../http/auth";
import { formBody } from "../http/limits";
import { Dashboard, DisabledPage, type PlatformBlog, SignInPage } from "../views/pages/admin";
import type { CommentView } from "../core/comments";
import { MAIN_BLOG } from "../core/blogs";
import { listedRecord } from "../core/directory";
import { blogObject, blogPostCounts } from "../data/blogs";
import { directoryPage, directoryStats } from "../data/directory";
import { readSettings } from "../settings";
import { type AdminEnv, HELD_POSTS, noStore, PAGE, signedIn } from "./admin-session";
import { formText, validate } from "./validation";
import { wordsFor } from "../http/admin-language";
import { languageChoice, languageSaved } from "./people-pages";
import { say } from "../core/i18n";

async function platformBlogs(c: Context<AdminEnv>): Promise<{ blogs: PlatformBlog[]; total: number }> {
  const now = new Date();
  let [page, stats] = await Promise.all([directoryPage(c.env.PLATFORM, { limit: 50 }), directoryStats(c.env.PLATFORM, now)]);
  if (page.blogs[0]?.name !== MAIN_BLOG) {
    await blogObject(c.env, MAIN_BLOG).ensureMain(now.toISOString());
    [page, stats] = await Promise.all([directoryPage(c.env.PLATFORM, { limit: 50 }), directoryStats(c.env.PLATFORM, now)]);
  }
  const counts = await blogPostCounts(
    c.env.POSTS,
    page.blogs.map((b) => b.name),
    now,
  );
  const blogs = page.blogs.map((row) => {
    const { blog } = readSettings(c.env, c.req.url, listedRecord(row));
    return { name: row.name, title: blog.title, url: blog.baseUrl, posts: counts.get(row.name) ?? 0, createdAt: row.created_at };
  });
  return { blogs, total: stats.blogs };
}

/** Administration in the browser: sign-in and the dashboard (the editor: admin-editor.tsx; moderation: admin-moderation.tsx). */
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
    if (!session || !who) return c.render(<SignInPage operator={c.req.query("operator") !== undefined} />, PAGE);
    const [posts, subs, outbox] = await Promise.all([
      siteEditor(c.env, c.var.store.name).list(c.var.store.name),
      subscriberCounts(c.env, c.var.store.name),
      // Subscribers' addresses are the owners' to see (the CSV is theirs too).
      may(who, "owner") && c.var.settings.mail.driver === "outbox"
        ? subscribers(c.env, c.var.store.name)
            .outbox()
            .then(
              (m) => m.map(({ to, subject, sentAt }) => ({ to, subject, sentAt })),
              () => null,
            )
        : null,
    ]);
    const [counts, blogs, activity] = await Promise.all([
      // The administration shows counts as they are now, not as the reader pages hold them.
      commentCounts(
        blogStore(c.env.POSTS, c.var.store.name),
        posts.slice(0, 100).map((p) => p.slug),
      ),
      c.var.store.name === MAIN_BLOG && who.kind === "operator" ? platformBlogs(c).catch(() => null) : null,
      may(who, "owner")
        ? accounts(c.env, c.var.store.name)
            .auditLog(c.var.store.name, 0, 20)
            .then((p) => p.entries)
            .catch(() => null)
        : null,
    ]);
    // The moderation queue and the latest comments: one thread call for each of the 30 newest posts.
    const perPost = await Promise.all(
      posts.slice(0, HELD_POSTS).map((p) =>
        commentThread(c.env, c.var.store.name, p.slug)
          .moderation(50, 5)
          .then(
            (r) => ({ p, ...r }),
            () => ({ p, held: [], recent: [] }),
          ),
      ),
    );
    const line = (p: { slug: string; title: string }, x: CommentView) => ({
      slug: p.slug,
      postTitle: p.title,
      id: x.id,
      author: x.author,
      doc: x.doc,
      createdAt: x.createdAt,
    });
    const held = perPost.flatMap(({ p, held }) => held.map((x) => line(p, x)));
    const recent = perPost
      .flatMap(({ p, recent }) => recent.map((x) => line(p, x)))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 20);
    const trash = may(who, "editor")
      ? await siteEditor(c.env, c.var.store.name)
          .trash()
          .catch(() => [])
      : [];
    const q = c.req.query();
    const w = wordsFor(c).dashboard;
    const notice = q.deleted
      ? say(w.movedToTrash, { title: q.deleted })
      : q.restored
        ? say(w.restored, { title: q.restored })
        : q.purged
          ? say(w.purged, { title: q.purged })
          : q.blogRestored !== undefined
            ? wordsFor(c).closeBlog.restored
            : q.language !== undefined
              ? languageSaved(c)
              : undefined;
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
        recent={recent}
        trash={trash}
        notice={notice}
        subscribers={subs}
        outbox={c.var.settings.mail.driver === "outbox" ? outbox : undefined}
        language={who.kind === "operator" ? languageChoice(c) : undefined}
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
      return c.render(<SignInPage operator error={wordsFor(c).operator.wrongToken} />, PAGE);
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
  });
