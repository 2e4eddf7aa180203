import { counted, say, sizeText } from "../../core/i18n";
import type { ExportView } from "../../data/exports";
import { useWords } from "../admin-words";
import { AdminSection } from "../components/admin-section";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";

/** `/admin/export` (owners): what an export holds, the button that starts one, and the exports with their state and links. */
export function ExportPage(props: {
  csrf: string;
  exports: (ExportView & { download: string | null })[];
  timeZone: string;
  notice?: string;
  error?: string;
}) {
  const words = useWords();
  const w = words.exports;
  const running = props.exports.some((e) => e.status === "running");
  const when = (iso: string) => formatDateTime(iso, props.timeZone, words.locale);
  const counts = (e: ExportView) => ({
    posts: counted(words, w.posts, e.counts.posts),
    comments: counted(words, w.comments, e.counts.comments),
    images: counted(words, w.images, e.counts.images),
  });
  return (
    <AdminSection title={w.title}>
      <Notice message={props.notice} />
      <ErrorNote message={props.error} />
      <p>{w.text}</p>
      <p class="hint">{w.importHint}</p>
      <form method="post" action="/admin/export">
        <input type="hidden" name="csrf" value={props.csrf} />
        <button type="submit" disabled={running}>
          {w.start}
        </button>
      </form>
      <h2>{w.list}</h2>
      {props.exports.length ? (
        <ul class="exports" aria-live="polite">
          {props.exports.map((e) => (
            <li data-export={e.id} data-status={e.status}>
              <p>
                {e.status === "running"
                  ? say(w.running, counts(e))
                  : e.status === "ready"
                    ? say(w.ready, { size: sizeText(words.locale, e.counts.bytes), ...counts(e) })
                    : e.status === "failed"
                      ? say(w.failed, { error: e.error ?? "" })
                      : w.expired}
              </p>
              {e.download && e.expiresAt ? (
                <p>
                  <a href={e.download} download>
                    {w.download}
                  </a>{" "}
                  <span class="hint">{say(w.until, { date: when(e.expiresAt) })}</span>
                </p>
              ) : null}
              <p class="hint">{say(w.startedBy, { who: e.by, date: when(e.startedAt) })}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{w.none}</p>
      )}
      {running ? (
        <p>
          <a href="/admin/export">{w.refresh}</a>
        </p>
      ) : null}
    </AdminSection>
  );
}
