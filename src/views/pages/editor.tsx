import { raw } from "hono/html";
import { toZonedInput } from "../../core/dates";
import type { PostSource } from "../../core/types";
import { MAX_SLUG_LENGTH, POST_SLUG_SOURCE } from "../../core/vocabulary";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";

/** Where a post stands, for the badge at the top of the editor. */
export type PostState =
  | { kind: "new" }
  | { kind: "draft" }
  | { kind: "scheduled"; at: string }
  | { kind: "published"; at: string; updated: string | null };

export function postState(source: PostSource & { editedAt?: string | null }, isNew: boolean, now: string): PostState {
  if (isNew) return { kind: "new" };
  if (source.draft) return { kind: "draft" };
  if (source.date > now) return { kind: "scheduled", at: source.date };
  const edited = source.editedAt && source.editedAt > source.date ? source.editedAt : null;
  return { kind: "published", at: source.date, updated: source.updated ?? edited };
}

/** The badge's words: an edit within the minute the post went out reads as no update ("· updated" with the same time). */
export function stateText(state: PostState, timeZone: string): string {
  const when = (iso: string) => formatDateTime(iso, timeZone);
  switch (state.kind) {
    case "new":
      return "New draft";
    case "draft":
      return "Draft · not public";
    case "scheduled":
      return `Scheduled for ${when(state.at)}`;
    case "published": {
      const updated = state.updated && when(state.updated) !== when(state.at) ? ` · updated ${when(state.updated)}` : "";
      return `Published ${when(state.at)}${updated}`;
    }
  }
}

function StateBadge({ state, timeZone }: { state: PostState; timeZone: string }) {
  const kind = state.kind === "new" ? "draft" : state.kind;
  return <span class={`badge badge-${kind}`}>{stateText(state, timeZone)}</span>;
}

/** What a save did, in the words of the notice shown after it. */
export const SAVED = {
  draft: "Draft saved. It is not public.",
  published: "Published. Readers see it now.",
  updated: "Updated. Readers see the new version now.",
  unpublished: "Unpublished: readers get a 404 until you publish it again. It is a draft now.",
  scheduled: "Scheduled.",
  restored: "Restored from the trash.",
} as const;
export type SavedKind = keyof typeof SAVED;

export interface RevisionLine {
  id: number;
  savedAt: string;
  title: string;
}

export function EditorPage(props: {
  csrf: string;
  source: PostSource & { editedAt?: string | null };
  isNew: boolean;
  /** The post is published now: Update keeps it so, Unpublish is a separate, explicit action. */
  live?: boolean;
  timeZone: string;
  /** The blog's tags, for completion. */
  tags?: string[];
  revisions?: RevisionLine[];
  /** The slug the post is saved under (a draft's slug field may differ until it is saved). */
  savedSlug?: string;
  notice?: string;
  error?: string;
  preview?: string;
}) {
  const s = props.source;
  const saved = props.savedSlug ?? s.slug;
  const action = props.isNew ? "/admin/posts" : `/admin/posts/${saved}`;
  const state = postState(s, props.isNew, new Date().toISOString());
  const tz = props.timeZone;
  // A published post keeps its address; a draft's slug follows its title until it is first published.
  const slugLocked = !props.isNew && props.live;
  return (
    <section class="admin">
      <p>
        <a href="/admin">← Administration</a>
      </p>
      <h1 class="page-title">{props.isNew ? "New post" : `Edit “${s.title}”`}</h1>
      <p class="post-state">
        <StateBadge state={state} timeZone={tz} />
        {state.kind === "scheduled" ? (
          <>
            {" "}
            It will appear on the blog on {formatDateTime(state.at, tz)} ({tz}).
          </>
        ) : null}
        {state.kind === "published" ? (
          <>
            {" "}
            <a href={`/${s.type === "page" ? "pages" : "posts"}/${saved}`}>{s.type === "page" ? "View page" : "View post"}</a>
          </>
        ) : null}
      </p>
      <Notice message={props.notice} />
      <ErrorNote message={props.error} />
      <div class="editor-split">
        <form
          method="post"
          action={action}
          class="comment-form editor"
          id="editor"
          data-csrf={props.csrf}
          data-slug={saved}
          data-new={props.isNew ? "1" : undefined}
          data-slug-locked={slugLocked ? "1" : undefined}
        >
          <input type="hidden" name="csrf" value={props.csrf} />
          {props.live ? <input type="hidden" name="live" value="1" /> : null}
          <p>
            <label for="ed-title">Title</label>
            <input id="ed-title" name="title" value={s.title} required maxlength={200} />
          </p>
          <p>
            <label for="ed-slug">Web address: /posts/… (a page: /pages/…){slugLocked ? " (fixed once published)" : ""}</label>
            <input
              id="ed-slug"
              name="slug"
              value={s.slug}
              required
              readonly={slugLocked}
              pattern={POST_SLUG_SOURCE}
              maxlength={MAX_SLUG_LENGTH}
            />
          </p>
          <div class="field-row">
            <p>
              <label for="ed-type">Kind</label>
              <select id="ed-type" name="type">
                <option value="post" selected={s.type !== "page"}>
                  Post: dated, in the blog's listings, feeds and mails
                </option>
                <option value="page" selected={s.type === "page"}>
                  Page (About, Contact, Legal notice): at /pages/…, in no listing
                </option>
              </select>
            </p>
            <p>
              <label for="ed-comments">Comments on a page</label>
              <select id="ed-comments" name="comments">
                <option value="" selected={!s.comments}>
                  Off
                </option>
                <option value="1" selected={!!s.comments}>
                  Readers may comment
                </option>
              </select>
            </p>
          </div>
          <div class="field-row">
            <p>
              <label for="ed-date">Publication date and time ({tz})</label>
              <input id="ed-date" name="date" type="datetime-local" step={1} value={toZonedInput(s.date, tz)} required />
              <input type="hidden" name="tz" value={tz} />
            </p>
            <p>
              <label for="ed-updated">Updated on (optional)</label>
              <input id="ed-updated" name="updated" type="datetime-local" step={1} value={s.updated ? toZonedInput(s.updated, tz) : ""} />
            </p>
          </div>
          <p>
            <label for="ed-tags">Tags (comma-separated)</label>
            <input id="ed-tags" name="tags" value={s.tags.join(", ")} list="ed-tag-list" autocomplete="off" />
            <datalist id="ed-tag-list">
              {(props.tags ?? []).map((t) => (
                <option value={t} />
              ))}
            </datalist>
          </p>
          <p>
            <label for="ed-author">Author (empty: the blog's)</label>
            <input id="ed-author" name="author" value={s.author ?? ""} maxlength={100} />
          </p>
          <p>
            <label for="ed-summary">Summary (empty: the first paragraph)</label>
            <textarea id="ed-summary" name="summary" rows={2} maxlength={500}>
              {s.summary ?? ""}
            </textarea>
          </p>
          <p>
            <label for="ed-cover">Cover image (an uploaded image, a path such as /images/map.svg, or an https:// address)</label>
            <input id="ed-cover" name="cover" value={s.cover ?? ""} maxlength={500} />
          </p>
          <p class="markdown-field">
            <label for="ed-markdown">Markdown</label>
            <textarea id="ed-markdown" name="markdown" rows={22} class="markdown">
              {s.markdown}
            </textarea>
            <span class="hint">
              Images: paste or drop them here, or upload them in the <a href="/admin/media">media library</a>.
            </span>
          </p>
          <p class="editor-actions">
            <button type="submit" name="action" value="preview" class="secondary" data-nojs-only>
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
                <button type="submit" name="action" value="draft" class="secondary">
                  Save draft
                </button>{" "}
                <button type="submit" name="action" value="publish">
                  Publish
                </button>{" "}
                <button type="submit" name="action" value="schedule" class="secondary">
                  Schedule…
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
          <p class="hint">
            {props.live
              ? "Update changes what readers see now. Unpublish takes the post offline and keeps it as a draft."
              : "Publish puts the post online now. Schedule… publishes it at the date and time above, which must be in the future."}
          </p>
          <p class="autosave-status" aria-live="polite" hidden></p>
        </form>
        <section class="preview" aria-labelledby="preview-title" id="preview" hidden={props.preview === undefined}>
          <h2 id="preview-title">Preview</h2>
          {/* Editor Markdown, rendered by the same code as publishing. */}
          <article class="post">
            <h1 class="preview-heading">{s.title}</h1>
            <div class="post-body">{raw(props.preview ?? "")}</div>
          </article>
        </section>
      </div>
      {props.revisions?.length ? <RevisionList slug={saved} revisions={props.revisions} timeZone={tz} /> : null}
      <script type="module" src="/editor/main.js"></script>
    </section>
  );
}

function RevisionList({ slug, revisions, timeZone }: { slug: string; revisions: RevisionLine[]; timeZone: string }) {
  return (
    <section class="revisions" aria-labelledby="revisions-title">
      <h2 id="revisions-title">Earlier versions</h2>
      <p class="hint">Each save keeps the version it replaces (the last 20). Opening one loads it into the editor; saving restores it.</p>
      <ol>
        {revisions.map((r) => (
          <li>
            <a href={`/admin/posts/${slug}/edit?revision=${r.id}`}>
              <time datetime={r.savedAt}>{formatDateTime(r.savedAt, timeZone)}</time>
            </a>{" "}
            — {r.title}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The confirmation step of Delete (no JavaScript needed): a second, explicit button. */
export function ConfirmDeletePage(props: { csrf: string; slug: string; title: string }) {
  return (
    <section class="admin">
      <h1 class="page-title">Delete “{props.title || props.slug}”?</h1>
      <p>
        Readers get a 404 at its address at once, and it leaves the home page, its tags, the feeds and search. It stays in the trash on the
        dashboard for 30 days, from where you can restore it; after that it is gone for good. To keep it out of sight without deleting it,
        unpublish it instead.
      </p>
      <form method="post" action={`/admin/posts/${props.slug}`} class="confirm-actions">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" name="action" value="delete" class="danger">
          Move to trash
        </button>
        <a href={`/admin/posts/${props.slug}/edit`}>Cancel, keep the post</a>
      </form>
    </section>
  );
}
