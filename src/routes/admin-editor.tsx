import { checkedPost, deletePost, purgePost, restorePost, type Saved, savePost } from "../editing/posts";
import type { Revision } from "../durable/editor-store";
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import * as z from "zod/mini";
import { renderPost } from "../core/build";
import { pageViews } from "../data/stats";
import { statsOwner, statsToday } from "./stats";
import { highlighted, remoteHighlight } from "../core/markdown";
import { kindFields, type PostRecord, type PostSource } from "../core/types";
import { accounts, siteEditor, subscribers } from "../data/objects";
import { type Job, MAIL_HORIZON_MS } from "../core/jobs";
import { principal } from "../http/auth";
import { mailerFor } from "../mail/mailer";
import { POST_MAIL, postLayout, postLetter } from "../mail/post-mail";
import { readTemplate } from "../data/catalogs";
import { AppError, notFound } from "../errors";
import { formBody } from "../http/limits";
import { ConfirmDeletePage, EditorPage, SAVED_KINDS, type SavedKind } from "../views/pages/editor";
import { refusalText, wordsFor } from "../http/admin-language";
import { say } from "../core/i18n";
import { fromZonedInput } from "../core/dates";
import { getPublicTags } from "../data/posts";
import { formatDateTime } from "../views/format";
import { type AdminEnv, noStore, PAGE, signedInAs } from "./admin-session";
import { formText, numericId, postSlug, validate, validQuery } from "./validation";
import { isDroppedReport } from "../core/html-filter";

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
  /** "page" for a page; anything else is a post. */
  type: formText(),
  /** "1": a page takes comments. */
  comments: formText(),
  /** "1": subscribers get the post by mail; counted only when the form had the box (`emailShown`). */
  email: formText(),
  emailShown: formText(),
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
    ...kindFields({ type: f.type, comments: f.comments === "1", email: mailChoice(f, c.var.settings.blog.emailPosts) }),
  };
  const page = (extra: { error?: string; preview?: string; notice?: string }) =>
    editorPage(c, { source: draft, isNew, live, savedSlug: slugFromPath ?? undefined, ...extra });
  if (f.action === "confirm-delete" && !isNew) {
    return c.render(<ConfirmDeletePage csrf={c.get("csrf")} slug={slugFromPath} title={f.title} />, {
      ...PAGE,
      title: wordsFor(c).confirmDelete.pageTitle,
    });
  }
  if (f.action === "delete" && !isNew) {
    await deletePost(c, slugFromPath);
    return c.redirect(`/admin?deleted=${slugFromPath}#trash`, 303);
  }
  // A refusal (invalid fields, HTML only an owner may post) is shown on the editor with the text kept.
  const refused = (err: unknown) => {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    c.status(err.status);
    return page({ error: refusalText(c, err.code, err.message) });
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
        type: draft.type,
        comments: draft.comments,
        email: draft.email,
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
    return page({ error: say(wordsFor(c).editor.scheduleInPast, { zone: timeZone }) });
  }
  // The preview is shown inside the administration: its HTML is filtered whoever wrote it.
  if (f.action === "preview") return page({ preview: (await renderFiltered(c, post)).html });
  if (f.action === "test-mail") return page(await sendTestMail(c, post));
  if (f.action === "retry-mail" && slugFromPath) {
    await c.env.JOBS.send({ kind: "post", blog: c.var.store.name, slug: slugFromPath } satisfies Job);
    return page({ notice: wordsFor(c).editor.mail.retried });
  }
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

/** The box's choice as the post keeps it: only when it differs from the blog's (which may change), never from a form without the box. */
function mailChoice(f: { email: string; emailShown: string }, blogDefault: boolean): boolean | undefined {
  if (f.emailShown !== "1") return undefined;
  const wanted = f.email === "1";
  return wanted === blogDefault ? undefined : wanted;
}

/** The post as the administration shows it (its HTML filtered, whoever wrote it), code highlighted. */
const renderFiltered = (c: Context<AdminEnv>, post: PostSource) =>
  highlighted((highlight) => renderPost(post, { filter: true, highlight }), remoteHighlight(c.env.HIGHLIGHT));

/** "Send me a test": the post as the form holds it now, as a subscriber would get it, to the signed-in person only. */
async function sendTestMail(c: Context<AdminEnv>, post: PostSource): Promise<{ notice?: string; error?: string }> {
  const words = wordsFor(c).editor.mail;
  const who = await principal(c);
  if (who?.kind !== "person") return { error: words.noAddress };
  const blog = c.var.store.name;
  const email = (await accounts(c.env, blog).members(blog)).find((m) => m.personId === who.personId)?.email;
  if (!email) return { error: words.noAddress };
  const record: PostRecord = { ...(await renderFiltered(c, post)), older: null, newer: [] };
  const layout = postLayout(await readTemplate(c.env, POST_MAIL));
  await mailerFor(c.env, blog, c.var.settings.mail).send([postLetter(c.var.settings.blog, record, layout)({ email, test: true })]);
  return { notice: say(words.testSent, { email }) };
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
  const [tags, revisions, mailing, views] = await Promise.all([
    getPublicTags(c.var.store, new Date()).catch(() => []),
    props.revisions ??
      (saved
        ? siteEditor(c.env, c.var.store.name)
            .revisions(saved)
            .catch(() => [])
        : []),
    // The mailing of a post still within reach of it (a month); an older post's editor asks no one.
    saved && props.source.type !== "page" && Date.now() - Date.parse(props.source.date) < MAIL_HORIZON_MS
      ? subscribers(c.env, c.var.store.name)
          .sendStatus(saved)
          .catch(() => null)
      : null,
    // Its readers in the last 30 days, once it is public (statistics in D1, not on a reader's path).
    saved && props.live && c.var.settings.stats.on
      ? pageViews(c.env.STATS_DB, statsOwner(c), `/${props.source.type === "page" ? "pages" : "posts"}/${saved}`, 30, statsToday(c)).catch(
          () => null,
        )
      : null,
  ]);
  return c.render(
    <EditorPage
      csrf={c.get("csrf")}
      timeZone={c.var.settings.blog.timeZone}
      tags={tags.map((t) => t.name)}
      {...props}
      emailOn={props.source.email ?? c.var.settings.blog.emailPosts}
      mailing={mailing}
      views={views}
      revisions={revisions.map((r) => ({ id: r.id, savedAt: r.savedAt, title: r.source.title }))}
    />,
    PAGE,
  );
}

/**
 * The first page of the operator's list of blogs (the directory in D1), with their addresses and
 * public post counts; the rest through GET /api/admin/blogs. Only the operator's dashboard asks.
 */
/** The editor in the browser: new posts, editing (with earlier versions), the trash. */
export const adminEditor = new Hono<AdminEnv>()
  .use("/admin/*", noStore)
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
        saved: z.optional(z.enum(SAVED_KINDS)),
        revision: z.optional(numericId("revision must be a version's number")),
        filtered: z.optional(z.string()),
      }),
    ),
    async (c) => {
      const { slug } = c.req.valid("param");
      const { saved, revision, filtered } = c.req.valid("query");
      const editing = await siteEditor(c.env, c.var.store.name).editing(c.var.store.name, slug);
      const words = wordsFor(c);
      if (!editing) throw notFound(words.editor.noSuchPost);
      const { source, revisions } = editing;
      const live = !source.draft && source.date <= new Date().toISOString();
      let notice: string | undefined = saved ? words.saved[saved] : undefined;
      const dropped = droppedItems(filtered);
      if (notice && dropped.length) notice = `${notice} ${say(words.editor.dropped, { items: dropped.join(", ") })}`;
      let shown: PostSource & { editedAt?: string | null } = source;
      if (revision !== undefined) {
        const version = revisions.find((r) => r.id === revision);
        if (!version) throw notFound(words.editor.noSuchRevision);
        const { origin: _o, derived: _d, ...rest } = version.source;
        shown = { ...rest, slug, editedAt: source.editedAt };
        notice = say(words.editor.revisionLoaded, { when: formatDateTime(version.savedAt, c.var.settings.blog.timeZone, words.locale) });
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
  .post("/admin/posts", ...formBody, signedInAs("editor"), (c) => saveFromForm(c, null))
  .post(
    "/admin/posts/:slug",
    ...formBody,
    signedInAs("editor"),
    validate("param", z.object({ slug: postSlug }), { code: "not_found", message: "There is no such post." }),
    (c) => saveFromForm(c, c.req.valid("param").slug),
  );
