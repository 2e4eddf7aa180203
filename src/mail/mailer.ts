import { log } from "../core/log";
import { subscribers } from "../data/objects";
import type { MailSettings } from "../settings";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Stable per logical message, so a provider drops a retried duplicate. */
  idempotencyKey: string;
}

/** Sends a batch of mails, or throws: then none of the batch counts as sent. */
export interface Mailer {
  readonly maxBatch: number;
  send(mails: Mail[]): Promise<void>;
}

/** Development and tests: keeps every message for GET /api/admin/outbox, sends nothing. */
export function outboxMailer(env: Env, blog: string, from: string): Mailer {
  return {
    maxBatch: 100,
    async send(mails) {
      const sentAt = new Date().toISOString();
      await subscribers(env, blog).storeOutbox(
        mails.map(({ to, subject, text, html, headers }) => ({ from, to, subject, text, html, headers, sentAt })),
      );
      // Someone trying the platform locally waits for a mail that never leaves: say where it is (never its links).
      // One line a batch: a newsletter to thousands stays one line.
      log("info", "mail kept, not sent (MAIL_DRIVER=outbox): read it with GET /api/admin/outbox on the blog's host", {
        blog,
        count: mails.length,
        to: mails.length === 1 ? mails[0]?.to : undefined,
        subject: mails[0]?.subject,
      });
    },
  };
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...bytes.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Resend's HTTP API (POST /emails/batch, at most 100 mails a call), with an Idempotency-Key so a
 * retried batch is not sent twice, and a timeout. `fetcher` is the global fetch in production.
 */
export function resendMailer(opts: { apiUrl: string; apiKey: string; from: string; fetcher?: typeof fetch; timeoutMs?: number }): Mailer {
  const fetcher = opts.fetcher ?? fetch;
  return {
    maxBatch: 100,
    async send(mails) {
      if (!mails.length) return;
      const res = await fetcher(`${opts.apiUrl.replace(/\/+$/, "")}/emails/batch`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${opts.apiKey}`,
          "Content-Type": "application/json",
          "Idempotency-Key": await digest(mails.map((m) => m.idempotencyKey).join("\n")),
        },
        body: JSON.stringify(
          mails.map((m) => ({ from: opts.from, to: [m.to], subject: m.subject, text: m.text, html: m.html, headers: m.headers })),
        ),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (!res.ok) {
        const detail = (await res.text().catch(() => "")).slice(0, 200);
        throw new Error(`mail provider answered ${res.status}: ${detail}`);
      }
      await res.body?.cancel();
    },
  };
}

/** The mailer the configuration asks for (the outbox is per blog); a provider without its key is an error, never a silent outbox. */
export function mailerFor(env: Env, blog: string, mail: MailSettings): Mailer {
  if (mail.driver === "outbox") return outboxMailer(env, blog, mail.from);
  if (mail.driver === "resend") {
    if (!mail.apiKey) throw new Error('MAIL_DRIVER is "resend" but the MAIL_API_KEY secret is not set');
    return resendMailer({ apiUrl: mail.apiUrl, apiKey: mail.apiKey, from: mail.from });
  }
  throw new Error(`MAIL_DRIVER "${mail.driver}" is not "outbox" or "resend"`);
}
