/**
 * A whole-blog restore's record, in ARCHIVES beside the blog's points (core/backups.ts): started
 * here for the reader's page and API, advanced a step at a time by backups.ts (jobs queue), shown
 * to its owners. (Here rather than in the reader: its bundle has no room.)
 */
import { backupKeys, type RestoreState } from "../../src/core/backups";
import { JOB_ID, jobId, STALLED_MS } from "../../src/core/jobs";

/** Restores a blog keeps a record of. */
const KEPT = 5;

export async function readRestore(bucket: R2Bucket, blog: string, born: string, id: string): Promise<RestoreState | null> {
  if (!JOB_ID.test(id)) return null;
  const got = await bucket.get(backupKeys(blog, born).restore(id));
  return got ? shown((await got.json()) as RestoreState, new Date()) : null;
}

const shown = (s: RestoreState, now: Date): RestoreState =>
  s.status === "running" && now.getTime() - Date.parse(s.updatedAt) > STALLED_MS
    ? { ...s, status: "failed", error: "The restore stopped making progress." }
    : s;

/** The blog's restores, newest first. */
export async function listRestores(bucket: R2Bucket, blog: string, born: string): Promise<RestoreState[]> {
  const page = await bucket.list({ prefix: backupKeys(blog, born).restore("").slice(0, -".json".length) });
  const all = await Promise.all(page.objects.map(async (o) => (await (await bucket.get(o.key))?.json()) as RestoreState | null));
  const now = new Date();
  return all
    .filter((s): s is RestoreState => !!s)
    .map((s) => shown(s, now))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** Starts putting the whole blog back as point `point` holds it; null while another restore runs. */
export async function startRestore(
  bucket: R2Bucket,
  blog: string,
  born: string,
  point: string,
  by: string,
  formerReader: string,
  now: Date,
): Promise<RestoreState | null> {
  const existing = await listRestores(bucket, blog, born);
  // One at a time: the reader answers 409 restore_running.
  if (existing.some((s) => s.status === "running")) return null;
  const state: RestoreState = {
    v: 1,
    id: jobId(now),
    point,
    by,
    formerReader,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    status: "running",
    before: null,
    step: 0,
    chunk: 0,
    after: null,
    counts: { posts: 0, removed: 0, threads: 0, settings: false, subscribers: 0 },
    error: null,
  };
  await bucket.put(backupKeys(blog, born).restore(state.id), JSON.stringify(state));
  const old = existing.slice(KEPT - 1).map((s) => backupKeys(blog, born).restore(s.id));
  if (old.length) await bucket.delete(old);
  return state;
}
