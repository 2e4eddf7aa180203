import type { ModerationWords } from "../components/moderation";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { BlogConfig } from "../../settings";
import type { VisiblePost } from "../../data/posts";
import type { CommentView } from "../../core/comments";
import { CommentSection, type CommentFormState } from "../components/comments";
import type { Reactions } from "../../core/comments";
import { SubscribeBox } from "../components/subscribe-box";
import { PostedOn, TagList } from "../components/post-meta";
import { memo } from "../memo";
import { counted, type Messages, messagesFor, say } from "../../core/i18n";
import { english } from "../../core/i18n";
import { getOrMake } from "../../core/maps";

type TocEntry = { id: string; text: string; depth: number };

/** Sub-headings nest under the heading before them, so the numbers run 1, 2, 3 over the main headings only. */
function tocTree(toc: TocEntry[]): (TocEntry & { children: TocEntry[] })[] {
  const out: (TocEntry & { children: TocEntry[] })[] = [];
  for (const h of toc) {
    const last = out.at(-1);
    if (h.depth > 2 && last) last.children.push(h);
    else out.push({ ...h, children: [] });
  }
  return out;
}

/** The post itself and the links to its neighbours: the same for every reader, so built once per post version (views/memo.ts). */
function PostArticle({ post, blog, editable }: { post: VisiblePost; blog: BlogConfig; editable: boolean }) {
  const t = messagesFor(blog.language);
  // A page (About, Legal notice) shows no date, byline, tags or neighbours.
  const page = post.type === "page";
  return (
    <>
      <article class={page ? "post page" : "post"}>
        <header>
          <h1>{post.title}</h1>
          {page ? null : (
            <PostedOn
              date={post.date}
              updated={post.updated}
              author={post.author ?? blog.author}
              readingTime={post.readingTime}
              timeZone={blog.timeZone}
              t={t}
            />
          )}
          {editable ? (
            <p class="edit-link">
              <a href={`/admin/posts/${post.slug}/edit`}>{t.post.editPost}</a>
            </p>
          ) : null}
          {post.cover ? <img class="cover" src={post.cover} alt="" fetchpriority="high" decoding="async" /> : null}
        </header>
        {post.toc?.length ? (
          <nav class="toc" aria-labelledby="toc-title">
            <h2 id="toc-title">{t.post.contents}</h2>
            <ol>
              {tocTree(post.toc).map((h) => (
                <li>
                  <a href={`#${h.id}`}>{h.text}</a>
                  {h.children.length ? (
                    <ol>
                      {h.children.map((s) => (
                        <li>
                          <a href={`#${s.id}`}>{s.text}</a>
                        </li>
                      ))}
                    </ol>
                  ) : null}
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        {/* Editor Markdown, rendered to HTML at publish time: the only raw HTML on the page. */}
        <div class="post-body">{raw(post.html)}</div>
        {page ? null : (
          <footer>
            <TagList tags={post.tags} t={t} />
          </footer>
        )}
      </article>
      {!page && (post.older || post.next) ? (
        <nav class="post-nav" aria-label={t.post.morePosts}>
          {post.older ? (
            <a href={`/posts/${post.older.slug}`} rel="prev">
              <span>{t.post.previous}</span> {post.older.title}
            </a>
          ) : (
            <span />
          )}
          {post.next ? (
            <a href={`/posts/${post.next.slug}`} rel="next">
              <span>{t.post.next}</span> {post.next.title}
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </>
  );
}

/** Markup the same on every post page. */
const STATIC = {};

export function PostPage(props: {
  post: VisiblePost;
  blog: BlogConfig;
  /** A signed-in editor sees "Edit post". */
  editable?: boolean;
  comments: CommentView[] | null;
  commentTotal: number;
  form: CommentFormState;
  replyTo: CommentView | null;
  /** A signed-in moderator, editor or owner: moderation buttons on every comment, held ones shown. */
  moderation?: { csrf: string; words: ModerationWords } | null;
  /** Likes and boosts from the fediverse. */
  reactions?: Reactions | null;
  /** The thread's key (what a reader's comment section is kept by). */
  threadKey?: string;
  /** A reader's comment section as this isolate keeps it, when the thread has not changed since. */
  keptSection?: Child;
}) {
  const { post, blog } = props;
  const editable = !!props.editable;
  const t = messagesFor(blog.language);
  return (
    <>
      {memo(post, `${editable}\n${blog.author}\n${blog.timeZone}\n${t.locale}`, () => (
        <PostArticle post={post} blog={blog} editable={editable} />
      ))}
      {post.type === "page" && !post.comments ? null : (
        <>
          <ReactionLine reactions={props.reactions ?? null} t={t} />
          {post.type === "page" ? null : memo(STATIC, `subscribe\n${t.locale}`, () => <SubscribeBox t={t} />)}
          {props.keptSection ?? (
            <CommentSection
              slug={post.slug}
              comments={props.comments}
              total={props.commentTotal}
              timeZone={blog.timeZone}
              form={props.form}
              replyTo={props.replyTo}
              moderation={props.moderation ?? null}
              threadKey={props.threadKey}
              t={t}
            />
          )}
          <script src="/live-comments.js" defer></script>
        </>
      )}
    </>
  );
}

const lists = new Map<string, Intl.ListFormat>();

/** "3 likes and 1 boost from the fediverse" in the blog's language (nothing while there are none). */
export function ReactionLine({ reactions, t = english() }: { reactions: Reactions | null; t?: Messages }) {
  if (!reactions || (!reactions.like && !reactions.announce)) return null;
  const parts = [
    reactions.like ? counted(t, t.reactions.likes, reactions.like) : null,
    reactions.announce ? counted(t, t.reactions.boosts, reactions.announce) : null,
  ].filter((p): p is string => p !== null);
  const list = getOrMake(lists, t.locale, () => new Intl.ListFormat(t.locale, { type: "conjunction" }));
  return <p class="reactions">{say(t.reactions.fromFediverse, { what: list.format(parts) })}</p>;
}
