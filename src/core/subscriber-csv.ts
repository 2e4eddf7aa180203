/**
 * Subscriber lists from other platforms' exports (Substack, Ghost, WordPress.com, Mailchimp, or
 * any CSV with an email column): the addresses, each row's problem by its line, and the rows the
 * export itself marks as not subscribed. Shared by the administration and `npm run import`.
 */
import { federationService } from "./services";
import { MAX_EMAIL_LENGTH } from "./vocabulary";

/** The column names (lower case, letters and digits only) that hold the address, best first. */
const EMAIL_COLUMNS = ["email", "emailaddress", "subscriberemail", "useremail", "mail", "courriel"];

/**
 * Columns by which an export says a row no longer wants mail, and the values that say so: Ghost's
 * `subscribed_to_emails` (false), Substack's `email_disabled` (true), Mailchimp's `status`
 * (unsubscribed, cleaned). Such rows are left out, never imported as subscribed.
 */
const NOT_SUBSCRIBED: Record<string, RegExp> = {
  subscribedtoemails: /^(false|no|0)$/i,
  emaildisabled: /^(true|yes|1)$/i,
  status: /^(unsubscribed|cleaned|bounced|deleted)$/i,
};

/** At most this many rows in one import (a bigger list is several files). */
export const MAX_IMPORT_ROWS = 50_000;

/** A row's problem, by kind (the administration words it in the person's language; `describeProblem` in English). */
export interface CsvProblem {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  kind: "empty" | "tooLong" | "notEmail";
  /** What the row had, cut to 80 characters. */
  value: string;
}

/** A file that cannot be read as a list, by kind. */
export type CsvFailure =
  | { failure: "empty" }
  | { failure: "noColumn"; columns: string }
  | { failure: "tooMany"; rows: number; max: number };

/** A problem in English, for scripts and the API. */
export function describeProblem(p: CsvProblem): string {
  if (p.kind === "empty") return `line ${p.line}: no email address`;
  if (p.kind === "tooLong") return `line ${p.line}: the address is longer than ${MAX_EMAIL_LENGTH} characters`;
  return `line ${p.line}: “${p.value}” is not an email address`;
}

export function describeFailure(f: CsvFailure): string {
  if (f.failure === "empty") return "The file is empty.";
  if (f.failure === "noColumn") return `No column of email addresses in the first line (${f.columns}): name it "email".`;
  return `The file has ${f.rows} rows; import at most ${f.max} at a time.`;
}

export interface SubscriberList {
  /** The header of the column the addresses were read from. */
  column: string;
  /** Each address once, lower case, in the file's order. */
  emails: string[];
  problems: CsvProblem[];
  /** Rows whose address was already in the file. */
  duplicates: number;
  /** Rows the export marks as unsubscribed (or bounced), left out. */
  notSubscribed: number;
}

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF), each with the line it starts on. */
export function csvRows(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length) {
    cells.push(cell);
    rows.push({ line: start, cells });
  }
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
}

const columnKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** An address as the subscription form takes it (the same shape `z.email()` accepts, kept simple). */
const EMAIL = /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

function emailProblem(address: string): CsvProblem["kind"] | null {
  if (address === "") return "empty";
  if (address.length > MAX_EMAIL_LENGTH) return "tooLong";
  if (!EMAIL.test(address)) return "notEmail";
  return null;
}

/**
 * Reads an export. Fails (`failure`) when the file has no column of addresses or too many rows;
 * otherwise every row is either an address, a duplicate, a row the export marks as not
 * subscribed, or a problem named by its line.
 */
export function readSubscriberCsv(text: string): SubscriberList | CsvFailure {
  const rows = csvRows(text);
  const header = rows.shift();
  if (!header) return { failure: "empty" };
  const keys = header.cells.map(columnKey);
  let at = -1;
  for (const wanted of EMAIL_COLUMNS) {
    at = keys.indexOf(wanted);
    if (at >= 0) break;
  }
  // "Email Address", "E-mail" … any one column that speaks of email.
  if (at < 0) {
    const speaking = keys.flatMap((k, i) => (k.includes("email") || k.includes("mail") ? [i] : []));
    if (speaking.length === 1) at = speaking[0]!;
  }
  if (at < 0) return { failure: "noColumn", columns: header.cells.slice(0, 8).join(", ").slice(0, 200) };
  if (rows.length > MAX_IMPORT_ROWS) return { failure: "tooMany", rows: rows.length, max: MAX_IMPORT_ROWS };
  const flags = Object.entries(NOT_SUBSCRIBED).flatMap(([key, says]) => {
    const i = keys.indexOf(key);
    return i >= 0 ? [{ i, says }] : [];
  });
  const seen = new Set<string>();
  const out: SubscriberList = { column: header.cells[at]!.trim(), emails: [], problems: [], duplicates: 0, notSubscribed: 0 };
  for (const row of rows) {
    const address = (row.cells[at] ?? "").trim().toLowerCase();
    if (flags.some(({ i, says }) => says.test((row.cells[i] ?? "").trim()))) {
      out.notSubscribed++;
      continue;
    }
    const problem = emailProblem(address);
    if (problem) out.problems.push({ line: row.line, kind: problem, value: address.slice(0, 80) });
    else if (seen.has(address)) out.duplicates++;
    else {
      seen.add(address);
      out.emails.push(address);
    }
  }
  return out;
}

/** A list as the federation worker reads it for the administration (its Exporter entrypoint), with the English words of its problems. */
export type ReadList = (SubscriberList & { described: string[] }) | (CsvFailure & { message: string });

/** Reads a list and words its problems in English: what the reader asks of the worker beside it (the parser stays out of its bundle). */
export function readDescribed(text: string): ReadList {
  const list = readSubscriberCsv(text);
  return "failure" in list ? { ...list, message: describeFailure(list) } : { ...list, described: list.problems.map(describeProblem) };
}

/** The reader's binding to that entrypoint. */
export const csvReader = (env: object) => federationService<{ readSubscriberCsv(text: string): Promise<ReadList> }>(env, "EXPORTER");
