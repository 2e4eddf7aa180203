import type { BackupJob } from "./backups";

/** The jobs queue's messages (src/jobs.ts runs them) and their pace, for whoever starts one. */
export type Job =
  | { kind: "confirmations"; blog: string }
  | { kind: "post"; blog: string; slug: string }
  | { kind: "held-digest"; blog: string }
  /** One step of an owner's export (data/exports.ts); `step` must be the export's next, or the message is a repeat and is dropped. */
  | { kind: "export"; blog: string; id: string; step: number }
  /** Deletes a finished export once its 7 days are over (asked again every 12 hours until then). */
  | { kind: "export-expire"; blog: string; id: string }
  /** One step of erasing a person's data (data/erasure.ts); the address travels only in these messages. */
  | { kind: "erase"; blog: string; id: string; step: number; email: string }
  /** Asks Cloudflare how an owner's own domain stands (core/custom-domain.ts), again later while it is pending. */
  /** `checks`: the domain's count of checks when queued; a message a later check overtook is dropped (one chain per domain). */
  | { kind: "domain-check"; blog: string; host: string; checks?: number }
  /** The night's backups: a page of the operator's directory (the main blog first), a "backup" job per blog, then the next page. */
  | { kind: "backup-sweep"; at: string; cursor: string | null }
  | BackupJob;

/** The longest a queue message may wait (Cloudflare Queues: 12 hours); longer waits are taken in turns. */
export const MAX_DELAY_SECONDS = 12 * 3600;

/** Posts older than this are never mailed, whatever happens to the schedule. */
export const MAIL_HORIZON_MS = 30 * 24 * 3600_000;

/** Confirmation mails per step of an imported list (the providers' batch), and the pause between steps. */
export const CONFIRMATIONS_PER_STEP = 100;
export const STEP_SECONDS = 60;

/** A running job whose record has not moved for this long has stopped (its steps were dropped after their retries). */
export const STALLED_MS = 30 * 60_000;

/** A long job's id (an export's, an erasure's, a restore's): its start time and a random part, in base 36. */
export const jobId = (now: Date) => `${now.getTime().toString(36)}${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
export const JOB_ID = /^[a-z0-9]{1,40}$/;
