import { say } from "../../core/i18n";
import type { ErasureState } from "../../data/erasure";
import { useWords } from "../admin-words";
import { AdminSection } from "../components/admin-section";
import { ErrorNote, Notice } from "../components/notes";
import { formatDateTime } from "../format";

/** `/admin/erase` (owners): the address to erase and what becomes of its comments; then how the erasure went. */
export function ErasurePage(props: {
  csrf: string;
  name: string;
  state: ErasureState | null;
  timeZone: string;
  error?: string;
  notice?: string;
}) {
  const words = useWords();
  const w = words.erase;
  const s = props.state;
  const yes = (b: boolean) => (b ? w.yes : w.no);
  return (
    <AdminSection title={w.title}>
      <Notice message={props.notice} />
      <ErrorNote message={props.error} />
      {s ? (
        <p aria-live="polite" data-erasure={s.status}>
          {s.status === "running"
            ? say(w.running, { threads: String(s.counts.threads) })
            : say(w.done, {
                date: formatDateTime(s.finishedAt ?? s.startedAt, props.timeZone, words.locale),
                anonymized: String(s.counts.anonymized),
                deleted: String(s.counts.deleted),
                threads: String(s.counts.threads),
                name: props.name,
                subscriber: yes(s.counts.subscriber),
                replies: yes(s.counts.replies),
              })}{" "}
          {s.status === "running" ? <a href={`/admin/erase?id=${s.id}`}>{w.refresh}</a> : null}
        </p>
      ) : null}
      <p>{w.text}</p>
      <form method="post" action="/admin/erase" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="erase-email">{w.email}</label>
          <input id="erase-email" name="email" type="email" required maxlength={254} autocomplete="off" />
        </p>
        <fieldset>
          <legend>{w.comments}</legend>
          <p class="check">
            <label>
              <input type="radio" name="comments" value="anonymize" checked /> {say(w.anonymize, { name: props.name })}
            </label>
          </p>
          <p class="check">
            <label>
              <input type="radio" name="comments" value="delete" /> {w.delete}
            </label>
          </p>
        </fieldset>
        <p>
          <button type="submit" class="danger">
            {w.button}
          </button>
        </p>
      </form>
    </AdminSection>
  );
}
