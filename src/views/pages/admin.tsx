import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { BlogConfig } from "../../settings";
import type { CommentDoc } from "../../content/comment-markdown";
import type { PostSource } from "../../content/types";
import { CommentBody } from "../../content/comment-html";
import { MAX_SLUG_LENGTH, POST_SLUG_SOURCE } from "../../content/vocabulary";
import { formatDateTime } from "../format";
import { ErrorNote } from "../components/notes";

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

export function SignInPage({ error }: { error?: string }) {
  return (
    <section class="admin">
      <h1 class="page-title">Administration</h1>
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
        A member of this blog? <a href="/signin">Sign in with your email address</a>.
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

/** A comment in the moderation queue; public/admin-live.js fills a copy of the same markup for held comments that arrive live. */
function HeldItem(props: {
  slug: string;
  id: number;
  author: string;
  postTitle: string;
  createdAt: string;
  when: string;
  csrf: string;
  children: Child;
}) {
  return (
    <li id={`held-${props.slug}-${props.id}`}>
      <p>
        <strong class="held-author">{props.author}</strong> on <a href={`/posts/${props.slug}`}>{props.postTitle}</a>,{" "}
        <time datetime={props.createdAt}>{props.when}</time>
      </p>
      <div class="comment-body">{props.children}</div>
      <form method="post" action={`/admin/comments/${props.slug}/${props.id}`}>
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" name="action" value="approve">
          Approve
        </button>{" "}
        <button type="submit" name="action" value="hide">
          Hide
        </button>{" "}
        <button type="submit" name="action" value="delete">
          Delete
        </button>
      </form>
    </li>
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
        <button type="submit" class="secondary">
          Sign out everywhere
        </button>
      </form>
    </>
  );
}

export function Dashboard(props: {
  blog: BlogConfig;
  /** The platform's blogs (on the main blog's dashboard only). */
  blogs: PlatformBlog[] | null;
  /** The latest changes (owners only). */
  activity: { at: string; actor: string; action: string; target: string }[] | null;
  /** What the signed-in person's role allows beyond comments. */
  can: { posts: boolean; settings: boolean; account: boolean };
  csrf: string;
  posts: DashboardPost[];
  counts: Map<string, number>;
  held: HeldComment[];
  subscribers: Record<string, number> | null;
  outbox: { to: string; subject: string; sentAt: string }[] | null;
}) {
  const now = new Date().toISOString();
  const state = (p: DashboardPost) => (p.draft ? "draft" : p.date > now ? "scheduled" : "published");
  return (
    <section class="admin">
      <h1 class="page-title">Administration</h1>
      <div class="admin-actions">
        {props.can.posts ? (
          <a class="button" href="/admin/posts/new">
            New post
          </a>
        ) : null}
        {props.can.settings ? (
          <>
            <a class="button secondary" href="/admin/settings">
              Settings
            </a>
            <a class="button secondary" href="/admin/people">
              People
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
      <h2>Posts</h2>
      {/* A phone scrolls the table, not the page. */}
      <div class="table-scroll">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">State</th>
              <th scope="col">Date</th>
              <th scope="col">Comments</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
      <h2>Comments waiting for moderation</h2>
      <p class="empty-queue" hidden={props.held.length > 0}>
        No comment is waiting.
      </p>
      <ul
        class="moderation"
        id="moderation"
        data-csrf={props.csrf}
        data-slugs={props.posts
          .filter((p) => state(p) === "published")
          .slice(0, 30)
          .map((p) => p.slug)
          .join(" ")}
      >
        {props.held.map((h) => (
          <HeldItem
            slug={h.slug}
            id={h.id}
            author={h.author}
            postTitle={h.postTitle}
            createdAt={h.createdAt}
            when={formatDateTime(h.createdAt, props.blog.timeZone)}
            csrf={props.csrf}
          >
            <CommentBody doc={h.doc} />
          </HeldItem>
        ))}
      </ul>
      <template id="held-template">
        <HeldItem slug="" id={0} author="" postTitle="" createdAt="" when="" csrf={props.csrf}>
          {null}
        </HeldItem>
      </template>
      <script src="/admin-live.js" defer></script>
      <h2>Subscribers</h2>
      {props.subscribers ? (
        <p>
          {props.subscribers.confirmed ?? 0} confirmed, {props.subscribers.pending ?? 0} pending, {props.subscribers.unsubscribed ?? 0}{" "}
          unsubscribed. <a href="/admin/subscribers.csv">Export as CSV</a>
        </p>
      ) : (
        <p class="notice">Subscribers are unavailable right now.</p>
      )}
      {props.blogs ? <BlogsTable blogs={props.blogs} timeZone={props.blog.timeZone} /> : null}
      {props.activity ? (
        <>
          <h2>Activity</h2>
          {props.activity.length ? (
            <ul class="activity">
              {props.activity.map((e) => (
                <li>
                  <time datetime={e.at}>{formatDateTime(e.at, props.blog.timeZone)}</time> {e.actor}: {e.action} {e.target}
                </li>
              ))}
            </ul>
          ) : (
            <p>No change recorded yet.</p>
          )}
          <p>
            <a href="/api/audit">The whole log as JSON</a>
          </p>
        </>
      ) : null}
      <h2>Mail outbox</h2>
      {props.outbox === null ? (
        <p>Unavailable right now.</p>
      ) : (
        <>
          <p>
            {props.outbox.length} message(s) kept by the outbox driver. <a href="/api/admin/outbox">All of them as JSON</a>.
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

/** The operator's view of the platform: every blog, its address and its public posts. */
function BlogsTable({ blogs, timeZone }: { blogs: PlatformBlog[]; timeZone: string }) {
  return (
    <>
      <h2>Blogs on this deployment</h2>
      <div class="table-scroll">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Blog</th>
              <th scope="col">Name</th>
              <th scope="col">Posts</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </div>
      <p>
        Create, list and delete blogs with the operator API: <code>POST /api/admin/blogs</code> (see <a href="/api">the API</a>).
      </p>
    </>
  );
}

/** The confirmation step of Delete (no JavaScript needed): a second, explicit button. */
export function ConfirmDeletePage(props: { csrf: string; slug: string; title: string }) {
  return (
    <section class="admin">
      <h1 class="page-title">Delete “{props.title || props.slug}”?</h1>
      <p>
        Readers get a 404 at its address at once, and it leaves the home page, its tags, the feeds and search. This cannot be undone here;
        to keep it out of sight but not lose it, unpublish it instead.
      </p>
      <form method="post" action={`/admin/posts/${props.slug}`} class="confirm-actions">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" name="action" value="delete" class="danger">
          Delete for good
        </button>
        <a href={`/admin/posts/${props.slug}/edit`}>Cancel, keep the post</a>
      </form>
    </section>
  );
}

export function EditorPage(props: {
  csrf: string;
  source: PostSource;
  isNew: boolean;
  /** The post is published now: Update keeps it so, Unpublish is a separate, explicit action. */
  live?: boolean;
  error?: string;
  preview?: string;
}) {
  const s = props.source;
  const action = props.isNew ? "/admin/posts" : `/admin/posts/${s.slug}`;
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">{props.isNew ? "New post" : `Edit “${s.title}”`}</h1>
      <ErrorNote message={props.error} />
      <div class={props.preview !== undefined ? "editor-split" : "editor-single"}>
        <form method="post" action={action} class="comment-form editor">
          <input type="hidden" name="csrf" value={props.csrf} />
          {props.live ? <input type="hidden" name="live" value="1" /> : null}
          <p>
            <label for="ed-slug">Slug</label>
            <input
              id="ed-slug"
              name="slug"
              value={s.slug}
              required
              readonly={!props.isNew}
              pattern={POST_SLUG_SOURCE}
              maxlength={MAX_SLUG_LENGTH}
            />
          </p>
          <p>
            <label for="ed-title">Title</label>
            <input id="ed-title" name="title" value={s.title} required maxlength={200} />
          </p>
          <p>
            <label for="ed-date">Date (ISO 8601, UTC; a future date schedules the post)</label>
            <input id="ed-date" name="date" value={s.date} required />
          </p>
          <p>
            <label for="ed-tags">Tags (comma-separated)</label>
            <input id="ed-tags" name="tags" value={s.tags.join(", ")} />
          </p>
          <p>
            <label for="ed-author">Author (empty: the blog's)</label>
            <input id="ed-author" name="author" value={s.author ?? ""} maxlength={100} />
          </p>
          <p>
            <label for="ed-summary">Summary (empty: the first paragraph)</label>
            <input id="ed-summary" name="summary" value={s.summary ?? ""} maxlength={500} />
          </p>
          <p>
            <label for="ed-cover">Cover image (a path such as /images/map.svg, or an https:// address)</label>
            <input id="ed-cover" name="cover" value={s.cover ?? ""} maxlength={500} />
          </p>
          <p>
            <label for="ed-markdown">Markdown</label>
            <textarea id="ed-markdown" name="markdown" rows={18}>
              {s.markdown}
            </textarea>
          </p>
          <p class="editor-actions">
            <button type="submit" name="action" value="preview">
              Preview
            </button>{" "}
            {props.live ? (
              <>
                <button type="submit" name="action" value="publish">
                  Update
                </button>{" "}
                <button type="submit" name="action" value="draft" class="secondary">
                  Unpublish
                </button>
              </>
            ) : (
              <>
                <button type="submit" name="action" value="draft">
                  Save draft
                </button>{" "}
                <button type="submit" name="action" value="publish">
                  Publish
                </button>
              </>
            )}
            {props.isNew ? null : (
              <>
                {" "}
                <button type="submit" name="action" value="confirm-delete" class="danger" formnovalidate>
                  Delete…
                </button>
              </>
            )}
          </p>
        </form>
        {props.preview !== undefined ? (
          <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">Preview</h2>
            {/* Editor Markdown, rendered by the same code as publishing. */}
            <article class="post">
              <h1>{s.title}</h1>
              <div class="post-body">{raw(props.preview)}</div>
            </article>
          </section>
        ) : null}
      </div>
    </section>
  );
}
