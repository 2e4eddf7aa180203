import { AdminSection } from "../components/admin-section";
import { raw } from "hono/html";
import { toZonedInput } from "../../core/dates";
import type { PostSource } from "../../core/types";
import { MAX_SLUG_LENGTH, POST_SLUG_SOURCE } from "../../core/vocabulary";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";
import { useWords } from "../admin-words";
import { type AdminMessages, counted, number, say } from "../../core/i18n";
import type { SendStatus } from "../../durable/subscribers";
import { sayParts } from "../../core/i18n/parts";

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
export function stateText(words: AdminMessages, state: PostState, timeZone: string): string {
  const w = words.editor.badge;
  const when = (iso: string) => formatDateTime(iso, timeZone, words.locale);
  switch (state.kind) {
    case "new":
      return w.new;
    case "draft":
      return w.draft;
    case "scheduled":
      return say(w.scheduled, { when: when(state.at) });
    case "published": {
      const updated = state.updated && when(state.updated) !== when(state.at) ? when(state.updated) : null;
      return updated ? say(w.updated, { when: when(state.at), updated }) : say(w.published, { when: when(state.at) });
    }
  }
}

/** Where a post's mailing to the subscribers stands. */
export function mailingText(words: AdminMessages, m: SendStatus): string {
  const w = words.editor.mail;
  if (m.state === "queued") return w.queued;
  if (m.state === "sending") return say(w.sending, { sent: number(words, m.sent), remaining: number(words, m.remaining) });
  if (m.state === "failed") return say(w.failed, { failed: number(words, m.failed), error: m.error ?? "?" });
  if (m.state === "off") return w.off;
  return counted(words, w.sent, m.sent);
}

function StateBadge({ state, timeZone }: { state: PostState; timeZone: string }) {
  const kind = state.kind === "new" ? "draft" : state.kind;
  return <span class={`badge badge-${kind}`}>{stateText(useWords(), state, timeZone)}</span>;
}

/** What a save did: the kinds of notice shown after it (their words: the catalog's `saved`). */
export const SAVED_KINDS = ["draft", "published", "updated", "unpublished", "scheduled", "restored"] as const;
export type SavedKind = (typeof SAVED_KINDS)[number];

/** JSON for a <script type="application/json"> block: nothing in it can close the element. */
const scriptJson = (data: unknown) => JSON.stringify(data).replace(/</g, "\\u003c");

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
  /** Whether the box "Email to subscribers" is ticked: the post's choice, else the blog's. */
  emailOn?: boolean;
  /** The post's mailing so far, if it has one. */
  mailing?: SendStatus | null;
  /** Its views in the last 30 days (published posts and pages, where statistics are counted). */
  views?: number | null;
}) {
  const s = props.source;
  const saved = props.savedSlug ?? s.slug;
  const action = props.isNew ? "/admin/posts" : `/admin/posts/${saved}`;
  const state = postState(s, props.isNew, new Date().toISOString());
  const tz = props.timeZone;
  // A published post keeps its address; a draft's slug follows its title until it is first published.
  const slugLocked = !props.isNew && props.live;
  const words = useWords();
  const w = words.editor;
  return (
    <AdminSection title={props.isNew ? w.newPost : say(w.editTitle, { title: s.title })}>
      {/* The rich editor (public/editor/modes.js loads it) fetched and compiled while the page is read. */}
      <link rel="modulepreload" href="/editor/rich.js" />
      <p class="post-state">
        <StateBadge state={state} timeZone={tz} />
        {state.kind === "scheduled" ? <> {say(w.willAppear, { when: formatDateTime(state.at, tz, words.locale), zone: tz })}</> : null}
        {state.kind === "published" ? (
          <>
            {" "}
            <a href={`/${s.type === "page" ? "pages" : "posts"}/${saved}`}>{s.type === "page" ? w.viewPage : w.viewPost}</a>
          </>
        ) : null}
        {typeof props.views === "number" ? (
          <>
            {" · "}
            <a href="/admin/stats">{counted(words, words.stats.postViews, props.views)}</a>
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
            <label for="ed-title">{w.title}</label>
            <input id="ed-title" name="title" value={s.title} required maxlength={200} />
          </p>
          <p>
            <label for="ed-slug">{slugLocked ? w.slugFixed : w.slug}</label>
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
              <label for="ed-type">{w.kind}</label>
              <select id="ed-type" name="type">
                <option value="post" selected={s.type !== "page"}>
                  {w.kindPost}
                </option>
                <option value="page" selected={s.type === "page"}>
                  {w.kindPage}
                </option>
              </select>
            </p>
            <p>
              <label for="ed-comments">{w.pageComments}</label>
              <select id="ed-comments" name="comments">
                <option value="" selected={!s.comments}>
                  {w.commentsOff}
                </option>
                <option value="1" selected={!!s.comments}>
                  {w.commentsOn}
                </option>
              </select>
            </p>
          </div>
          <div class="field-row">
            <p>
              <label for="ed-date">{say(w.date, { zone: tz })}</label>
              <input id="ed-date" name="date" type="datetime-local" step={1} value={toZonedInput(s.date, tz)} required />
              <input type="hidden" name="tz" value={tz} />
            </p>
            <p>
              <label for="ed-updated">{w.updated}</label>
              <input id="ed-updated" name="updated" type="datetime-local" step={1} value={s.updated ? toZonedInput(s.updated, tz) : ""} />
            </p>
          </div>
          <p>
            <label for="ed-tags">{w.tags}</label>
            <input id="ed-tags" name="tags" value={s.tags.join(", ")} list="ed-tag-list" autocomplete="off" />
            <datalist id="ed-tag-list">
              {(props.tags ?? []).map((t) => (
                <option value={t} />
              ))}
            </datalist>
          </p>
          <p>
            <label for="ed-author">{w.author}</label>
            <input id="ed-author" name="author" value={s.author ?? ""} maxlength={100} />
          </p>
          <p>
            <label for="ed-summary">{w.summary}</label>
            <textarea id="ed-summary" name="summary" rows={2} maxlength={500}>
              {s.summary ?? ""}
            </textarea>
          </p>
          <p>
            <label for="ed-cover">{w.cover}</label>
            <input id="ed-cover" name="cover" value={s.cover ?? ""} maxlength={500} />
          </p>
          <p class="markdown-field">
            <label for="ed-markdown">{w.markdown}</label>
            <textarea id="ed-markdown" name="markdown" rows={22} class="markdown">
              {s.markdown}
            </textarea>
            <span class="hint">{sayParts(w.imagesHint, { link: <a href="/admin/media">{w.mediaLink}</a> })}</span>
          </p>
          {s.type !== "page" ? (
            <fieldset class="mail-field">
              <input type="hidden" name="emailShown" value="1" />
              <label>
                <input type="checkbox" name="email" value="1" checked={props.emailOn ?? true} /> {w.mail.label}
              </label>
              {props.mailing ? (
                <p class="hint" role="status">
                  {mailingText(words, props.mailing)}
                </p>
              ) : null}
              <p>
                <button type="submit" name="action" value="test-mail" class="secondary">
                  {w.mail.test}
                </button>
                {props.mailing?.state === "failed" ? (
                  <>
                    {" "}
                    <button type="submit" name="action" value="retry-mail" class="secondary">
                      {w.mail.retry}
                    </button>
                  </>
                ) : null}
              </p>
            </fieldset>
          ) : null}
          <p class="editor-actions">
            <button type="submit" name="action" value="preview" class="secondary" data-nojs-only>
              {w.preview}
            </button>{" "}
            {props.live ? (
              <>
                <button type="submit" name="action" value="publish">
                  {w.update}
                </button>{" "}
                <button type="submit" name="action" value="draft" class="secondary">
                  {w.unpublish}
                </button>
              </>
            ) : (
              <>
                <button type="submit" name="action" value="draft" class="secondary">
                  {w.saveDraft}
                </button>{" "}
                <button type="submit" name="action" value="publish">
                  {w.publish}
                </button>{" "}
                <button type="submit" name="action" value="schedule" class="secondary">
                  {w.schedule}
                </button>
              </>
            )}
            {props.isNew ? null : (
              <>
                {" "}
                <button type="submit" name="action" value="confirm-delete" class="danger" formnovalidate>
                  {w.delete}
                </button>
              </>
            )}
          </p>
          <p class="hint">{props.live ? w.liveHint : w.draftHint}</p>
          <p class="autosave-status" aria-live="polite" hidden></p>
        </form>
        <section class="preview" aria-labelledby="preview-title" id="preview" hidden={props.preview === undefined}>
          <h2 id="preview-title">{w.preview}</h2>
          {/* Editor Markdown, rendered by the same code as publishing. */}
          <article class="post">
            <h1 class="preview-heading">{s.title}</h1>
            <div class="post-body">{raw(props.preview ?? "")}</div>
          </article>
        </section>
      </div>
      {props.revisions?.length ? <RevisionList slug={saved} revisions={props.revisions} timeZone={tz} /> : null}
      {/* The scripts' words, as data (public/editor/context.js reads them). */}
      <script type="application/json" id="editor-words">
        {raw(scriptJson(words.client))}
      </script>
      <script type="module" src="/editor/main.js"></script>
    </AdminSection>
  );
}

function RevisionList({ slug, revisions, timeZone }: { slug: string; revisions: RevisionLine[]; timeZone: string }) {
  const words = useWords();
  return (
    <section class="revisions" aria-labelledby="revisions-title">
      <h2 id="revisions-title">{words.editor.revisions}</h2>
      <p class="hint">{words.editor.revisionsHint}</p>
      <ol>
        {revisions.map((r) => (
          <li>
            <a href={`/admin/posts/${slug}/edit?revision=${r.id}`}>
              <time datetime={r.savedAt}>{formatDateTime(r.savedAt, timeZone, words.locale)}</time>
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
  const w = useWords().confirmDelete;
  return (
    <section class="admin">
      <h1 class="page-title">{say(w.title, { title: props.title || props.slug })}</h1>
      <p>{w.text}</p>
      <form method="post" action={`/admin/posts/${props.slug}`} class="confirm-actions">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" name="action" value="delete" class="danger">
          {w.move}
        </button>
        <a href={`/admin/posts/${props.slug}/edit`}>{w.cancel}</a>
      </form>
    </section>
  );
}
