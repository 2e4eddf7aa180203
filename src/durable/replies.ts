/**
 * Reply mails' consent, kept in the blog's Subscribers object beside its subscribers: a commenter
 * who ticks "Email me when someone replies" confirms their address once for the blog (a signed
 * link, like a subscription), and may stop the mails of one conversation or of the whole blog
 * with one click. Tokens carry a row id, never the address.
 */
import { toBase64url } from "../core/base64url";
import { signToken, verifyToken } from "../core/tokens";
import { CONFIRM_TTL_MS } from "../core/vocabulary";

const ASK = "replies-confirm";
const STOP = "replies-stop";
/** One confirmation mail per address per this long, whatever it comments. */
const ASK_AGAIN_MS = 10 * 60_000;

export const REPLY_MIGRATION = (sql: SqlStorage) => {
  sql.exec(`CREATE TABLE IF NOT EXISTS repliers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    nonce TEXT,
    asked_at INTEGER
  )`);
  sql.exec("CREATE TABLE IF NOT EXISTS reply_stops (replier_id INTEGER NOT NULL, slug TEXT NOT NULL, PRIMARY KEY (replier_id, slug))");
};

type Replier = { id: number; email: string; status: "pending" | "confirmed" | "stopped"; nonce: string | null; asked_at: number | null };

const byEmail = (sql: SqlStorage, email: string) =>
  sql.exec<Replier>("SELECT * FROM repliers WHERE email = ?", email.toLowerCase()).toArray()[0];
const byId = (sql: SqlStorage, id: number) => sql.exec<Replier>("SELECT * FROM repliers WHERE id = ?", id).toArray()[0];

/** A commenter asks for reply mails: a confirmation link to mail, or null (already confirmed, or asked a moment ago). */
export async function askReplies(sql: SqlStorage, secret: string, email: string, now: number): Promise<string | null> {
  sql.exec("INSERT INTO repliers (email, status) VALUES (?, 'pending') ON CONFLICT(email) DO NOTHING", email.toLowerCase());
  const row = byEmail(sql, email)!;
  if (row.status === "confirmed" || (row.asked_at && now - row.asked_at < ASK_AGAIN_MS)) return null;
  const nonce = toBase64url(crypto.getRandomValues(new Uint8Array(12)));
  sql.exec("UPDATE repliers SET status = 'pending', nonce = ?, asked_at = ? WHERE id = ?", nonce, now, row.id);
  return signToken(secret, ASK, `${row.id}.${nonce}`, now + CONFIRM_TTL_MS);
}

/** The address a confirmation link is good for (the latest one asked, while pending); `act`: confirm it. */
export async function confirmReplies(sql: SqlStorage, secret: string, token: string, act: boolean): Promise<string | null> {
  const [id, nonce] = (await verifyToken(secret, ASK, token, Date.now()))?.split(".") ?? [];
  const row = id ? byId(sql, Number(id)) : undefined;
  if (row?.status !== "pending" || !nonce || row.nonce !== nonce) return null;
  if (act) sql.exec("UPDATE repliers SET status = 'confirmed', nonce = NULL WHERE id = ?", row.id);
  return row.email;
}

/** Whether a reply in `slug` may be mailed to `email`: its stop link if so, else null. */
export async function replyConsent(sql: SqlStorage, secret: string, email: string, slug: string): Promise<string | null> {
  const row = byEmail(sql, email);
  if (row?.status !== "confirmed") return null;
  if (sql.exec("SELECT 1 FROM reply_stops WHERE replier_id = ? AND slug = ?", row.id, slug).toArray().length) return null;
  return signToken(secret, STOP, String(row.id), 0);
}

/** One click: no more reply mails about `slug`, or (null) from the blog at all. The address, or null for a bad link. */
export async function stopReplies(
  sql: SqlStorage,
  secret: string,
  token: string,
  slug: string | null,
  act: boolean,
): Promise<string | null> {
  const id = Number(await verifyToken(secret, STOP, token, Date.now()));
  const row = id ? byId(sql, id) : undefined;
  if (!row) return null;
  if (act && slug) sql.exec("INSERT INTO reply_stops (replier_id, slug) VALUES (?, ?) ON CONFLICT DO NOTHING", id, slug);
  if (act && !slug) sql.exec("UPDATE repliers SET status = 'stopped', nonce = NULL WHERE id = ?", id);
  return row.email;
}

/** Forgets an address asked for reply mails (an owner erasing a person's data); whether there was one. */
export function forgetReplier(sql: SqlStorage, email: string): boolean {
  const row = byEmail(sql, email);
  if (!row) return false;
  sql.exec("DELETE FROM reply_stops WHERE replier_id = ?", row.id);
  sql.exec("DELETE FROM repliers WHERE id = ?", row.id);
  return true;
}
