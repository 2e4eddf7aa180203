import { cacheAs } from "../http/freshness";
import type { BlogStore } from "../core/keys";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { CommentView } from "../core/comments";
import { TIMEOUTS } from "../core/vocabulary";
import { commentThread, importsOf } from "../data/comments";
import { getPublicPost, type VisiblePost } from "../data/posts";
import { notFound } from "../errors";
import { csrfToken, hasCredentials, hasRole, validSession } from "../http/auth";
import { adminLanguageOf } from "../http/admin-language";
import { readAdminMessages } from "../data/catalogs";
import type { ModerationWords } from "../views/components/moderation";
import { readCachedMany } from "../data/kv-cache";
import { BoundedMap } from "../core/maps";
import type { ThreadAnswer } from "../durable/comment-thread";
import type { AppEnv, BlogConfig } from "../settings";
import { type CommentFormState, keptReaderSection } from "../views/components/comments";
import { messagesFor } from "../core/i18n";
import { PostPage } from "../views/pages/post";

/** Comments shown on the post page: the latest ones, oldest first. */
export const PAGE_COMMENTS = 50;

export const NO_POST = "There is no post at this address. It may have been moved or unpublished.";

/** The API's answer for a slug that is not a public post. */
export const noPostWithSlug = (slug: string) => `No published post has the slug "${slug}".`;

/**
 * The public post at `slug`, or a 404 with `message`. Every route reads it before touching
 * anything of the post's (its comment thread), so an unknown slug creates nothing.
 */
export async function requirePost(store: BlogStore, slug: string, message = NO_POST) {
  const post = await getPublicPost(store, slug, new Date());
  if (!post) throw notFound(message);
  return post;
}

/** What a thread that never changed would answer. */
const NO_COMMENTS: ThreadAnswer = { comments: [], total: 0, version: 0, reactions: { like: 0, announce: 0 }, key: "none" };

/**
 * The thread each post's readers were last shown by this isolate (key and total), so the next
 * reader's request asks the thread whether it changed instead of for all its comments again.
 */
const shownThreads = new BoundedMap<string, { key: string; total: number }>(1000);

/** A signed-in moderator's CSRF token for the moderation forms on the page (null: anyone else, or a bearer token). */
async function moderatorForms(c: Context<AppEnv>): Promise<{ csrf: string; words: ModerationWords } | null> {
  const session = await validSession(c);
  if (!session || !(await hasRole(c, "moderator"))) return null;
  const [csrf, words] = await Promise.all([csrfToken(c, session.cookie), readAdminMessages(c.env, adminLanguageOf(c).language)]);
  return { csrf, words: words.moderation };
}

/**
 * Renders a post with its comment section. The post is read first: an unknown or unpublished
 * slug never reaches (or creates) a comment thread. A failing thread degrades to a note.
 */
export async function renderPostPage(
  c: Context<AppEnv>,
  slug: string,
  opts: {
    status?: ContentfulStatusCode;
    form?: CommentFormState;
    replyTo?: number;
    /** The address asked: a page asked at /posts/ moves to /pages/, a post is not at /pages/. */
    at?: "posts" | "pages";
  } = {},
) {
  const { blog } = c.var.settings;
  const { kv, keys, name } = c.var.store;
  const countKey = keys.commentCount(slug);
  const [post, counts] = await Promise.all([requirePost(c.var.store, slug), readCachedMany(kv, [countKey], c.var.store.holdMs)]);
  const page = post.type === "page";
  // The query goes along: a reader back from commenting on a page lands on it with their comment.
  if (opts.at === "posts" && page) return c.redirect(`/pages/${slug}${new URL(c.req.url).search}`, 301);
  if (opts.at === "pages" && !page) throw notFound(NO_POST);
  // A page without comments has no thread: none is asked, none is made.
  if (page && !post.comments) return renderPage(c, post, opts.status);
  const thread = commentThread(c.env, name, slug, TIMEOUTS.postPage);
  const imports = importsOf(c.var.store, post);
  const form = opts.form ?? {};
  // A reader's page (no form state, no credentials): its comment section may be the one this isolate keeps.
  const reader = !hasCredentials(c) && !opts.replyTo && !form.values && !form.error && !form.notice && !form.own;
  // A thread that never changed (no comment, no reaction, nothing imported) has written no count
  // key: readers are not sent to it, so a post nobody commented on costs no Durable Object. A
  // thread this isolate just wrote to is asked (its count key may not be in KV yet).
  const untouched = reader && !imports && counts.get(countKey) == null && !c.var.threadWritten;
  const shownId = `${name}/${slug}`;
  const last = reader ? shownThreads.get(shownId) : undefined;
  const known = last && keptReaderSection(slug, blog.timeZone, last.total, last.key, messagesFor(blog.language)) ? last.key : undefined;
  let [answer, editable, moderation] = await Promise.all([
    untouched ? NO_COMMENTS : thread.thread(PAGE_COMMENTS, imports, known).catch(() => null),
    // Only the operator and the blog's editors and owners get the editor's link.
    hasRole(c, "editor"),
    moderatorForms(c),
  ]);
  const kept =
    answer?.comments === null ? keptReaderSection(slug, blog.timeZone, answer.total, answer.key, messagesFor(blog.language)) : undefined;
  // Unchanged, but this isolate let the markup go meanwhile: ask for the comments after all.
  if (answer?.comments === null && !kept) answer = await thread.thread(PAGE_COMMENTS, imports).catch(() => null);
  const comments = answer && { ...answer, comments: answer.comments ?? [] };
  if (reader && answer) shownThreads.set(shownId, { key: answer.key, total: answer.total });
  // A page with the editor's link or moderation buttons is never cached anywhere.
  // Nor is one with this browser's own comments marked ("Edit") or its name in the form.
  if (editable || moderation || form.own || form.values) cacheAs(c, "personal");
  // Moderators also see the comments waiting, in place, with Approve.
  if (moderation && comments) {
    const held = await thread.moderation(50, 0).then(
      (r) => r.held,
      () => [],
    );
    comments.comments = [...comments.comments, ...held].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  }
  const replyTo: CommentView | null = (opts.replyTo && comments?.comments.find((x) => x.id === opts.replyTo)) || null;
  if (opts.status) c.status(opts.status);
  // The cover's absolute address, for link previews and the structured data alike.
  const cover = post.cover ? new URL(post.cover, `${blog.baseUrl}/`).href : undefined;
  return c.render(
    <PostPage
      post={post}
      blog={blog}
      editable={editable}
      comments={comments?.comments ?? null}
      commentTotal={comments?.total ?? 0}
      threadKey={comments?.key}
      keptSection={kept}
      form={form}
      replyTo={replyTo}
      moderation={moderation}
      reactions={comments?.reactions ?? null}
    />,
    page
      ? pageHead(post, blog, cover)
      : {
          title: post.title,
          description: post.summary,
          path: `/posts/${slug}`,
          article: { published: post.date, modified: post.updated, author: post.author ?? blog.author, tags: post.tags },
          image: cover,
          jsonLd: {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            headline: post.title,
            description: post.summary,
            datePublished: post.date,
            dateModified: post.updated ?? post.date,
            author: { "@type": "Person", name: post.author ?? blog.author },
            publisher: { "@type": "Organization", name: blog.title, url: `${blog.baseUrl}/` },
            mainEntityOfPage: `${blog.baseUrl}/posts/${slug}`,
            url: `${blog.baseUrl}/posts/${slug}`,
            keywords: post.tags.join(", "),
            ...(cover ? { image: cover } : {}),
            wordCount: post.readingTime * 220,
            commentCount: comments?.total ?? 0,
          },
        },
  );
}

/** A page's head: its own address, no article dates, and WebPage for structured data. */
function pageHead(post: VisiblePost, blog: BlogConfig, cover: string | undefined) {
  const url = `${blog.baseUrl}/pages/${post.slug}`;
  return {
    title: post.title,
    description: post.summary,
    path: `/pages/${post.slug}`,
    image: cover,
    jsonLd: {
      "@context": "https://schema.org",
      "@type": "WebPage",
      name: post.title,
      description: post.summary,
      url,
      isPartOf: { "@type": "WebSite", name: blog.title, url: `${blog.baseUrl}/` },
    },
  };
}

/** A page without comments: the article alone (no thread, nothing personal but the editor's link). */
async function renderPage(c: Context<AppEnv>, post: VisiblePost, status?: ContentfulStatusCode) {
  const { blog } = c.var.settings;
  const editable = await hasRole(c, "editor");
  if (editable) cacheAs(c, "personal");
  if (status) c.status(status);
  const cover = post.cover ? new URL(post.cover, `${blog.baseUrl}/`).href : undefined;
  return c.render(
    <PostPage post={post} blog={blog} editable={editable} comments={null} commentTotal={0} form={{}} replyTo={null} />,
    pageHead(post, blog, cover),
  );
}
