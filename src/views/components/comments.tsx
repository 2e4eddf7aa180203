import type { Child } from "hono/jsx";
import { CommentBody } from "../../core/comment-html";
import type { CommentView } from "../../core/comments";
import { MAX_AUTHOR_LENGTH, MAX_COMMENT_LENGTH, MAX_EMAIL_LENGTH } from "../../core/vocabulary";
import { formatDateTime } from "../format";
import { counted, type Messages, number, say } from "../../core/i18n";
import { english, isEnglish } from "../../core/i18n";
import { ErrorNote, Notice } from "./notes";
import { ModerationForm, type ModerationWords } from "./moderation";
import { MarkupByKey } from "../memo";

/** Moderation on the post page: the session's CSRF token (null: a reader). */
type Moderation = { csrf: string; words: ModerationWords } | null;

export interface CommentFormState {
  values?: { author?: string; email?: string; body?: string; parentId?: string; notify?: string };
  error?: string;
  notice?: string;
  /** This browser's comments it may still edit (from its cookie): they get "Edit" in the page itself. */
  own?: number[];
  /** The comment just posted from the form: it says so. */
  posted?: number;
}

/** What a reader is shown of their own comments: "Edit" on each, and a word on the one just posted. */
interface Own {
  ids: Set<number>;
  posted?: number;
}

const MAX_DEPTH = 3;

interface Node {
  comment: CommentView;
  children: Node[];
}

/** Builds the reply tree; a reply whose parent is not shown moves to the top level. */
function tree(comments: CommentView[]): Node[] {
  const nodes = new Map(comments.map((c) => [c.id, { comment: c, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId !== null ? nodes.get(node.comment.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Below the deepest level, replies are listed at that level in the order they came. */
function flatten(nodes: Node[]): Node[] {
  return nodes.flatMap((n) => [{ comment: n.comment, children: [] }, ...flatten(n.children)]).sort((a, b) => a.comment.id - b.comment.id);
}

/** One comment's markup; the live script fills a copy of the same markup (see CommentTemplate). */
function CommentArticle(props: {
  id: number;
  author: string;
  authorUrl?: string | null;
  createdAt: string;
  when: string;
  edited: boolean;
  slug: string;
  held?: boolean;
  moderation: Moderation;
  own?: Own;
  t: Messages;
  children: Child;
}) {
  const { id, slug, t } = props;
  const mine = !!props.own?.ids.has(id);
  return (
    <article>
      <header>
        <span class="comment-author">
          {props.authorUrl ? (
            <a href={props.authorUrl} rel="nofollow ugc noopener external">
              {props.author}
            </a>
          ) : (
            props.author
          )}
        </span>{" "}
        <a class="comment-time" href={`#comment-${id}`}>
          <time datetime={props.createdAt}>{props.when}</time>
        </a>
        {props.edited ? <span class="comment-edited">{t.comments.edited}</span> : null}
        {props.moderation ? (
          <span class="comment-waiting" hidden={!props.held}>
            {" "}
            · {props.moderation.words.waiting}
          </span>
        ) : null}
      </header>
      <div class="comment-body">{props.children}</div>
      <footer>
        <a class="reply" href={`/posts/${slug}?replyto=${id}#comment-form`} data-reply={id}>
          {t.comments.reply}
        </a>
        {mine ? (
          <>
            {" "}
            <a class="edit-own" href={`/posts/${slug}/comments/${id}/edit`}>
              {t.comments.edit}
            </a>
          </>
        ) : null}
        {props.moderation ? (
          <ModerationForm slug={slug} id={id} csrf={props.moderation.csrf} held={!!props.held} back="post" words={props.moderation.words} />
        ) : null}
      </footer>
      {mine && props.own?.posted === id ? (
        <p class="notice" role="status">
          {t.comments.posted}
        </p>
      ) : null}
    </article>
  );
}

function CommentItem({
  node,
  depth,
  slug,
  timeZone,
  moderation,
  own,
  t,
}: {
  node: Node;
  depth: number;
  slug: string;
  timeZone: string;
  moderation: Moderation;
  own?: Own;
  t: Messages;
}) {
  const c = node.comment;
  // depth 0..2 are the three levels; everything below the second level is listed on the third.
  const replies = depth === MAX_DEPTH - 2 ? flatten(node.children) : node.children;
  const hasReplies = depth + 1 < MAX_DEPTH;
  return (
    <li class={c.status === "held" ? "comment comment-held" : "comment"} id={`comment-${c.id}`} data-id={c.id}>
      <CommentArticle
        id={c.id}
        author={c.author}
        authorUrl={c.authorUrl}
        createdAt={c.createdAt}
        when={formatDateTime(c.createdAt, timeZone, t.locale)}
        edited={!!c.editedAt}
        slug={slug}
        held={c.status === "held"}
        moderation={moderation}
        own={own}
        t={t}
      >
        <CommentBody doc={c.doc} />
      </CommentArticle>
      {hasReplies ? (
        <ol class="replies" data-depth={depth + 1}>
          {replies.map((r) => (
            <CommentItem node={r} depth={depth + 1} slug={slug} timeZone={timeZone} moderation={moderation} own={own} t={t} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** The markup of a comment that arrives live, for public/live-comments.js to copy and fill in. */
function CommentTemplate({ slug, moderation, t }: { slug: string; moderation: Moderation; t: Messages }) {
  return (
    <template id="comment-template">
      <li class="comment comment-new">
        <CommentArticle id={0} author="" createdAt="" when="" edited slug={slug} moderation={moderation} t={t}>
          {null}
        </CommentArticle>
        <ol class="replies" />
      </li>
    </template>
  );
}

interface SectionProps {
  slug: string;
  comments: CommentView[] | null;
  total: number;
  timeZone: string;
  form: CommentFormState;
  replyTo: CommentView | null;
  moderation: Moderation;
  /** The thread's own key for what it shows (CommentThread.thread): a reader's section is kept by it. */
  threadKey?: string;
  /** The blog's language's words (English when not given). */
  t?: Messages;
}

/** Readers' comment sections, by what they show: the same thread answered again is not rebuilt. */
const readerSections = new MarkupByKey(256);

const sectionKey = (slug: string, timeZone: string, total: number, threadKey: string, t: Messages) =>
  `${slug}\n${timeZone}\n${t.locale}\n${total}\n${threadKey}`;

/** A reader's comment section for this thread key, if this isolate still keeps it. */
export const keptReaderSection = (slug: string, timeZone: string, total: number, threadKey: string, t: Messages = english()) =>
  readerSections.peek(sectionKey(slug, timeZone, total, threadKey, t));

/** The comment section: a reader's (no form state, no moderation) is kept by what the thread shows. */
export function CommentSection(props: SectionProps) {
  const { form } = props;
  const { threadKey } = props;
  if (!threadKey || props.moderation || props.replyTo || props.comments === null || form.values || form.error || form.notice || form.own)
    return <SectionMarkup {...props} />;
  return readerSections.get(sectionKey(props.slug, props.timeZone, props.total, threadKey, props.t ?? english()), () => (
    <SectionMarkup {...props} />
  ));
}

function SectionMarkup(props: SectionProps) {
  const { slug, comments, total, form, replyTo, moderation } = props;
  const t = props.t ?? english();
  const values = form.values ?? {};
  // What the live script writes in this language: counts, the Edit link, a removed comment, dates.
  const words = JSON.stringify({
    locale: t.locale,
    none: t.comments.none,
    count: t.comments.count,
    edit: t.comments.edit,
    removed: t.comments.removed,
  });
  const own: Own | undefined = form.own?.length ? { ids: new Set(form.own), posted: form.posted } : undefined;
  return (
    <section
      class="comments"
      id="comments"
      aria-labelledby="comments-title"
      data-slug={slug}
      data-tz={props.timeZone}
      data-moderate={moderation ? "1" : undefined}
      data-words={isEnglish(t) ? undefined : words}
    >
      <h2 id="comments-title">{t.comments.title}</h2>
      {comments === null ? (
        <p class="notice">{t.comments.unavailable}</p>
      ) : (
        <>
          <p class="comment-count" aria-live="polite">
            {total === 0 ? t.comments.none : counted(t, t.comments.count, total)}
            {comments.length < total ? say(t.comments.showingLatest, { n: number(t, comments.length) }) : ""}
          </p>
          {comments.length < total ? (
            <p class="all-comments">
              <a href={`/posts/${slug}/comments`}>{say(t.comments.readAll, { n: number(t, total) })}</a>
            </p>
          ) : null}
          <ol class="comment-list" data-depth="0">
            {tree(comments).map((node) => (
              <CommentItem node={node} depth={0} slug={slug} timeZone={props.timeZone} moderation={moderation} own={own} t={t} />
            ))}
          </ol>
          <CommentTemplate slug={slug} moderation={moderation} t={t} />
        </>
      )}
      {/* The anchor is this wrapper, not the form: a post's HTML can name no form of the page by id (form="…"). */}
      <div id="comment-form">
        <form class="comment-form" method="post" action={`/posts/${slug}/comments#comment-form`}>
          <Notice message={form.notice} />
          <ErrorNote message={form.error} />
          {replyTo ? (
            <p class="replying">
              {t.comments.replyingTo} <strong>{replyTo.author}</strong> · <a href={`/posts/${slug}#comment-form`}>{t.comments.cancel}</a>
            </p>
          ) : null}
          <input type="hidden" name="parentId" value={replyTo ? String(replyTo.id) : (values.parentId ?? "")} />
          <p>
            <label for="comment-author">{t.comments.name}</label>
            <input
              id="comment-author"
              name="author"
              required
              maxlength={MAX_AUTHOR_LENGTH}
              autocomplete="name"
              value={values.author ?? ""}
            />
          </p>
          <p>
            <label for="comment-email">{t.comments.email}</label>
            <input
              id="comment-email"
              name="email"
              type="email"
              maxlength={MAX_EMAIL_LENGTH}
              autocomplete="email"
              value={values.email ?? ""}
            />
          </p>
          <p class="check">
            <label>
              <input type="checkbox" name="notify" value="1" checked={values.notify === "1"} /> {t.comments.notify}
            </label>
          </p>
          <p class="hp" aria-hidden="true">
            <label for="comment-website">{t.comments.leaveEmpty}</label>
            <input id="comment-website" name="website" tabindex={-1} autocomplete="off" />
          </p>
          <p>
            <label for="comment-body">{t.comments.body}</label>
            <textarea id="comment-body" name="body" required maxlength={MAX_COMMENT_LENGTH} rows={6}>
              {values.body ?? ""}
            </textarea>
          </p>
          <p class="hint">{t.comments.hint}</p>
          <p>
            <button type="submit">{t.comments.submit}</button>
          </p>
        </form>
      </div>
    </section>
  );
}

/** Every published comment of a post, oldest first, a page at a time (for threads too long for the post page). */
export function AllCommentsPage(props: {
  slug: string;
  title: string;
  comments: CommentView[];
  total: number;
  next: number | null;
  timeZone: string;
  t?: Messages;
}) {
  const t = props.t ?? english();
  return (
    <>
      <p>
        <a href={`/posts/${props.slug}`}>{say(t.back.toPost, { title: props.title })}</a>
      </p>
      <h1 class="page-title">{say(t.commentsPage.title, { title: props.title })}</h1>
      <p class="intro">{counted(t, t.commentsPage.intro, props.total)}</p>
      <ol class="comment-list" data-depth="0">
        {props.comments.map((c) => (
          <CommentItem node={{ comment: c, children: [] }} depth={2} slug={props.slug} timeZone={props.timeZone} moderation={null} t={t} />
        ))}
      </ol>
      {props.next !== null ? (
        <nav class="pagination" aria-label={t.listing.pagesLabel}>
          <span />
          <a href={`/posts/${props.slug}/comments?after=${props.next}`} rel="next">
            {t.commentsPage.later}
          </a>
        </nav>
      ) : null}
    </>
  );
}
