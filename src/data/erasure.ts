/**
 * An owner erases a person's data on request (a subscriber's, a commenter's): their address leaves
 * the subscribers, the reply mails and every comment of the blog, whose comments are kept as "a
 * former reader" or deleted, the owner's choice. Every thread that ever held a comment has a count
 * key, so the job lists those keys a page at a time (jobs-queue steps) and asks each thread, twice:
 * a first pass gathers the browsers that commented with the address, the second erases their
 * comments and the address's.
 * Its record (in ARCHIVES, beside the exports) never holds the address: only the queue's messages
 * carry it, while the job runs. The steps run in the federation worker (its Backups entrypoint),
 * which asks the reader's objects through `People`.
 */
import { JOB_ID, jobId } from "../core/jobs";
import { federationService } from "../core/services";
import { backupKeys, sha256 } from "../core/backups";
import type { BlogStore } from "../core/keys";

export type ErasureMode = "anonymize" | "delete";

export interface ErasureState {
  v: 1;
  id: string;
  by: string;
  mode: ErasureMode;
  startedAt: string;
  finishedAt: string | null;
  status: "running" | "done";
  step: number;
  /** `find`: gathering the browsers that used the address; `erase`: erasing. */
  pass: "find" | "erase";
  /** The KV listing's cursor over the blog's comment threads (null before the first page and after the last). */
  cursor: string | null;
  /** The commenter cookies found by the first pass (pseudonymous ids, dropped when the job is done). */
  browsers: string[];
  counts: { threads: number; anonymized: number; deleted: number; subscriber: boolean; replies: boolean };
}

const THREADS_PER_STEP = 50;
/** Browsers linked to one address: a person has a few; more would be a shared machine's. */
const MAX_BROWSERS = 20;

export const erasureKey = (blog: string, born: string, id: string) => `${blog}/${born}/erasures/${id}.json`;

export async function readErasure(bucket: R2Bucket, blog: string, born: string, id: string): Promise<ErasureState | null> {
  if (!JOB_ID.test(id)) return null;
  const got = await bucket.get(erasureKey(blog, born, id));
  return got ? ((await got.json()) as ErasureState) : null;
}

export async function startErasure(
  bucket: R2Bucket,
  blog: string,
  born: string,
  by: string,
  mode: ErasureMode,
  now: Date,
): Promise<ErasureState> {
  const id = jobId(now);
  const state: ErasureState = {
    v: 1,
    id,
    by,
    mode,
    startedAt: now.toISOString(),
    finishedAt: null,
    status: "running",
    step: 0,
    pass: "find",
    cursor: null,
    browsers: [],
    counts: { threads: 0, anonymized: 0, deleted: 0, subscriber: false, replies: false },
  };
  await bucket.put(erasureKey(blog, born, id), JSON.stringify(state));
  return state;
}

/** What a step asks of the blog's objects (the reader's Internal entrypoint). */
export interface People {
  forgetSubscriber(blog: string, email: string): Promise<{ subscriber: boolean; replies: boolean }>;
  browsersOf(blog: string, slug: string, email: string): Promise<string[]>;
  forgetComments(
    blog: string,
    slug: string,
    email: string,
    browsers: string[],
    mode: ErasureMode,
    name: string,
  ): Promise<{ anonymized: number; deleted: number }>;
}

/**
 * One step: the first forgets the address in the blog's Subscribers object, each one then asks up to
 * THREADS_PER_STEP threads. Returns the state, or null when the step is not the job's next (a repeat).
 */
export async function erasureStep(
  archives: R2Bucket,
  people: People,
  store: BlogStore,
  born: string,
  job: { id: string; step: number; email: string; name: string },
  now: Date,
): Promise<ErasureState | null> {
  const key = erasureKey(store.name, born, job.id);
  const got = await archives.get(key);
  if (!got) return null;
  const s = (await got.json()) as ErasureState;
  if (s.status !== "running" || s.step !== job.step) return null;
  if (job.step === 0) Object.assign(s.counts, await people.forgetSubscriber(store.name, job.email));
  const prefix = `${store.keys.prefix}count:`;
  const page = await store.kv.list({ prefix, cursor: s.cursor ?? undefined, limit: THREADS_PER_STEP });
  for (const { name } of page.keys) {
    const slug = name.slice(prefix.length);
    if (s.pass === "find") {
      for (const b of await people.browsersOf(store.name, slug, job.email))
        if (!s.browsers.includes(b) && s.browsers.length < MAX_BROWSERS) s.browsers.push(b);
      continue;
    }
    const done = await people.forgetComments(store.name, slug, job.email, s.browsers, s.mode, job.name);
    s.counts.anonymized += done.anonymized;
    s.counts.deleted += done.deleted;
    s.counts.threads++;
  }
  s.cursor = page.list_complete ? null : page.cursor;
  s.step++;
  if (page.list_complete && s.pass === "find") s.pass = "erase";
  else if (page.list_complete) {
    await rememberErased(archives, store.name, born, [job.email.trim().toLowerCase(), ...s.browsers], s.mode, now);
    s.status = "done";
    s.finishedAt = now.toISOString();
    s.browsers = [];
  }
  const written = await archives.put(key, JSON.stringify(s), { onlyIf: { etagMatches: got.etag } });
  return written ? s : null;
}

/** Backups made before the erasure hold what it erased: how long, at most, a restore may meet it (5 weeks of points). */
const ERASED_KEPT_MS = 36 * 24 * 3_600_000;

/**
 * Remembers an erasure for the backups (core/backups.ts) as hashes of the address and browsers,
 * never the address: a restore leaves those people out again. Dropped once no kept point can be older.
 */
async function rememberErased(bucket: R2Bucket, blog: string, born: string, who: string[], mode: ErasureMode, now: Date) {
  const key = backupKeys(blog, born).erased;
  const got = await bucket.get(key);
  const all = got ? ((await got.json()) as Record<string, { m: ErasureMode; at: string }>) : {};
  for (const [hash, entry] of Object.entries(all)) if (now.getTime() - Date.parse(entry.at) > ERASED_KEPT_MS) delete all[hash];
  for (const value of who) all[await sha256(value)] = { m: mode, at: now.toISOString() };
  await bucket.put(key, JSON.stringify(all));
}

/** The same worker's Backups entrypoint runs erasures too (federation/src/index.ts): their records and steps. */
export interface ErasureService {
  startErasure(blog: string, born: string, by: string, mode: ErasureMode): Promise<ErasureState>;
  erasure(blog: string, born: string, id: string): Promise<ErasureState | null>;
  erasureStep(blog: string, born: string, job: { id: string; step: number; email: string; name: string }): Promise<ErasureState | null>;
}

export const erasuresOf = (env: object) => federationService<ErasureService>(env, "BACKUPS");
