/**
 * Nightly backups of each blog (federation/src/backups.ts makes them, src/jobs.ts runs them): a
 * point is one small manifest naming content-addressed objects in the ARCHIVES bucket — a sources
 * chunk's posts, a chunk's comment threads, the settings, the subscribers. A point copies only what
 * changed since the one before: the sources keys carry a hash of their value in their KV metadata,
 * the comment count keys their thread's version, so a night lists keys and reads only the changed
 * ones. Points kept: the newest of each of the last 7 days, then of each of the 4 weeks before.
 */
import { federationService } from "./services";
import type { SourceRecord } from "./types";

/** When the night's backups start (a cron trigger in wrangler.toml; src/index.ts tells it from the 5-minute one). */
export const BACKUP_CRON = "30 2 * * *";

export const DAILY_POINTS = 7;
export const WEEKLY_POINTS = 4;

/** The jobs queue's messages that the federation worker runs (core/jobs.ts has them all). */
export type BackupJob =
  /** Makes one point of a blog: nightly, or an owner's "Back up now"; sent again to finish one left unfinished. */
  | { kind: "backup"; blog: string; at: string; label: PointLabel }
  /** One step of putting a whole blog back as a point holds it. */
  | { kind: "restore"; blog: string; id: string; step: number };

/** Why a point was made. */
export type PointLabel = "nightly" | "manual" | "before-restore";

export interface PointCounts {
  posts: number;
  threads: number;
  comments: number;
  subscribers: number;
}

/** What one night's run cost (the measure: it must not re-read the blog). */
export interface BackupCost {
  kvLists: number;
  kvReads: number;
  threadsAsked: number;
  r2Reads: number;
  r2Writes: number;
  bytesWritten: number;
}

export interface BackupManifest {
  v: 1;
  id: string;
  at: string;
  label: PointLabel;
  /** Sources chunk → the KV metadata hash it had and the object holding it. */
  posts: Record<string, { h: string | null; o: string; c: number }>;
  /** Sources chunk → the object holding the comment threads of its slugs, and each thread's fingerprint then. */
  comments: Record<string, { o: string; h: Record<string, string>; c: number }>;
  settings: string | null;
  subscribers: { h: string; o: string; c: number } | null;
  counts: PointCounts;
  /** False while some comment groups still hold the point before's (a run asks so many threads); the next run finishes it. */
  complete?: boolean;
}

/** People erased on request since a point (hashes of their address and browsers) → what the owner chose for their comments. */
export type ErasedPeople = Record<string, "anonymize" | "delete">;

/** A thread as a point keeps it: every comment (but the IP address), and its likes and boosts. */
export interface ThreadBackup {
  /** The thread's fingerprint (its count key's metadata says the same while nothing changed). */
  h: string;
  comments: BackupComment[];
  reactions: { kind: string; actor: string }[];
}

export type BackupComment = {
  id: number;
  parent_id: number | null;
  author: string;
  email: string | null;
  commenter: string;
  body: string;
  doc: string;
  status: string;
  created_at: string;
  edited_at: string | null;
  import_id: string | null;
  author_url: string | null;
  remote_id: string | null;
  remote_actor: string | null;
  notify: number;
};

export type BackupSubscriber = {
  email: string;
  status: string;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
};

/** What an owner sees of a point (GET /api/backups). */
export interface PointView {
  id: string;
  at: string;
  label: PointLabel;
  counts: PointCounts;
  /** Still being finished (a first night past THREADS_PER_RUN threads): only the backups themselves see it. */
  partial?: true;
}

/** A whole-blog restore in steps: the point taken first, then one sources chunk a step, then settings and subscribers. */
export interface RestoreState {
  v: 1;
  id: string;
  point: string;
  by: string;
  /** How an erased person's comments are signed, in the blog's language. */
  formerReader: string;
  startedAt: string;
  updatedAt: string;
  status: "running" | "done" | "failed";
  /** The point made just before, so the restore can itself be undone, and when it was begun. */
  before: string | null;
  beforeAt?: string;
  step: number;
  /** The sources chunk being restored, and the last slug done in it. */
  chunk: number;
  after: string | null;
  counts: { posts: number; removed: number; threads: number; settings: boolean; subscribers: number };
  error: string | null;
}

/** Where a blog's backups live: `born` (its creation) keeps a new blog of the same name from an old one's. */
export function backupKeys(blog: string, born: string) {
  const at = `${blog}/${born}/backups/`;
  return {
    at,
    points: `${at}points/`,
    point: (id: string) => `${at}points/${id}.json`,
    objects: `${at}objects/`,
    object: (hash: string) => `${at}objects/${hash}`,
    restore: (id: string) => `${at}restores/${id}.json`,
    /** SHA-256 of the addresses erased on request (data/erasure.ts): a restore leaves them out. */
    erased: `${at}erased.json`,
  };
}

/** A point's id: its time, sortable, in a URL's path (20261204T023000Z). */
export const pointId = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
export const POINT_ID = /^\d{8}T\d{6}Z$/;

/** The Monday of an ISO day's week, as a day. */
function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const back = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - back * 86_400_000).toISOString().slice(0, 10);
}

const dayOf = (id: string) => `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}`;

/** Points of the last 24 hours kept whatever else (one restored from may have been made an hour ago), at most this many. */
export const RECENT_POINTS = 24;

/** A point's time, from its id. */
const timeOf = (id: string) =>
  Date.parse(`${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}Z`);

/**
 * The points to keep among `ids` at `now`: every point of the last 24 hours (24 at most), the newest
 * of each of the last 7 days that have one, then the newest of each of the 4 weeks before.
 */
export function keptPoints(ids: string[], now: Date): Set<string> {
  const newest = [...ids].sort().reverse();
  const kept = new Set(newest.filter((id) => now.getTime() - timeOf(id) < 86_400_000).slice(0, RECENT_POINTS));
  const days = new Set<string>();
  for (const id of newest) {
    const day = dayOf(id);
    if (days.has(day) || days.size >= DAILY_POINTS) continue;
    days.add(day);
    kept.add(id);
  }
  const oldestDaily = [...days].sort()[0] ?? "9999";
  const weeks = new Set<string>();
  for (const id of newest) {
    const day = dayOf(id);
    if (day >= oldestDaily) continue;
    const week = weekOf(day);
    if (weeks.has(week) || weeks.size >= WEEKLY_POINTS) continue;
    weeks.add(week);
    kept.add(id);
  }
  return kept;
}

/** SHA-256 of a text, as hex: a backup object's name; of an address or browser, lowercased, what an erasure leaves in `erased`. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The federation worker's Backups entrypoint, as the reader calls it (federation/src/backups.ts). */
export interface BackupsService {
  point(job: {
    blog: string;
    born: string;
    label: PointLabel;
    at: string;
    threads?: number;
  }): Promise<{ manifest: BackupManifest; cost: BackupCost; skipped: boolean }>;
  points(blog: string, born: string): Promise<PointView[]>;
  restoreStep(job: {
    blog: string;
    born: string;
    id: string;
    step: number;
    formerReader: string;
  }): Promise<{ outcome: "next" | "done" | "skipped"; state: RestoreState | null }>;
  postOf(blog: string, born: string, id: string, slug: string): Promise<SourceRecord | null>;
  threadOf(blog: string, born: string, id: string, slug: string): Promise<{ thread: Omit<ThreadBackup, "h">; erased: ErasedPeople } | null>;
  /** Null while another restore of the blog runs. */
  startRestore(blog: string, born: string, point: string, by: string, formerReader: string): Promise<RestoreState | null>;
  /** Runs a "backup" or "restore" message of the jobs queue; answers the next step's message. */
  job(job: BackupJob): Promise<BackupJob | null>;
  restores(blog: string, born: string): Promise<RestoreState[]>;
  restore(blog: string, born: string, id: string): Promise<RestoreState | null>;
}

/** The reader's binding to it (typed here: the federation worker's own types stay out of the reader's check). */
export const backupsOf = (env: object) => federationService<BackupsService>(env, "BACKUPS");
