import { DurableObject } from "cloudflare:workers";
import { toBase64url } from "../core/base64url";
import { signToken, verifyToken } from "../core/tokens";
import { CONFIRM_TTL_MS } from "../core/vocabulary";
import { ipBucket } from "../core/net";
import { type Failure, failure, type Result } from "../errors";
import { migrate, storedSecret, wipe } from "./sqlite";
import type { BackupSubscriber } from "../core/backups";
import { contentValidator } from "../core/hash";
import { askReplies, confirmReplies, forgetReplier, REPLY_MIGRATION, replyConsent, stopReplies } from "./replies";

export type SubscriberStatus = "pending" | "confirmed" | "unsubscribed";

/** A post to announce, as the scheduled handler found it. */
export interface Announceable {
  slug: string;
  title: string;
  summary: string;
  date: string;
}

/** One mail to send: a post to one confirmed subscriber. */
export interface Delivery {
  slug: string;
  subscriberId: number;
  email: string;
  unsubscribeToken: string;
}

/** A message kept by the `outbox` mail driver. */
export interface OutboxMessage {
  /** The sender as a provider would send it: the blog's title and MAIL_FROM's address. */
  from?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  sentAt: string;
}

export type SubscribeResult = Result<{ action: "confirm"; confirmToken: string } | { action: "none" }>;

const CONFIRM_RESEND_MS = 10 * 60_000;
const CLAIM_LEASE_MS = 5 * 60_000;
const IP_WINDOW_MS = 10 * 60_000;
const IP_LIMIT = 5;
/** Subscription requests the blog takes per window from all addresses together. */
const BLOG_REQUESTS = 100;
/** Confirmation mails the blog sends per window: a ceiling that keeps it from becoming a mail cannon. */
const BLOG_CONFIRM_MAILS = 50;
const OUTBOX_KEEP = 1000;

const CONFIRM = "subscription-confirm";
/** Imported addresses whose confirmation mail is due: never sent, or claimed by a run that did not finish (the parameter: the lease's start). */
const DUE = "status = 'pending' AND (confirm_due = 1 OR (confirm_due = 2 AND confirm_claimed < ?))";
const UNSUBSCRIBE = "unsubscribe";

const MIGRATIONS = [
  (sql: SqlStorage) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS subscribers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      confirmed_at TEXT,
      unsubscribed_at TEXT,
      last_confirm_mail INTEGER
    )`);
    sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      slug TEXT NOT NULL,
      subscriber_id INTEGER NOT NULL,
      state TEXT NOT NULL,
      claimed_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      sent_at TEXT,
      PRIMARY KEY (slug, subscriber_id)
    )`);
    sql.exec("CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT NOT NULL)");
    sql.exec("CREATE TABLE IF NOT EXISTS ip_hits (ip TEXT NOT NULL, at INTEGER NOT NULL)");
  },
  // v2: confirmation links carry a nonce; only the latest request's link confirms.
  (sql: SqlStorage) => {
    sql.exec("ALTER TABLE subscribers ADD COLUMN confirm_nonce TEXT");
  },
  // v3: imported addresses that still have to be asked to confirm (the jobs queue mails them).
  // 1: due; 2: claimed at confirm_claimed (ms), due again if not settled within CLAIM_LEASE_MS.
  (sql: SqlStorage) => {
    sql.exec("ALTER TABLE subscribers ADD COLUMN confirm_due INTEGER NOT NULL DEFAULT 0");
    sql.exec("ALTER TABLE subscribers ADD COLUMN confirm_claimed INTEGER");
  },
  // v4: each post's mailing to the subscribers, as its editor shows it (the deliveries say who got it).
  (sql: SqlStorage) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS sends (
      slug TEXT PRIMARY KEY,
      post_date TEXT NOT NULL,
      state TEXT NOT NULL,
      failed INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      updated_at TEXT NOT NULL
    )`);
  },
  // v5: commenters' consent to reply mails (durable/replies.ts).
  REPLY_MIGRATION,
];

/** A post's mailing: queued, sending, sent, failed (for `failed` subscribers, with the provider's `error`), or off (the post said not to). */
export interface SendStatus {
  state: "queued" | "sending" | "sent" | "failed" | "off";
  sent: number;
  /** Confirmed subscribers still to get it. */
  remaining: number;
  failed: number;
  error: string | null;
  updatedAt: string;
}

/** What an import did, address by address. */
export interface ImportResult {
  /** New addresses. */
  added: number;
  /** Already subscribed (or, for a list that consented, already waiting and now confirmed). */
  kept: number;
  /** Addresses that unsubscribed here once: an import never subscribes them again. */
  unsubscribedBefore: number;
  /** Addresses now waiting for their confirmation mail. */
  toConfirm: number;
}

type Row = {
  id: number;
  email: string;
  status: SubscriberStatus;
  confirmed_at: string | null;
  last_confirm_mail: number | null;
  confirm_nonce?: string | null;
};

/**
 * The blog's subscribers: double opt-in state, signed tokens, delivery records (so each post
 * reaches each subscriber once) and the development outbox. Addresses never leave it except
 * as mail recipients.
 */
export class Subscribers extends DurableObject<Env> {
  private sql: SqlStorage;
  private secretValue: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, MIGRATIONS));
  }

  /**
   * Forgets an address for good (an owner erasing a person's data on request): the subscriber,
   * their deliveries, their consent to reply mails, and the development outbox's mails to them.
   * Unlike unsubscribing, nothing of it stays, not even the mark that it left.
   */
  async forget(email: string): Promise<{ subscriber: boolean; replies: boolean }> {
    const address = email.trim().toLowerCase();
    return this.ctx.storage.transactionSync(() => {
      const row = this.sql.exec<{ id: number }>("SELECT id FROM subscribers WHERE lower(email) = ?", address).toArray()[0];
      if (row) {
        this.sql.exec("DELETE FROM deliveries WHERE subscriber_id = ?", row.id);
        this.sql.exec("DELETE FROM subscribers WHERE id = ?", row.id);
      }
      for (const m of this.sql.exec<{ id: number; message: string }>("SELECT id, message FROM outbox").toArray()) {
        if (String((JSON.parse(m.message) as { to?: string }).to ?? "").toLowerCase() === address)
          this.sql.exec("DELETE FROM outbox WHERE id = ?", m.id);
      }
      return { subscriber: !!row, replies: forgetReplier(this.sql, address) };
    });
  }

  /** Removes every subscriber, delivery and outbox message (the blog is being deleted). */
  async purge(): Promise<void> {
    await wipe(this.ctx.storage, MIGRATIONS);
    this.secretValue = null;
  }

  /** The object's own token secret, made on first use. */
  private secret(): string {
    this.secretValue ??= storedSecret(this.sql);
    return this.secretValue;
  }

  /** An unsubscribe link's token: the subscriber's id, never expiring. */
  private unsubscribeToken(id: number): Promise<string> {
    return signToken(this.secret(), UNSUBSCRIBE, String(id), 0);
  }

  private async unsubscribeId(token: string): Promise<number | null> {
    const payload = await verifyToken(this.secret(), UNSUBSCRIBE, token, Date.now());
    const id = Number(payload);
    return payload !== null && Number.isSafeInteger(id) ? id : null;
  }

  private byEmail(email: string): Row | undefined {
    return this.sql
      .exec<Row>("SELECT id, email, status, confirmed_at, last_confirm_mail FROM subscribers WHERE email = ?", email)
      .toArray()[0];
  }

  /**
   * Records a subscription request. Answers whether a confirmation mail is due (new, pending or
   * unsubscribed address, at most one per 10 minutes); the caller sends it. Never says more.
   */
  async subscribe(email: string, ip: string | null): Promise<SubscribeResult> {
    const now = Date.now();
    this.sql.exec("DELETE FROM ip_hits WHERE at <= ?", now - IP_WINDOW_MS);
    const limited = this.limited(ip ? ipBucket(ip) : "", now);
    if (limited) return limited;
    this.sql.exec("INSERT INTO ip_hits (ip, at) VALUES (?, ?)", ip ? ipBucket(ip) : "", now);
    let row = this.byEmail(email);
    if (!row) {
      this.sql.exec("INSERT INTO subscribers (email, status, created_at) VALUES (?, 'pending', ?)", email, new Date(now).toISOString());
      row = this.byEmail(email)!;
    }
    if (row.status === "confirmed") return { ok: true, action: "none" };
    if (row.last_confirm_mail && now - row.last_confirm_mail < CONFIRM_RESEND_MS) return { ok: true, action: "none" };
    const mailsSent = this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM subscribers WHERE last_confirm_mail > ?", now - IP_WINDOW_MS)
      .one().n;
    if (mailsSent >= BLOG_CONFIRM_MAILS) {
      return failure("rate_limited", "Too many subscription requests right now. Please try again in a few minutes.", IP_WINDOW_MS / 1000);
    }
    // A new request makes every earlier link of this address useless: only the latest nonce confirms.
    const nonce = toBase64url(crypto.getRandomValues(new Uint8Array(12)));
    this.sql.exec("UPDATE subscribers SET status = 'pending', last_confirm_mail = ?, confirm_nonce = ? WHERE id = ?", now, nonce, row.id);
    return {
      ok: true,
      action: "confirm",
      confirmToken: await signToken(this.secret(), CONFIRM, `${row.id}.${nonce}`, now + CONFIRM_TTL_MS),
    };
  }

  /** The per-address limit (IPv6 by /64) and the blog's ceiling over all addresses together, or null. */
  private limited(bucket: string, now: number): Failure | null {
    const checks: [{ at: number }[], number, string][] = [
      [this.sql.exec<{ at: number }>("SELECT at FROM ip_hits WHERE ip = ? ORDER BY at", bucket).toArray(), IP_LIMIT, "from your address"],
      [this.sql.exec<{ at: number }>("SELECT at FROM ip_hits ORDER BY at").toArray(), BLOG_REQUESTS, "right now"],
    ];
    for (const [hits, limit, where] of checks) {
      if (hits.length >= limit) {
        const retryAfter = Math.max(1, Math.ceil((hits[hits.length - limit]!.at + IP_WINDOW_MS - now) / 1000));
        return failure(
          "rate_limited",
          `Too many subscription requests ${where}. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
          retryAfter,
        );
      }
    }
    return null;
  }

  /**
   * Takes in an imported list in one go (all of it or, on any failure, none of it: one synchronous
   * run of the object's storage). `consented`: the list already agreed to mail, so its addresses
   * are confirmed at once; otherwise each waits for a confirmation mail (claimConfirmations).
   * Someone who unsubscribed here stays unsubscribed.
   */
  async importAddresses(emails: string[], consented: boolean, now: string): Promise<ImportResult> {
    const result: ImportResult = { added: 0, kept: 0, unsubscribedBefore: 0, toConfirm: 0 };
    this.ctx.storage.transactionSync(() => {
      for (const email of emails) {
        const row = this.byEmail(email);
        if (row?.status === "unsubscribed") result.unsubscribedBefore++;
        else if (row?.status === "confirmed" || (row && !consented)) {
          result.kept++;
          if (row.status === "pending") {
            this.sql.exec("UPDATE subscribers SET confirm_due = 1 WHERE id = ?", row.id);
            result.toConfirm++;
          }
        } else if (row) {
          this.sql.exec("UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, confirm_due = 0 WHERE id = ?", now, row.id);
          result.kept++;
        } else if (consented) {
          this.sql.exec("INSERT INTO subscribers (email, status, created_at, confirmed_at) VALUES (?, 'confirmed', ?, ?)", email, now, now);
          result.added++;
        } else {
          this.sql.exec("INSERT INTO subscribers (email, status, created_at, confirm_due) VALUES (?, 'pending', ?, 1)", email, now);
          result.added++;
          result.toConfirm++;
        }
      }
    });
    return result;
  }

  /**
   * Up to `limit` imported addresses to ask for confirmation now, each with a fresh link (the
   * latest link alone confirms, as for the form); they leave the list of those due. `remaining`:
   * how many are still due after these.
   */
  async claimConfirmations(limit: number): Promise<{ due: { email: string; confirmToken: string }[]; remaining: number }> {
    const now = Date.now();
    const rows = this.sql
      .exec<{ id: number; email: string }>(
        `SELECT id, email FROM subscribers WHERE ${DUE} ORDER BY id LIMIT ?`,
        now - CLAIM_LEASE_MS,
        limit,
      )
      .toArray();
    const due: { email: string; confirmToken: string }[] = [];
    for (const row of rows) {
      const nonce = toBase64url(crypto.getRandomValues(new Uint8Array(12)));
      this.sql.exec("UPDATE subscribers SET confirm_due = 2, confirm_claimed = ?, confirm_nonce = ? WHERE id = ?", now, nonce, row.id);
      due.push({ email: row.email, confirmToken: await signToken(this.secret(), CONFIRM, `${row.id}.${nonce}`, now + CONFIRM_TTL_MS) });
    }
    return { due, remaining: this.dueCount(now) };
  }

  /** Settles claimed confirmation mails: sent ones are done; failed ones are due again at once. */
  async settleConfirmations(sent: string[], failed: string[]): Promise<void> {
    for (const email of sent) this.sql.exec("UPDATE subscribers SET confirm_due = 0 WHERE email = ? AND confirm_due = 2", email);
    for (const email of failed) this.sql.exec("UPDATE subscribers SET confirm_due = 1 WHERE email = ? AND confirm_due = 2", email);
  }

  private dueCount(now = Date.now()): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM subscribers WHERE ${DUE}`, now - CLAIM_LEASE_MS).one().n;
  }

  /** Imported addresses still waiting for their confirmation mail (shown to the owner who imported them). */
  async dueConfirmations(): Promise<number> {
    return this.dueCount();
  }

  /** Lets a new confirmation mail go out at once when sending the last one failed. */
  async confirmMailFailed(email: string) {
    this.sql.exec("UPDATE subscribers SET last_confirm_mail = NULL WHERE email = ?", email);
  }

  /** The pending row a confirmation token is good for: only while pending, and only the latest request's token. */
  private async pendingFor(token: string): Promise<Row | null> {
    const payload = await verifyToken(this.secret(), CONFIRM, token, Date.now());
    const [idText, nonce] = payload?.split(".") ?? [];
    const row = idText ? this.sql.exec<Row>("SELECT * FROM subscribers WHERE id = ?", Number(idText)).toArray()[0] : undefined;
    return row && row.status === "pending" && nonce && row.confirm_nonce === nonce ? row : null;
  }

  /** Checks a confirmation token without acting on it (the GET page, which only shows a button). */
  async confirmTarget(token: string): Promise<{ ok: boolean; email?: string }> {
    const row = await this.pendingFor(token);
    return row ? { ok: true, email: row.email } : { ok: false };
  }

  /** Confirms from the button on the link's page; an expired, tampered, superseded or used token does nothing. */
  async confirm(token: string): Promise<{ ok: boolean; email?: string }> {
    const row = await this.pendingFor(token);
    if (!row) return { ok: false };
    this.sql.exec(
      "UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, unsubscribed_at = NULL, confirm_nonce = NULL WHERE id = ?",
      new Date().toISOString(),
      row.id,
    );
    return { ok: true, email: row.email };
  }

  /** Checks an unsubscribe token without acting on it (for the GET page). */
  async unsubscribeTarget(token: string): Promise<{ ok: boolean; email?: string }> {
    const id = await this.unsubscribeId(token);
    const row = id === null ? undefined : this.sql.exec<Row>("SELECT email FROM subscribers WHERE id = ?", id).toArray()[0];
    return row ? { ok: true, email: row.email } : { ok: false };
  }

  /** One-click unsubscribe; nothing is sent to the address afterwards. */
  async unsubscribe(token: string): Promise<{ ok: boolean }> {
    const id = await this.unsubscribeId(token);
    if (id === null) return { ok: false };
    this.sql.exec(
      "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? WHERE id = ? AND status != 'unsubscribed'",
      new Date().toISOString(),
      id,
    );
    this.sql.exec("DELETE FROM deliveries WHERE subscriber_id = ? AND state != 'sent'", id);
    return { ok: this.sql.exec("SELECT id FROM subscribers WHERE id = ?", id).toArray().length > 0 };
  }

  /**
   * The list as a night's backup keeps it, with its fingerprint; the rows only when the
   * fingerprint is not `known` (the last point's), so an unchanged list costs no transfer.
   */
  async backup(known: string | null): Promise<{ h: string; rows: BackupSubscriber[] | null }> {
    const rows = this.sql
      .exec<BackupSubscriber>("SELECT email, status, created_at, confirmed_at, unsubscribed_at FROM subscribers ORDER BY id")
      .toArray();
    const h = contentValidator(JSON.stringify(rows));
    return { h, rows: h === known ? null : rows };
  }

  /**
   * Puts back the addresses of a backup that are no longer here, as they were (an owner's restore);
   * an address still here keeps its state (someone who unsubscribed since stays unsubscribed), and
   * nobody is mailed. Those erased on request were left out by the caller.
   */
  async restoreBackup(rows: BackupSubscriber[]): Promise<number> {
    let added = 0;
    this.ctx.storage.transactionSync(() => {
      for (const r of rows) {
        if (this.byEmail(r.email)) continue;
        this.sql.exec(
          "INSERT INTO subscribers (email, status, created_at, confirmed_at, unsubscribed_at) VALUES (?, ?, ?, ?, ?)",
          ...[r.email, r.status, r.created_at, r.confirmed_at, r.unsubscribed_at],
        );
        added++;
      }
    });
    return added;
  }

  /** Every subscriber as CSV, for the admin export (RFC 4180 quoting; cells that look like formulas are neutralised). */
  async csv(): Promise<string> {
    const cell = (v: string | null) => {
      const text = v ?? "";
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const rows = this.sql.exec<{
      email: string;
      status: string;
      created_at: string;
      confirmed_at: string | null;
      unsubscribed_at: string | null;
    }>("SELECT email, status, created_at, confirmed_at, unsubscribed_at FROM subscribers ORDER BY id");
    const lines = ["email,status,created_at,confirmed_at,unsubscribed_at"];
    for (const r of rows) lines.push([r.email, r.status, r.created_at, r.confirmed_at, r.unsubscribed_at].map(cell).join(","));
    return `${lines.join("\r\n")}\r\n`;
  }

  async counts(): Promise<Record<SubscriberStatus, number>> {
    const out: Record<SubscriberStatus, number> = { pending: 0, confirmed: 0, unsubscribed: 0 };
    for (const r of this.sql.exec<{ status: SubscriberStatus; n: number }>("SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status"))
      out[r.status] = r.n;
    return out;
  }

  /**
   * Claims up to `limit` deliveries to send now: each public post to each confirmed subscriber
   * who confirmed before the post's date and has not had it yet. A claim is a lease: another
   * run does not get the same pair until it expires, and a sent pair is never handed out again.
   */
  async claimDeliveries(posts: Announceable[], limit: number): Promise<Delivery[]> {
    const now = Date.now();
    const out: Delivery[] = [];
    for (const post of posts) {
      if (out.length >= limit) break;
      const rows = this.sql
        .exec<{ id: number; email: string }>(
          `SELECT s.id, s.email FROM subscribers s
           LEFT JOIN deliveries d ON d.slug = ? AND d.subscriber_id = s.id
           WHERE s.status = 'confirmed' AND s.confirmed_at <= ?
             AND (d.state IS NULL OR (d.state = 'claimed' AND d.claimed_at < ?))
           ORDER BY s.id LIMIT ?`,
          post.slug,
          post.date,
          now - CLAIM_LEASE_MS,
          limit - out.length,
        )
        .toArray();
      for (const r of rows) {
        this.sql.exec(
          `INSERT INTO deliveries (slug, subscriber_id, state, claimed_at, attempts) VALUES (?, ?, 'claimed', ?, 1)
           ON CONFLICT(slug, subscriber_id) DO UPDATE SET state = 'claimed', claimed_at = excluded.claimed_at, attempts = attempts + 1`,
          post.slug,
          r.id,
          now,
        );
        out.push({ slug: post.slug, subscriberId: r.id, email: r.email, unsubscribeToken: await this.unsubscribeToken(r.id) });
      }
    }
    return out;
  }

  /** Settles claims: sent pairs are done for good; failed ones are released for the next run. */
  async settleDeliveries(sent: { slug: string; subscriberId: number }[], failed: { slug: string; subscriberId: number }[]) {
    const at = new Date().toISOString();
    for (const d of sent)
      this.sql.exec("UPDATE deliveries SET state = 'sent', sent_at = ? WHERE slug = ? AND subscriber_id = ?", at, d.slug, d.subscriberId);
    for (const d of failed)
      this.sql.exec(
        "UPDATE deliveries SET claimed_at = 0 WHERE slug = ? AND subscriber_id = ? AND state = 'claimed'",
        d.slug,
        d.subscriberId,
      );
  }

  /**
   * Starts the mailing of posts that have none yet (a post is mailed once, whatever runs start it
   * again); answers the slugs started now, for the caller to queue.
   */
  async startSends(posts: { slug: string; date: string }[], at: string, reopen = false): Promise<string[]> {
    const started: string[] = [];
    for (const p of posts) {
      const row = this.sql
        .exec(
          `INSERT INTO sends (slug, post_date, state, updated_at) VALUES (?, ?, 'queued', ?)
           ON CONFLICT(slug) DO UPDATE SET state = 'queued', post_date = excluded.post_date, updated_at = excluded.updated_at
             WHERE ? AND sends.state = 'off' RETURNING slug`,
          p.slug,
          p.date,
          at,
          reopen ? 1 : 0,
        )
        .toArray();
      if (row.length) started.push(p.slug);
    }
    return started;
  }

  /**
   * How a step of a post's mailing went: `failed` subscribers not reached (released for the retry),
   * or none. Answers how many are still to get it.
   */
  async recordSend(slug: string, failed: number, error: string | null, at: string): Promise<number> {
    const remaining = this.undelivered(slug);
    const state = failed ? "failed" : remaining ? "sending" : "sent";
    this.sql.exec("UPDATE sends SET state = ?, failed = ?, error = ?, updated_at = ? WHERE slug = ?", state, failed, error, at, slug);
    return remaining;
  }

  /** The post says it is not for subscribers: its mailing stops (the subscribers who got it keep it). */
  async stopSend(slug: string, date: string, at: string): Promise<void> {
    this.sql.exec(
      `INSERT INTO sends (slug, post_date, state, updated_at) VALUES (?, ?, 'off', ?)
       ON CONFLICT(slug) DO UPDATE SET state = 'off', updated_at = excluded.updated_at`,
      slug,
      date,
      at,
    );
  }

  /** A mailing whose post is no longer public: forgotten unless done, so publishing again starts it again (who got it keeps it). */
  async forgetSend(slug: string): Promise<void> {
    this.sql.exec("DELETE FROM sends WHERE slug = ? AND state != 'sent'", slug);
  }

  /** A post's mailing, or null when it was never mailed (nor queued). */
  async sendStatus(slug: string): Promise<SendStatus | null> {
    const row = this.sql
      .exec<{ state: SendStatus["state"]; failed: number; error: string | null; updated_at: string }>(
        "SELECT state, failed, error, updated_at FROM sends WHERE slug = ?",
        slug,
      )
      .toArray()[0];
    if (!row) return null;
    return {
      state: row.state,
      sent: await this.deliveryCount(slug),
      remaining: this.undelivered(slug),
      failed: row.failed,
      error: row.error,
      updatedAt: row.updated_at,
    };
  }

  /** Confirmed subscribers (before the post's date) who have not had the post. */
  private undelivered(slug: string): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM subscribers s
         LEFT JOIN deliveries d ON d.slug = ? AND d.subscriber_id = s.id AND d.state = 'sent'
         WHERE s.status = 'confirmed' AND s.confirmed_at <= (SELECT post_date FROM sends WHERE slug = ?) AND d.slug IS NULL`,
        slug,
        slug,
      )
      .one().n;
  }

  async deliveryCount(slug: string): Promise<number> {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM deliveries WHERE slug = ? AND state = 'sent'", slug).one().n;
  }

  /** Reply mails (durable/replies.ts): a commenter asks, confirms by the mailed link, and may stop them. */
  async askReplies(email: string): Promise<string | null> {
    return askReplies(this.sql, this.secret(), email, Date.now());
  }

  async confirmReplies(token: string, act: boolean): Promise<string | null> {
    return confirmReplies(this.sql, this.secret(), token, act);
  }

  async replyConsent(email: string, slug: string): Promise<string | null> {
    return replyConsent(this.sql, this.secret(), email, slug);
  }

  async stopReplies(token: string, slug: string | null, act: boolean): Promise<string | null> {
    return stopReplies(this.sql, this.secret(), token, slug, act);
  }

  /** The `outbox` driver's store. */
  async storeOutbox(messages: OutboxMessage[]) {
    for (const m of messages) this.sql.exec("INSERT INTO outbox (message) VALUES (?)", JSON.stringify(m));
    this.sql.exec("DELETE FROM outbox WHERE id <= (SELECT MAX(id) FROM outbox) - ?", OUTBOX_KEEP);
  }

  /** Kept messages, newest last. */
  async outbox(limit = OUTBOX_KEEP): Promise<OutboxMessage[]> {
    return this.sql
      .exec<{ message: string }>("SELECT message FROM (SELECT id, message FROM outbox ORDER BY id DESC LIMIT ?) ORDER BY id", limit)
      .toArray()
      .map((r) => JSON.parse(r.message) as OutboxMessage);
  }
}
