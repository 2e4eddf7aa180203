import { AdminSection } from "../components/admin-section";
import { counted, number, say } from "../../core/i18n";
import type { CsvFailure, CsvProblem } from "../../core/subscriber-csv";
import { useWords } from "../admin-words";
import { Notice } from "../components/notes";

/** What an import did, as the page tells it. */
export interface ImportReport {
  column: string;
  added: number;
  kept: number;
  unsubscribedBefore: number;
  duplicates: number;
  notSubscribed: number;
  /** Rows left out for their problems (only when the owner chose to import the rest). */
  skipped: CsvProblem[];
}

/** What refused an import: the file itself, or rows with problems (nothing imported). */
/** `message`, `described`: the file's or rows' problems in English, for the API. */
export type ImportRefusal =
  | (CsvFailure & { message: string })
  | { failure: "noFile" }
  | { failure: "problems"; problems: CsvProblem[]; described: string[] };

const SHOWN_PROBLEMS = 50;

/** A refusal's sentence, and the rows named by line when rows refused it. */
function Refusal({ refusal }: { refusal: ImportRefusal }) {
  const words = useWords();
  const w = words.subscribers;
  const n = (x: number) => number(words, x);
  const f = refusal.failure;
  const text =
    f === "problems"
      ? counted(words, w.refused, refusal.problems.length)
      : f === "noColumn"
        ? say(w.noColumn, { columns: refusal.columns })
        : f === "tooMany"
          ? say(w.tooMany, { rows: n(refusal.rows), max: n(refusal.max) })
          : w[f];
  return (
    <div class="error" role="alert">
      <p>{text}</p>
      {f === "problems" ? <Problems problems={refusal.problems} /> : null}
    </div>
  );
}

function Problems({ problems }: { problems: CsvProblem[] }) {
  const words = useWords();
  const w = words.subscribers;
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => say(w.problems[p.kind], { line: number(words, p.line), value: p.value }));
  if (problems.length > SHOWN_PROBLEMS) shown.push(say(w.more, { n: number(words, problems.length - SHOWN_PROBLEMS) }));
  return (
    <ul class="import-problems">
      {shown.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
  );
}

/** The owners' page of the blog's subscribers: the counts, the export, and importing a list from elsewhere. */
export function SubscribersPage(props: {
  csrf: string;
  counts: Record<string, number> | null;
  /** Imported addresses still to be asked to confirm. */
  due: number;
  /** Confirmation mails per minute while an import's are going out. */
  step: number;
  report?: ImportReport;
  refusal?: ImportRefusal;
}) {
  const words = useWords();
  const w = words.subscribers;
  const d = words.dashboard;
  const n = (x: number) => number(words, x);
  return (
    <AdminSection title={w.title}>
      {props.report ? (
        <Notice>
          {say(w.imported, {
            column: props.report.column,
            added: n(props.report.added),
            kept: n(props.report.kept),
            unsubscribedBefore: n(props.report.unsubscribedBefore),
            duplicates: n(props.report.duplicates),
            notSubscribed: n(props.report.notSubscribed),
          })}
        </Notice>
      ) : null}
      {props.report?.skipped.length ? (
        <div class="notice">
          <p>{counted(words, w.skipped, props.report.skipped.length)}</p>
          <Problems problems={props.report.skipped} />
        </div>
      ) : null}
      {props.refusal ? <Refusal refusal={props.refusal} /> : null}
      {props.counts ? (
        <p>
          {say(d.subscriberCounts, {
            confirmed: n(props.counts.confirmed ?? 0),
            pending: n(props.counts.pending ?? 0),
            unsubscribed: n(props.counts.unsubscribed ?? 0),
          })}{" "}
          <a href="/admin/subscribers.csv">{d.exportCsv}</a> · <a href="/admin/erase">{words.erase.link}</a>
        </p>
      ) : (
        <p class="notice">{d.subscribersUnavailable}</p>
      )}
      {props.due ? <p class="hint">{counted(words, w.due, props.due, { step: n(props.step) })}</p> : null}
      <h2>{w.importTitle}</h2>
      <p class="hint">{w.importHint}</p>
      <form method="post" action="/admin/subscribers" enctype="multipart/form-data" class="comment-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <p>
          <label for="import-file">{w.file}</label>
          <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
        </p>
        <fieldset>
          <legend>{w.consent}</legend>
          <p>
            <label>
              <input type="radio" name="consent" value="yes" required /> {w.consented}
            </label>
          </p>
          <p>
            <label>
              <input type="radio" name="consent" value="ask" checked /> {w.askThem}
            </label>
          </p>
        </fieldset>
        <p>
          <label>
            <input type="checkbox" name="skipProblems" value="1" /> {w.skip}
          </label>
        </p>
        <p>
          <button type="submit">{w.button}</button>
        </p>
      </form>
    </AdminSection>
  );
}
