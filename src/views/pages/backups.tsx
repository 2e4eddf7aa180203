import { counted, say } from "../../core/i18n";
import type { PointView, RestoreState } from "../../core/backups";
import { useWords } from "../admin-words";
import { AdminSection } from "../components/admin-section";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";

/** What the page says was done: a post or thread put back, a whole restore started (`done`), or refused (`failed`, an error code). */
export interface Outcome {
  done?: { post?: { title: string }; comments?: { restored: boolean }; restore?: unknown };
  point?: string;
  slug?: string;
  failed?: string;
  queued?: boolean;
}

/** `/admin/backups` (owners): the blog's backup points, "Back up now", and restoring a post, its comments or the whole blog. */
export function BackupsPage(
  props: {
    csrf: string;
    blog: string;
    points: PointView[];
    restores: RestoreState[];
    timeZone: string;
  } & Outcome,
) {
  const words = useWords();
  const w = words.backups;
  const when = (iso: string) => formatDateTime(iso, props.timeZone, words.locale);
  const pointDate = (id: string) => {
    const at = props.points.find((p) => p.id === id)?.at;
    return at ? when(at) : id;
  };
  const running = props.restores.some((r) => r.status === "running");
  const { done, slug = "", failed } = props;
  const date = props.point ? pointDate(props.point) : "";
  const notice = done?.restore
    ? w.restoreStarted
    : done?.post
      ? say(w.postRestored, { title: done.post.title, date })
      : done?.comments
        ? say(done.comments.restored ? w.commentsRestored : w.commentsSame, { slug, date })
        : props.queued
          ? w.queued
          : undefined;
  const error =
    failed === "restore_running" ? w.busy : failed === "invalid_input" ? w.wrongName : failed ? say(w.notInPoint, { slug }) : undefined;
  return (
    <AdminSection title={w.title}>
      <Notice message={notice} />
      <ErrorNote message={error} />
      {props.restores.slice(0, 1).map((r) => (
        <p aria-live="polite" data-restore={r.status}>
          {r.status === "running"
            ? say(w.restoreRunning, { date: pointDate(r.point), posts: String(r.counts.posts), threads: String(r.counts.threads) })
            : r.status === "done"
              ? say(w.restoreDone, {
                  date: pointDate(r.point),
                  posts: String(r.counts.posts),
                  threads: String(r.counts.threads),
                  removed: String(r.counts.removed),
                  subscribers: String(r.counts.subscribers),
                })
              : say(w.restoreFailed, { error: r.error ?? "" })}{" "}
          {r.status === "running" ? <a href="/admin/backups">{w.refresh}</a> : null}
        </p>
      ))}
      <p>{w.text}</p>
      <form method="post" action="/admin/backups">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" class="secondary">
          {w.now}
        </button>
      </form>
      <h2>{w.list}</h2>
      {props.points.length ? (
        <ul class="backups">
          {props.points.map((p) => (
            <li data-point={p.id}>
              {when(p.at)} ({w.labels[p.label]}) —{" "}
              {[
                counted(words, w.posts, p.counts.posts),
                counted(words, w.comments, p.counts.comments),
                counted(words, w.subscribers, p.counts.subscribers),
              ].join(", ")}
            </li>
          ))}
        </ul>
      ) : (
        <p>{w.none}</p>
      )}
      {props.points.length ? (
        <form method="post" action="/admin/backups/restore" class="comment-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <p>
            <label for="restore-point">{w.point}</label>
            <select id="restore-point" name="point" required>
              {props.points.map((p) => (
                <option value={p.id}>
                  {when(p.at)} ({w.labels[p.label]})
                </option>
              ))}
            </select>
          </p>
          <fieldset>
            <legend>{w.restorePost}</legend>
            <p class="hint">{w.restorePostText}</p>
            <p>
              <label for="restore-slug">{w.slug}</label>
              <input id="restore-slug" name="slug" maxlength={200} autocomplete="off" spellcheck={false} />
            </p>
            <p>
              <button type="submit" name="what" value="post">
                {w.restorePostButton}
              </button>{" "}
              <button type="submit" name="what" value="comments" class="secondary">
                {w.restoreCommentsButton}
              </button>
            </p>
          </fieldset>
          <fieldset>
            <legend>{w.restoreBlog}</legend>
            <p class="hint">{w.restoreBlogText}</p>
            <p>
              <label for="restore-confirm">{say(w.confirm, { name: props.blog })}</label>
              <input id="restore-confirm" name="confirm" autocomplete="off" spellcheck={false} />
            </p>
            <p>
              <button type="submit" name="what" value="blog" class="danger" disabled={running}>
                {w.restoreBlogButton}
              </button>
            </p>
          </fieldset>
        </form>
      ) : null}
    </AdminSection>
  );
}
