import type { Child } from "hono/jsx";
import type { BlogConfig } from "../../settings";
import type { CommentDoc } from "../../core/comment-markdown";
import { CommentBody } from "../../core/comment-html";
import { formatDateTime } from "../format";
import { ErrorNote, Notice } from "../components/notes";
import { ModerationForm } from "../components/moderation";
import { AdminTable } from "../components/admin-table";
import { activityText } from "../activity";
import { SignInByMailPage } from "./signin";
import { useWords } from "../admin-words";
import { counted, type Language, number, say } from "../../core/i18n";
import { LanguageForm, SignOutForms } from "../components/account-forms";
import { sayParts } from "../../core/i18n/parts";

export function DisabledPage() {
  const w = useWords().disabled;
  return (
    <section class="message-page">
      <h1 class="page-title">{w.title}</h1>
      <p>
        {sayParts(w.text, {
          secret: <code>ADMIN_TOKEN</code>,
          command: <code>npx wrangler secret put ADMIN_TOKEN</code>,
          file: <code>.dev.vars</code>,
        })}
      </p>
    </section>
  );
}

/**
 * /admin before signing in: a blogger's way first (their email address, a link is mailed); the
 * operator's token field only at /admin?operator, linked below.
 */
export function SignInPage({ error, operator = false }: { error?: string; operator?: boolean }) {
  if (!operator) return <SignInByMailPage error={error} />;
  const w = useWords().operator;
  return (
    <section class="admin">
      <h1 class="page-title">{w.title}</h1>
      <form method="post" action="/admin/login" class="comment-form">
        <ErrorNote message={error} />
        <p>
          <label for="admin-token">{w.token}</label>
          <input id="admin-token" name="token" type="password" required autocomplete="current-password" />
        </p>
        <p>
          <button type="submit">{w.signIn}</button>
        </p>
      </form>
      <p>{sayParts(w.member, { link: <a href="/admin">{w.memberLink}</a> })}</p>
    </section>
  );
}

export interface DashboardPost {
  slug: string;
  title: string;
  date: string;
  draft: boolean;
  origin: string;
  editedAt: string | null;
}

export interface HeldComment {
  slug: string;
  postTitle: string;
  id: number;
  author: string;
  doc: CommentDoc;
  createdAt: string;
}

/**
 * A comment on the dashboard (waiting, or among the latest published); public/admin-live.js fills
 * a copy of the same markup for comments that arrive live.
 */
function ModerationItem(props: {
  slug: string;
  id: number;
  author: string;
  postTitle: string;
  createdAt: string;
  when: string;
  csrf: string;
  held: boolean;
  children: Child;
}) {
  const w = useWords().moderation;
  return (
    <li id={`${props.held ? "held" : "recent"}-${props.slug}-${props.id}`}>
      <p>
        {sayParts(w.byline, {
          author: <strong class="held-author">{props.author}</strong>,
          post: <a href={`/posts/${props.slug}`}>{props.postTitle}</a>,
          when: <time datetime={props.createdAt}>{props.when}</time>,
        })}
      </p>
      <div class="comment-body">{props.children}</div>
      <ModerationForm slug={props.slug} id={props.id} csrf={props.csrf} held={props.held} back="admin" words={w} />
    </li>
  );
}

/** Comments on the dashboard, each with its moderation buttons. */
function ModerationItems(props: { comments: HeldComment[]; held: boolean; csrf: string; timeZone: string }) {
  const { locale } = useWords();
  return (
    <>
      {props.comments.map((h) => (
        <ModerationItem
          slug={h.slug}
          id={h.id}
          author={h.author}
          postTitle={h.postTitle}
          createdAt={h.createdAt}
          when={formatDateTime(h.createdAt, props.timeZone, locale)}
          csrf={props.csrf}
          held={props.held}
        >
          <CommentBody doc={h.doc} />
        </ModerationItem>
      ))}
    </>
  );
}

/** A blog of the platform as the operator's list shows it. */
export interface PlatformBlog {
  name: string;
  title: string;
  url: string;
  posts: number;
  createdAt: string;
}

export function Dashboard(props: {
  blog: BlogConfig;
  /** The platform's blogs (on the main blog's dashboard only). */
  blogs: { blogs: PlatformBlog[]; total: number } | null;
  /** The latest changes (owners only). */
  activity: { at: string; actor: string; action: string; target: string }[] | null;
  /** What the signed-in person's role allows beyond comments. */
  can: { posts: boolean; settings: boolean; account: boolean };
  csrf: string;
  posts: DashboardPost[];
  counts: Map<string, number>;
  held: HeldComment[];
  /** The latest published comments of the newest posts, newest first. */
  recent: HeldComment[];
  /** Posts deleted in the last 30 days. */
  trash: { slug: string; title: string; deletedAt: string }[];
  notice?: string;
  subscribers: Record<string, number> | null;
  /** The mail kept by the outbox driver (null: unreadable now); absent where mail is really sent. */
  outbox?: { to: string; subject: string; sentAt: string }[] | null;
  /** The operator's choice of language (members make theirs on /admin/me). */
  language?: { chosen: Language | null; browser: Language };
}) {
  const now = new Date().toISOString();
  const state = (p: DashboardPost) => (p.draft ? "draft" : p.date > now ? "scheduled" : "published");
  // The posts whose threads the live queue listens to, with their titles: a comment that arrives live reads like the rest.
  const live = props.posts.filter((p) => state(p) === "published").slice(0, 30);
  const titles = new Map(props.posts.map((p) => [p.slug, p.title]));
  const words = useWords();
  const w = words.dashboard;
  const tz = props.blog.timeZone;
  const when = (iso: string) => formatDateTime(iso, tz, words.locale);
  return (
    <section class="admin">
      <h1 class="page-title">{words.frame.administration}</h1>
      <div class="admin-actions">
        {props.can.posts ? (
          <>
            <a class="button" href="/admin/posts/new">
              {w.newPost}
            </a>
            <a class="button secondary" href="/admin/media">
              {w.media}
            </a>
            <a class="button secondary" href="/admin/stats">
              {w.stats}
            </a>
          </>
        ) : null}
        {props.can.settings ? (
          <>
            <a class="button secondary" href="/admin/settings">
              {w.settings}
            </a>
            <a class="button secondary" href="/admin/people">
              {w.people}
            </a>
            <a class="button secondary" href="/admin/followers">
              {w.followers}
            </a>
          </>
        ) : null}
        {props.can.account ? (
          <a class="button secondary" href="/admin/me">
            {w.account}
          </a>
        ) : null}
        <SignOutForms csrf={props.csrf} />
      </div>
      <Notice message={props.notice} />
      <h2>{w.posts}</h2>
      {props.posts.length === 0 ? (
        <p class="empty-table">
          {props.can.posts ? sayParts(w.noPostsWrite, { link: <a href="/admin/posts/new">{w.writeFirst}</a> }) : w.noPosts}
        </p>
      ) : (
        <AdminTable columns={[w.columns.title, w.columns.state, w.columns.date, w.columns.comments]}>
          {props.posts.map((p) => (
            <tr>
              <td>
                <a href={`/admin/posts/${p.slug}/edit`}>{p.title}</a>
              </td>
              <td>{w.states[state(p)]}</td>
              <td>
                <time datetime={p.date}>{when(p.date)}</time>
              </td>
              <td>{number(words, props.counts.get(p.slug) ?? 0)}</td>
            </tr>
          ))}
        </AdminTable>
      )}
      {props.can.posts ? <TrashList trash={props.trash} csrf={props.csrf} timeZone={props.blog.timeZone} /> : null}
      <h2>{w.waiting}</h2>
      <p class="empty-queue" hidden={props.held.length > 0}>
        {w.noneWaiting}
      </p>
      <ul
        class="moderation"
        id="moderation"
        data-csrf={props.csrf}
        data-slugs={live.map((p) => p.slug).join(" ")}
        data-titles={JSON.stringify(Object.fromEntries(live.map((p) => [p.slug, p.title])))}
        data-time-zone={props.blog.timeZone}
        data-locale={words.locale}
      >
        <ModerationItems comments={props.held} held csrf={props.csrf} timeZone={props.blog.timeZone} />
      </ul>
      <h2>{w.latest}</h2>
      <p class="empty-recent" hidden={props.recent.length > 0}>
        {w.noneYet}
      </p>
      <ul class="moderation" id="recent-comments">
        <ModerationItems comments={props.recent} held={false} csrf={props.csrf} timeZone={props.blog.timeZone} />
      </ul>
      <template id="held-template">
        <ModerationItem slug="" id={0} author="" postTitle="" createdAt="" when="" csrf={props.csrf} held>
          {null}
        </ModerationItem>
      </template>
      <script src="/admin-live.js" defer></script>
      <h2>{w.subscribers}</h2>
      {props.subscribers ? (
        <p>
          {say(w.subscriberCounts, {
            confirmed: number(words, props.subscribers.confirmed ?? 0),
            pending: number(words, props.subscribers.pending ?? 0),
            unsubscribed: number(words, props.subscribers.unsubscribed ?? 0),
          })}
          {props.can.settings ? (
            <>
              {" "}
              <a href="/admin/subscribers">{w.manageSubscribers}</a> · <a href="/admin/subscribers.csv">{w.exportCsv}</a>
            </>
          ) : null}
        </p>
      ) : (
        <p class="notice">{w.subscribersUnavailable}</p>
      )}
      {props.blogs ? <BlogsTable blogs={props.blogs.blogs} total={props.blogs.total} timeZone={props.blog.timeZone} /> : null}
      {props.activity ? (
        <>
          <h2>{w.activity}</h2>
          {props.activity.length ? (
            <ul class="activity">
              {props.activity.map((e) => (
                <li>
                  <time datetime={e.at}>{when(e.at)}</time> {e.actor}: {activityText(words, e.action, e.target, titles)}
                </li>
              ))}
            </ul>
          ) : (
            <p>{w.noActivity}</p>
          )}
          <p>{sayParts(w.fullHistory, { link: <a href="/api/audit">{w.history}</a> })}</p>
        </>
      ) : null}
      {/* Subscribers' addresses: owners only; and only where mail is kept here instead of sent (the outbox driver). */}
      {!props.can.settings || props.outbox === undefined ? null : <h2>{w.outboxTitle}</h2>}
      {!props.can.settings || props.outbox === undefined ? null : props.outbox === null ? (
        <p>{w.unavailable}</p>
      ) : (
        <>
          <p>
            {sayParts(w.outboxText, {
              count: counted(words, w.outboxCount, props.outbox.length),
              link: <a href="/api/admin/outbox">{w.outboxAll}</a>,
            })}
          </p>
          <ul>
            {props.outbox
              .slice(-10)
              .reverse()
              .map((m) => (
                <li>{sayParts(w.outboxLine, { when: <time datetime={m.sentAt}>{when(m.sentAt)}</time>, to: m.to, subject: m.subject })}</li>
              ))}
          </ul>
        </>
      )}
      {props.language ? <LanguageForm csrf={props.csrf} {...props.language} /> : null}
    </section>
  );
}

/** Deleted posts, restorable for 30 days. */
function TrashList(props: { trash: { slug: string; title: string; deletedAt: string }[]; csrf: string; timeZone: string }) {
  const words = useWords();
  const w = words.trash;
  return (
    <>
      <h2 id="trash">{w.title}</h2>
      {props.trash.length ? (
        <>
          <p class="hint">{w.hint}</p>
          <ul class="trash">
            {props.trash.map((t) => (
              <li>
                {sayParts(w.line, {
                  title: <strong>{t.title}</strong>,
                  path: `/posts/${t.slug}`,
                  when: <time datetime={t.deletedAt}>{formatDateTime(t.deletedAt, props.timeZone, words.locale)}</time>,
                })}{" "}
                <form method="post" action={`/admin/trash/${t.slug}`} class="inline-form">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit" name="action" value="restore" class="small">
                    {w.restore}
                  </button>{" "}
                  <button type="submit" name="action" value="purge" class="small danger">
                    {w.purge}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{w.empty}</p>
      )}
    </>
  );
}

/** The operator's view of the platform: the first blogs, their addresses and public posts, and how many there are. */
function BlogsTable({ blogs, total, timeZone }: { blogs: PlatformBlog[]; total: number; timeZone: string }) {
  const words = useWords();
  const w = words.blogs;
  return (
    <>
      <h2>{w.title}</h2>
      <p>{counted(words, total > blogs.length ? w.firstShown : w.count, total, { shown: number(words, blogs.length) })}</p>
      <AdminTable columns={[w.columns.blog, w.columns.name, w.columns.posts, w.columns.created]}>
        {blogs.map((b) => (
          <tr>
            <td>
              <a href={`${b.url}/admin`}>{b.title}</a>
            </td>
            <td>{b.name}</td>
            <td>{number(words, b.posts)}</td>
            <td>
              <time datetime={b.createdAt}>{formatDateTime(b.createdAt, timeZone, words.locale)}</time>
            </td>
          </tr>
        ))}
      </AdminTable>
      <p>{sayParts(w.more, { create: <a href="/create">{w.createLink}</a>, api: <a href="/api">{w.apiLink}</a> })}</p>
    </>
  );
}
