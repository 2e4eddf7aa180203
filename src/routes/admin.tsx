import { checkedPost, deletePost, purgePost, restorePost, type Saved, savePost } from "../editing/posts";
import type { Revision } from "../durable/editor-store";
import { blogStore } from "../content/keys";
import { Hono, type Context } from "hono";
import { deleteCookie } from "hono/cookie";
import * as z from "zod/mini";
import { renderPost } from "../content/build";
import type { PostSource } from "../content/types";
import { SESSION_COOKIE } from "../content/vocabulary";
import { commentCounts, commentThread } from "../data/comments";
import { accounts, siteEditor, subscribers } from "../data/stores";
import { AppError, notFound } from "../errors";
import { csrfToken, endAllSessions, endSession, may, principal, sameSecret, signInBrowser, validSession } from "../http/auth";
import { formBody } from "../http/limits";
import { Dashboard, DisabledPage, type PlatformBlog, SignInPage } from "../views/pages/admin";
import { ConfirmDeletePage, EditorPage, SAVED, type SavedKind } from "../views/pages/editor";
import { fromZonedInput } from "../content/dates";
import type { CommentView } from "../content/comments";
import { getPublicTags } from "../data/posts";
import { formatDateTime } from "../views/format";
import { MAIN_BLOG } from "../content/blogs";
import { listedRecord } from "../content/directory";
import { blogObject, blogPostCounts } from "../data/blogs";
import { directoryPage, directoryStats } from "../data/directory";
import { readSettings } from "../settings";
import { type AdminEnv, HELD_POSTS, noStore, PAGE, signedIn, signedInAs } from "./admin-session";
import { formText, numericId, postSlug, validate, validQuery } from "./validation";
import { audit } from "../http/audit";
import { droppedNote } from "../http/post-html";
import { isDroppedReport } from "../content/html-filter";

const editorFields = z.object({
  slug: formText(),
  title: formText(),
  date: formText(),
  updated: formText(),
  tags: formText(),
  author: formText(),
  summary: formText(),
  cover: formText(),
  markdown: formText(),
  action: z._default(z.string(), "preview"),
  /** "1" when the post was published when the editor opened it: its buttons are Update and Unpublish. */
  live: formText(),
});

/** A date field: the picker's wall-clock time in the blog's zone, or (API clients, old forms) an ISO 8601 date. */
function formDate(text: string, timeZone: string): string {
  const value = text.trim();
  return fromZonedInput(value, timeZone) ?? value;
}

async function saveFromForm(c: Context<AdminEnv>, slugFromPath: string | null) {
  const f = editorFields.parse(await c.req.parseBody());
  const { timeZone } = c.var.settings.blog;
  const isNew = slugFromPath === null;
  const live = f.live === "1";
  // A draft's slug may still change; a published post's is its address.
  const slug = isNew || !live ? f.slug.trim() || (slugFromPath ?? "") : slugFromPath!;
  const now = new Date().toISOString();
  const draft: PostSource = {
    slug,
    title: f.title,
    date: formDate(f.date, timeZone),
    updated: f.updated.trim() ? formDate(f.updated, timeZone) : null,
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
  const page = (extra: { error?: string; preview?: string }) =>
    editorPage(c, { source: draft, isNew, live, savedSlug: slugFromPath ?? undefined, ...extra });
  if (f.action === "confirm-delete" && !isNew) {
    return c.render(<ConfirmDeletePage csrf={c.get("csrf")} slug={slugFromPath} title={f.title} />, { ...PAGE, title: "Delete post" });
  }
  if (f.action === "delete" && !isNew) {
    await deletePost(c, slugFromPath);
    return c.redirect(`/admin?deleted=${slugFromPath}#trash`, 303);
  }
  // A refusal (invalid fields, HTML only an owner may post) is shown on the editor with the text kept.
  const refused = (err: unknown) => {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    c.status(err.status);
    return page({ error: err.message });
  };
  let post: PostSource;
  try {
    post = checkedPost(
      slug,
      {
        title: draft.title,
        date: draft.date,
        updated: draft.updated ?? undefined,
        author: draft.author ?? undefined,
        tags: draft.tags,
        summary: draft.summary ?? undefined,
        cover: draft.cover ?? undefined,
        draft: draft.draft,
      },
      draft.markdown,
    );
  } catch (err) {
    return refused(err);
  }
  // Publish puts a draft online now; only Schedule… publishes later.
  if (f.action === "publish" && !live && post.date > now) post.date = now;
  if (f.action === "schedule" && post.date <= now) {
    c.status(400);
    return page({
      error: `To schedule the post, set its publication date and time (${timeZone}) in the future; to put it online now, choose Publish.`,
    });
  }
  // The preview is shown inside the administration: its HTML is filtered whoever wrote it.
  if (f.action === "preview") return page({ preview: renderPost(post, { filter: true }).html });
  let saved: Saved;
  try {
    saved = await savePost(c, post, slugFromPath ?? undefined);
  } catch (err) {
    return refused(err);
  }
  const { status, dropped } = saved;
  const kind: SavedKind =
    status === "draft" ? (live ? "unpublished" : "draft") : status === "scheduled" ? "scheduled" : live ? "updated" : "published";
  const filtered = dropped.length ? `&filtered=${encodeURIComponent(dropped.join("\n"))}` : "";
  return c.redirect(`/admin/posts/${slug}/edit?saved=${kind}${filtered}`, 303);
}

/** What the HTML filter dropped, as the save's redirect carries it: only the filter's own kinds of words are shown. */
function droppedItems(query: string | undefined): string[] {
  return (query ?? "").split("\n").filter(isDroppedReport).slice(0, 20);
}

/** The editor with the blog's tags for completion and the post's earlier versions. */
async function editorPage(
  c: Context<AdminEnv>,
  props: {
    source: PostSource & { editedAt?: string | null };
    isNew: boolean;
    live: boolean;
    savedSlug?: string;
    notice?: string;
    error?: string;
    preview?: string;
    /** Already read with the post (the edit page); else asked for here. */
    revisions?: Revision[];
  },
) {
  const saved = props.savedSlug ?? (props.isNew ? null : props.source.slug);
  const [tags, revisions] = await Promise.all([
    getPublicTags(c.var.store, new Date()).catch(() => []),
    props.revisions ??
      (saved
        ? siteEditor(c.env, c.var.store.name)
            .revisions(saved)
            .catch(() => [])
        : []),
  ]);
  return c.render(
    <EditorPage
      csrf={c.get("csrf")}
      timeZone={c.var.settings.blog.timeZone}
      tags={tags.map((t) => t.name)}
      {...props}
      revisions={revisions.map((r) => ({ id: r.id, savedAt: r.savedAt, title: r.source.title }))}
    />,
    PAGE,
  );
}

/**
 * The first page of the operator's list of blogs (the directory in D1), with their addresses and
 * public post counts; the rest through GET /api/admin/blogs. Only the operator's dashboard asks.
 */
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
    if (!session || !who) return c.render(<SignInPage operator={c.req.query("operator") !== undefined} />, PAGE);
    const [posts, subs, outbox] = await Promise.all([
      siteEditor(c.env, c.var.store.name).list(c.var.store.name),
      subscribers(c.env, c.var.store.name)
        .counts()
        .then(
          (r) => ({ ...r }) as Record<string, number>,
          () => null,
        ),
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
    const notice = q.deleted
      ? `Moved “${q.deleted}” to the trash. You can restore it there for 30 days.`
      : q.restored
        ? `Restored “${q.restored}”.`
        : q.purged
          ? `Deleted “${q.purged}” for good.`
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
      return c.render(<SignInPage operator error="That is not the admin token." />, PAGE);
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
    editorPage(c, {
      isNew: true,
      live: false,
      source: {
        slug: "",
        title: "",
        // To the minute: the picker shows no seconds for a new post.
        date: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
        updated: null,
        author: null,
        tags: [],
        summary: null,
        draft: true,
        markdown: "",
      },
    }),
  )
  .get(
    "/admin/posts/:slug/edit",
    signedInAs("editor"),
    validate("param", z.object({ slug: postSlug }), { code: "not_found", message: "There is no such post." }),
    validQuery(
      z.object({
        saved: z.optional(z.enum(Object.keys(SAVED) as [SavedKind, ...SavedKind[]])),
        revision: z.optional(numericId("revision must be a version's number")),
        filtered: z.optional(z.string()),
      }),
    ),
    async (c) => {
      const { slug } = c.req.valid("param");
      const { saved, revision, filtered } = c.req.valid("query");
      const editing = await siteEditor(c.env, c.var.store.name).editing(c.var.store.name, slug);
      if (!editing) throw notFound("There is no such post.");
      const { source, revisions } = editing;
      const live = !source.draft && source.date <= new Date().toISOString();
      let notice: string | undefined = saved ? SAVED[saved] : undefined;
      const dropped = droppedItems(filtered);
      if (notice && dropped.length) notice = `${notice} ${droppedNote(dropped)}`;
      let shown: PostSource & { editedAt?: string | null } = source;
      if (revision !== undefined) {
        const version = revisions.find((r) => r.id === revision);
        if (!version) throw notFound("There is no such earlier version of this post.");
        const { origin: _o, derived: _d, ...rest } = version.source;
        shown = { ...rest, slug, editedAt: source.editedAt };
        notice = `Loaded the version of ${formatDateTime(version.savedAt, c.var.settings.blog.timeZone)}. Nothing changes until you save it.`;
      }
      return editorPage(c, { source: shown, isNew: false, live, notice, revisions });
    },
  )
  .post(
    "/admin/trash/:slug",
    ...formBody,
    signedInAs("editor"),
    validate("param", z.object({ slug: postSlug }), { code: "not_found", message: "That post is not in the trash." }),
    async (c) => {
      const { slug } = c.req.valid("param");
      const action = (await c.req.parseBody()).action;
      if (action === "restore") {
        await restorePost(c, slug);
        return c.redirect(`/admin/posts/${slug}/edit?saved=restored`, 303);
      }
      if (action !== "purge") throw new AppError("bad_request", "The action must be restore or purge.");
      if (!(await purgePost(c, slug))) throw notFound("That post is not in the trash.");
      return c.redirect(`/admin?purged=${slug}#trash`, 303);
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
      const { action, back } = await c.req.parseBody();
      const thread = commentThread(c.env, c.var.store.name, slug);
      c.var.changes?.thread(slug);
      if (action === "approve" || action === "hide") await thread.moderate(id, action);
      else if (action === "delete") await thread.remove(id, { admin: true }, c.var.settings.comments);
      else throw new AppError("bad_request", "The action must be approve, hide or delete.");
      await audit(c, action === "approve" ? "comment.approved" : action === "hide" ? "comment.hidden" : "comment.deleted", `${slug}#${id}`);
      // Only two places to go back to: never an address taken from the form.
      return c.redirect(back === "post" ? `/posts/${slug}#comments` : "/admin", 303);
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
