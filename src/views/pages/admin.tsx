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

export function DisabledPage() {
  return (
    <section class="message-page">
      <h1 class="page-title">Administration is disabled</h1>
      <p>
        No <code>ADMIN_TOKEN</code> secret of at least 32 characters is configured, so nobody can sign in. Set one with{" "}
        <code>npx wrangler secret put ADMIN_TOKEN</code> (or in <code>.dev.vars</code> locally).
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
  return (
    <section class="admin">
      <h1 class="page-title">Sign in as the operator</h1>
      <form method="post" action="/admin/login" class="comment-form">
        <ErrorNote message={error} />
        <p>
          <label for="admin-token">Admin token</label>
          <input id="admin-token" name="token" type="password" required autocomplete="current-password" />
        </p>
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
      <p>
        A member of this blog? <a href="/admin">Sign in with your email address</a>.
      </p>
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
  return (
    <li id={`${props.held ? "held" : "recent"}-${props.slug}-${props.id}`}>
      <p>
        <strong class="held-author">{props.author}</strong> on <a href={`/posts/${props.slug}`}>{props.postTitle}</a>,{" "}
        <time datetime={props.createdAt}>{props.when}</time>
      </p>
      <div class="comment-body">{props.children}</div>
      <ModerationForm slug={props.slug} id={props.id} csrf={props.csrf} held={props.held} back="admin" />
    </li>
  );
}

/** Comments on the dashboard, each with its moderation buttons. */
function ModerationItems(props: { comments: HeldComment[]; held: boolean; csrf: string; timeZone: string }) {
  return (
    <>
      {props.comments.map((h) => (
        <ModerationItem
          slug={h.slug}
          id={h.id}
          author={h.author}
          postTitle={h.postTitle}
          createdAt={h.createdAt}
          when={formatDateTime(h.createdAt, props.timeZone)}
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

/** "Sign out" and "Sign out everywhere" (this person's sessions, or the operator's). */
export function SignOutForms({ csrf }: { csrf: string }) {
  return (
    <>
      <form method="post" action="/admin/logout">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
      <form method="post" action="/admin/logout-everywhere">
        <input type="hidden" name="csrf" value={csrf} />
        {/* Less prominent than "Sign out": it ends every session of this person, on every device. */}
        <button type="submit" class="link-button">
          Sign out everywhere
        </button>
      </form>
    </>
  );
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
}) {
  const now = new Date().toISOString();
  const state = (p: DashboardPost) => (p.draft ? "draft" : p.date > now ? "scheduled" : "published");
  // The posts whose threads the live queue listens to, with their titles: a comment that arrives live reads like the rest.
  const live = props.posts.filter((p) => state(p) === "published").slice(0, 30);
  const titles = new Map(props.posts.map((p) => [p.slug, p.title]));
  return (
    <section class="admin">
      <h1 class="page-title">Administration</h1>
      <div class="admin-actions">
        {props.can.posts ? (
          <>
            <a class="button" href="/admin/posts/new">
              New post
            </a>
            <a class="button secondary" href="/admin/media">
              Media
            </a>
          </>
        ) : null}
        {props.can.settings ? (
          <>
            <a class="button secondary" href="/admin/settings">
              Settings
            </a>
            <a class="button secondary" href="/admin/people">
              People
            </a>
            <a class="button secondary" href="/admin/followers">
              Followers
            </a>
          </>
        ) : null}
        {props.can.account ? (
          <a class="button secondary" href="/admin/me">
            Your account
          </a>
        ) : null}
        <SignOutForms csrf={props.csrf} />
      </div>
      <Notice message={props.notice} />
      <h2>Posts</h2>
      {props.posts.length === 0 ? (
        <p class="empty-table">
          No posts yet
          {props.can.posts ? (
            <>
              {" "}
              — <a href="/admin/posts/new">write your first</a>
            </>
          ) : null}
          .
        </p>
      ) : (
        <AdminTable columns={["Title", "State", "Date", "Comments"]}>
          {props.posts.map((p) => (
            <tr>
              <td>
                <a href={`/admin/posts/${p.slug}/edit`}>{p.title}</a>
              </td>
              <td>{state(p)}</td>
              <td>
                <time datetime={p.date}>{formatDateTime(p.date, props.blog.timeZone)}</time>
              </td>
              <td>{props.counts.get(p.slug) ?? 0}</td>
            </tr>
          ))}
        </AdminTable>
      )}
      {props.can.posts ? <TrashList trash={props.trash} csrf={props.csrf} timeZone={props.blog.timeZone} /> : null}
      <h2>Comments waiting for moderation</h2>
      <p class="empty-queue" hidden={props.held.length > 0}>
        No comment is waiting.
      </p>
      <ul
        class="moderation"
        id="moderation"
        data-csrf={props.csrf}
        data-slugs={live.map((p) => p.slug).join(" ")}
        data-titles={JSON.stringify(Object.fromEntries(live.map((p) => [p.slug, p.title])))}
        data-time-zone={props.blog.timeZone}
      >
        <ModerationItems comments={props.held} held csrf={props.csrf} timeZone={props.blog.timeZone} />
      </ul>
      <h2>Latest comments</h2>
      <p class="empty-recent" hidden={props.recent.length > 0}>
        No comment yet.
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
      <h2>Subscribers</h2>
      {props.subscribers ? (
        <p>
          {props.subscribers.confirmed ?? 0} confirmed, {props.subscribers.pending ?? 0} pending, {props.subscribers.unsubscribed ?? 0}{" "}
          unsubscribed.
          {props.can.settings ? (
            <>
              {" "}
              <a href="/admin/subscribers.csv">Export as CSV</a>
            </>
          ) : null}
        </p>
      ) : (
        <p class="notice">Subscribers are unavailable right now.</p>
      )}
      {props.blogs ? <BlogsTable blogs={props.blogs.blogs} total={props.blogs.total} timeZone={props.blog.timeZone} /> : null}
      {props.activity ? (
        <>
          <h2>Activity</h2>
          {props.activity.length ? (
            <ul class="activity">
              {props.activity.map((e) => (
                <li>
                  <time datetime={e.at}>{formatDateTime(e.at, props.blog.timeZone)}</time> {e.actor}:{" "}
                  {activityText(e.action, e.target, titles)}
                </li>
              ))}
            </ul>
          ) : (
            <p>No change recorded yet.</p>
          )}
          <p>
            <a href="/api/audit">The full history</a> (for scripts: JSON, each change with its code)
          </p>
        </>
      ) : null}
      {/* Subscribers' addresses: owners only; and only where mail is kept here instead of sent (the outbox driver). */}
      {!props.can.settings || props.outbox === undefined ? null : <h2>Mail kept here, not sent</h2>}
      {!props.can.settings || props.outbox === undefined ? null : props.outbox === null ? (
        <p>Unavailable right now.</p>
      ) : (
        <>
          <p>
            This blog keeps its mail instead of sending it (no mail provider is set up):{" "}
            {props.outbox.length === 1 ? "1 message" : `${props.outbox.length} messages`}. <a href="/api/admin/outbox">All of them</a>.
          </p>
          <ul>
            {props.outbox
              .slice(-10)
              .reverse()
              .map((m) => (
                <li>
                  <time datetime={m.sentAt}>{formatDateTime(m.sentAt, props.blog.timeZone)}</time> to {m.to}: {m.subject}
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Deleted posts, restorable for 30 days. */
function TrashList(props: { trash: { slug: string; title: string; deletedAt: string }[]; csrf: string; timeZone: string }) {
  return (
    <>
      <h2 id="trash">Trash</h2>
      {props.trash.length ? (
        <>
          <p class="hint">Deleted posts stay here for 30 days, then they are gone for good.</p>
          <ul class="trash">
            {props.trash.map((t) => (
              <li>
                <strong>{t.title}</strong> (/posts/{t.slug}), deleted{" "}
                <time datetime={t.deletedAt}>{formatDateTime(t.deletedAt, props.timeZone)}</time>{" "}
                <form method="post" action={`/admin/trash/${t.slug}`} class="inline-form">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit" name="action" value="restore" class="small">
                    Restore
                  </button>{" "}
                  <button type="submit" name="action" value="purge" class="small danger">
                    Delete for good
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>The trash is empty.</p>
      )}
    </>
  );
}

/** The operator's view of the platform: the first blogs, their addresses and public posts, and how many there are. */
function BlogsTable({ blogs, total, timeZone }: { blogs: PlatformBlog[]; total: number; timeZone: string }) {
  return (
    <>
      <h2>Blogs on this deployment</h2>
      <p>
        {new Intl.NumberFormat("en").format(total)} {total === 1 ? "blog" : "blogs"}
        {total > blogs.length ? `; the first ${blogs.length} are shown` : ""}.
      </p>
      <AdminTable columns={["Blog", "Name", "Posts", "Created"]}>
        {blogs.map((b) => (
          <tr>
            <td>
              <a href={`${b.url}/admin`}>{b.title}</a>
            </td>
            <td>{b.name}</td>
            <td>{b.posts}</td>
            <td>
              <time datetime={b.createdAt}>{formatDateTime(b.createdAt, timeZone)}</time>
            </td>
          </tr>
        ))}
      </AdminTable>
      <p>
        People make their own blogs with <a href="/create">+ Create my blog</a>. The whole list, search by name, deletion and sign-ups per
        day are in <a href="/api">the operator API</a>.
      </p>
    </>
  );
}
