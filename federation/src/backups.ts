/**
 * Nightly backups and restores (core/backups.ts says what a point is), run by the worker beside the
 * reader (its `Backups` entrypoint, called by the reader's jobs queue and routes) so that the
 * reader's bundle stays small. A point copies only what changed since the one before: the 64
 * sources keys and the comment count keys are listed with their metadata (a hash of the value,
 * a thread's fingerprint) and only those whose hash moved are read. The writes of a restore go
 * back to the reader (its `Internal` entrypoint): the editor object saves posts as an edit does,
 * each thread puts its comments back, the settings and subscribers are written by their objects.
 */
import {
  type BackupCost,
  type BackupJob,
  type ErasedPeople,
  type BackupManifest,
  type BackupSubscriber,
  backupKeys,
  keptPoints,
  POINT_ID,
  type PointLabel,
  type PointView,
  pointId,
  type RestoreState,
  sha256,
  type ThreadBackup,
} from "../../src/core/backups";
import { platformKeys, keysFor, SOURCE_CHUNKS, sourceChunk } from "../../src/core/keys";
import type { BlogRecord } from "../../src/core/blogs";
import type { PostSource, SourceRecord, SourcesChunk } from "../../src/core/types";
import { MAIN_BLOG } from "../../src/core/blogs";
import { log } from "../../src/core/log";
import { blogRecords } from "../../src/data/blogs";
import { bornOf } from "../../src/data/exports";
import { readRestore } from "./restores";

type Thread = Omit<ThreadBackup, "h">;
type Group = Record<string, Thread>;
type Erased = ErasedPeople;

/** What a backup keeps of the blog's settings: what its owners set (no domain, no state), and its stylesheet. */
interface SavedSettings {
  settings: Record<string, unknown>;
  customCss: string;
}

/** Posts saved (or moved to the trash) per step of a whole-blog restore: each is an edit of the blog. */
const EDITS_PER_STEP = 40;
/** Comment threads one run of a point asks for their rows (each a call to its object). */
const THREADS_PER_RUN = 500;
const STEP_MS = 10_000;
/** An object younger than this is never collected: a point being made may not have named it yet. */
const GRACE_MS = 3_600_000;
/** A restore's `after` once a chunk's posts are done and its threads are next (no slug sorts before it). */
const THREADS = "\u0000threads";

const json = <T>(text: string | null | undefined): T | null => {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
};

export interface PointJob {
  blog: string;
  born: string;
  label: PointLabel;
  at: string;
  /** Threads asked at most in this run (THREADS_PER_RUN; tests ask fewer). */
  threads?: number;
}

/** The blog's points, newest first, from one listing (their counts ride on each manifest's custom metadata). */
export async function listPoints(bucket: R2Bucket, blog: string, born: string): Promise<PointView[]> {
  const k = backupKeys(blog, born);
  const out: PointView[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: k.points, cursor, include: ["customMetadata"] });
    for (const o of page.objects) {
      const id = o.key.slice(k.points.length, -".json".length);
      const m = o.customMetadata ?? {};
      out.push({
        id,
        at: m.at ?? "",
        label: (m.label ?? "nightly") as PointLabel,
        counts: {
          posts: Number(m.posts ?? 0),
          threads: Number(m.threads ?? 0),
          comments: Number(m.comments ?? 0),
          subscribers: Number(m.subscribers ?? 0),
        },
        ...(m.partial ? { partial: true } : {}),
      });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out.sort((a, b) => b.id.localeCompare(a.id));
}

export async function readPoint(bucket: R2Bucket, blog: string, born: string, id: string): Promise<BackupManifest | null> {
  if (!POINT_ID.test(id)) return null;
  return json<BackupManifest>(await (await bucket.get(backupKeys(blog, born).point(id)))?.text());
}

async function readObject<T>(
  bucket: R2Bucket,
  blog: string,
  born: string,
  hash: string | undefined | null,
  cost?: BackupCost,
): Promise<T | null> {
  if (!hash) return null;
  if (cost) cost.r2Reads++;
  return json<T>(await (await bucket.get(backupKeys(blog, born).object(hash)))?.text());
}

/** The metadata hash of each listed key under `prefix` (null: written before keys carried one). */
async function listHashes(kv: KVNamespace, prefix: string, cost: BackupCost): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  let cursor: string | undefined;
  do {
    const page = await kv.list<{ h?: string }>({ prefix, cursor });
    cost.kvLists++;
    for (const key of page.keys) out.set(key.name.slice(prefix.length), key.metadata?.h ?? null);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

/**
 * Makes a point of the blog: what changed since the newest point is read and copied into
 * content-addressed objects, the rest is named again; then points past the 7 daily and 4 weekly
 * ones go, with the objects no kept point names. A nightly point already made that day is not made
 * twice (the queue may deliver a message again).
 */
export async function makePoint(env: Env, job: PointJob): Promise<{ manifest: BackupManifest; cost: BackupCost; skipped: boolean }> {
  const { blog, born } = job;
  const bucket = env.ARCHIVES;
  const k = backupKeys(blog, born);
  const keys = keysFor(blog);
  const cost: BackupCost = { kvLists: 0, kvReads: 0, threadsAsked: 0, r2Reads: 0, r2Writes: 0, bytesWritten: 0 };
  const points = await listPoints(bucket, blog, born);
  const id = pointId(new Date(job.at));
  const today = points.find((p) => p.label === "nightly" && p.id.slice(0, 8) === id.slice(0, 8));
  if (job.label === "nightly" && today) {
    const manifest = await readPoint(bucket, blog, born, today.id);
    // Made already (the queue delivered the message twice), unless it was left to be finished.
    if (manifest && manifest.complete !== false) return { manifest, cost, skipped: true };
  }
  const prev = points[0] ? await readPoint(bucket, blog, born, points[0].id) : null;
  if (prev) cost.r2Reads++;
  const named = new Set<string>();
  const put = async (value: string): Promise<string> => {
    const hash = await sha256(value);
    if (!named.has(hash) && !known.has(hash)) {
      await bucket.put(k.object(hash), value);
      cost.r2Writes++;
      cost.bytesWritten += value.length;
    }
    named.add(hash);
    return hash;
  };
  const known = new Set<string>([
    ...Object.values(prev?.posts ?? {}).map((p) => p.o),
    ...Object.values(prev?.comments ?? {}).map((c) => c.o),
    ...(prev?.settings ? [prev.settings] : []),
    ...(prev?.subscribers ? [prev.subscribers.o] : []),
  ]);
  const manifest: BackupManifest = {
    v: 1,
    id,
    at: job.at,
    label: job.label,
    posts: {},
    comments: {},
    settings: null,
    subscribers: null,
    counts: { posts: 0, threads: 0, comments: 0, subscribers: 0 },
    complete: true,
  };

  // Posts: the sources keys whose hash moved.
  const sourcesPrefix = keys.sources(0).slice(0, -1);
  for (const [n, h] of await listHashes(env.POSTS, sourcesPrefix, cost)) {
    const before = prev?.posts[n];
    if (h && before?.h === h) {
      manifest.posts[n] = before;
      named.add(before.o);
    } else {
      const value = await env.POSTS.get(keys.sources(Number(n)));
      cost.kvReads++;
      if (!value) continue;
      manifest.posts[n] = { h, o: await put(value), c: Object.keys(json<SourcesChunk>(value)?.posts ?? {}).length };
    }
    manifest.counts.posts += manifest.posts[n]!.c;
  }

  // Comments: the threads whose fingerprint moved, grouped by their slug's sources chunk.
  const threads = await listHashes(env.POSTS, keys.commentCount(""), cost);
  const bySlugChunk = new Map<string, Map<string, string | null>>();
  for (const [slug, h] of threads) {
    const n = String(sourceChunk(slug));
    if (!bySlugChunk.has(n)) bySlugChunk.set(n, new Map());
    bySlugChunk.get(n)!.set(slug, h);
  }
  for (const n of new Set([...bySlugChunk.keys(), ...Object.keys(prev?.comments ?? {})])) {
    const now = bySlugChunk.get(n) ?? new Map<string, string | null>();
    const before = prev?.comments[n];
    const changed = [...now].filter(([slug, h]) => !h || before?.h[slug] !== h).map(([slug]) => slug);
    const gone = Object.keys(before?.h ?? {}).filter((slug) => !now.has(slug));
    // A run asks so many threads at most (a blog's first night may have thousands): the groups left
    // keep what the last point had, and the point is finished by the next message (the same id).
    const over = changed.length && cost.threadsAsked > 0 && cost.threadsAsked + changed.length > (job.threads ?? THREADS_PER_RUN);
    if (over) manifest.complete = false;
    if (before && ((!changed.length && !gone.length) || over)) {
      manifest.comments[n] = before;
      named.add(before.o);
    } else if (over) {
      continue;
    } else {
      const group: Group = (await readObject<Group>(bucket, blog, born, before?.o, cost)) ?? {};
      const hashes: Record<string, string> = { ...(before?.h ?? {}) };
      for (const slug of gone) {
        delete group[slug];
        delete hashes[slug];
      }
      for (const slug of changed) {
        const t = await env.READER.threadBackup(blog, slug, !now.get(slug));
        cost.threadsAsked++;
        group[slug] = { comments: t.comments, reactions: t.reactions };
        hashes[slug] = t.h;
      }
      if (!Object.keys(group).length) continue;
      const c = Object.values(group).reduce((sum, t) => sum + t.comments.length, 0);
      manifest.comments[n] = { o: await put(JSON.stringify(group)), h: hashes, c };
    }
    manifest.counts.threads += Object.keys(manifest.comments[n]!.h).length;
    manifest.counts.comments += manifest.comments[n]!.c;
  }

  // Settings (two small reads) and subscribers (the object sends its rows only when they changed).
  const [record, customCss] = await Promise.all([env.POSTS.get(platformKeys.blog(blog)), env.POSTS.get(keys.customCss)]);
  cost.kvReads += 2;
  const {
    name: _n,
    domains: _d,
    createdAt: _c,
    state: _s,
    purgeAt: _p,
    primaryDomain: _pd,
    version: _v,
    cssVersion: _cv,
    ...settings
  } = json<BlogRecord>(record) ?? ({} as Partial<BlogRecord>);
  manifest.settings = await put(JSON.stringify({ settings, customCss: customCss ?? "" } satisfies SavedSettings));
  const list = await env.READER.subscribersBackup(blog, prev?.subscribers?.h ?? null);
  if (list.rows) manifest.subscribers = { h: list.h, o: await put(JSON.stringify(list.rows)), c: list.rows.length };
  else if (prev?.subscribers) {
    manifest.subscribers = prev.subscribers;
    named.add(prev.subscribers.o);
  }
  manifest.counts.subscribers = manifest.subscribers?.c ?? 0;

  await bucket.put(k.point(id), JSON.stringify(manifest), {
    customMetadata: {
      at: job.at,
      label: job.label,
      ...Object.fromEntries(Object.entries(manifest.counts).map(([key, v]) => [key, String(v)])),
      // Left to be finished by the next message: made on, but not offered to owners until then.
      ...(manifest.complete === false ? { partial: "1" } : {}),
    },
  });
  cost.r2Writes++;
  await prune(bucket, blog, born, [id, ...points.map((p) => p.id)], id, new Date(job.at));
  return { manifest, cost, skipped: false };
}

/** Deletes the points past the kept ones, and the objects that no kept point names (once they are an hour old). */
async function prune(bucket: R2Bucket, blog: string, born: string, ids: string[], newest: string, now: Date): Promise<void> {
  const kept = keptPoints(ids, now);
  kept.add(newest);
  const dropped = ids.filter((id) => !kept.has(id));
  if (!dropped.length) return;
  const k = backupKeys(blog, born);
  await bucket.delete(dropped.map((id) => k.point(id)));
  const named = new Set<string>();
  for (const id of kept) {
    const m = await readPoint(bucket, blog, born, id);
    if (!m) continue;
    for (const p of Object.values(m.posts)) named.add(p.o);
    for (const c of Object.values(m.comments)) named.add(c.o);
    if (m.settings) named.add(m.settings);
    if (m.subscribers) named.add(m.subscribers.o);
  }
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: k.objects, cursor });
    const unnamed = page.objects
      .filter((o) => !named.has(o.key.slice(k.objects.length)) && now.getTime() - o.uploaded.getTime() > GRACE_MS)
      .map((o) => o.key);
    if (unnamed.length) await bucket.delete(unnamed);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** The addresses and browsers erased on request since (their hashes), which a restore leaves out. */
async function erasedOf(bucket: R2Bucket, blog: string, born: string): Promise<Erased> {
  const all = json<Record<string, { m: Erased[string] }>>(await (await bucket.get(backupKeys(blog, born).erased))?.text()) ?? {};
  return Object.fromEntries(Object.entries(all).map(([hash, e]) => [hash, e.m]));
}

/** A post as a point holds it (null: it had no such post then). */
export async function postOf(env: Env, blog: string, born: string, id: string, slug: string): Promise<SourceRecord | null> {
  const m = await readPoint(env.ARCHIVES, blog, born, id);
  const chunk = await readObject<SourcesChunk>(env.ARCHIVES, blog, born, m?.posts[String(sourceChunk(slug))]?.o);
  return chunk?.posts[slug] ?? null;
}

/** A thread as a point holds it (no comments when it had none), and the people erased since; null: no such point. */
export async function threadOf(
  env: Env,
  blog: string,
  born: string,
  id: string,
  slug: string,
): Promise<{ thread: Thread; erased: Erased } | null> {
  const m = await readPoint(env.ARCHIVES, blog, born, id);
  if (!m) return null;
  const group = await readObject<Group>(env.ARCHIVES, blog, born, m.comments[String(sourceChunk(slug))]?.o);
  return { thread: group?.[slug] ?? { comments: [], reactions: [] }, erased: await erasedOf(env.ARCHIVES, blog, born) };
}

/** A saved source as the editor takes it (what the editor adds on saving is its own). */
export function asEdit(source: SourceRecord): PostSource {
  const { origin: _o, editedAt: _e, derived: _d, ...post } = source;
  return post;
}

export interface RestoreJob {
  blog: string;
  born: string;
  id: string;
  step: number;
  /** How an erased person's comments are signed, in the blog's language (the reader's catalog). */
  formerReader: string;
}

/**
 * A "backup" or "restore" message of the reader's jobs queue, run here: the blog must still be
 * active (a closed blog is not backed up, nor restored); answers the next step's message, if any.
 */
export async function runJob(env: Env, job: BackupJob): Promise<BackupJob | null> {
  const record = (await blogRecords(env.POSTS, [job.blog])).get(job.blog) ?? null;
  if (job.blog !== MAIN_BLOG && record?.state !== "active") return null;
  const born = bornOf(record?.createdAt);
  if (job.kind === "backup") {
    const made = await makePoint(env, { blog: job.blog, born, label: job.label, at: job.at });
    log("info", made.skipped ? "backup point already made" : "backup point made", {
      blog: job.blog,
      point: made.manifest.id,
      ...made.cost,
    });
    return null;
  }
  const s = await readRestore(env.ARCHIVES, job.blog, born, job.id);
  const { outcome, state } = await restoreStep(env, { ...job, born, formerReader: s?.formerReader ?? "" });
  if (outcome === "done") log("info", "blog restored from a backup", { blog: job.blog, point: state?.point, ...state?.counts });
  return outcome === "next" && state ? { ...job, step: state.step } : null;
}

/**
 * One step of putting the whole blog back as a point holds it: first a point of the blog as it is
 * (so the restore can be undone), then, a sources chunk at a time, every post that differs from the
 * point's is saved, every post the point did not have goes to the trash, every thread that differs
 * is put back; last the settings and the subscribers who are missing. The state is one R2 object
 * written with the ETag it read: a step delivered twice is done once.
 */
export async function restoreStep(
  env: Env,
  job: RestoreJob,
  now = new Date(),
): Promise<{ outcome: "next" | "done" | "skipped"; state: RestoreState | null }> {
  const bucket = env.ARCHIVES;
  const { blog, born } = job;
  const k = backupKeys(blog, born);
  const got = await bucket.get(k.restore(job.id));
  const s = json<RestoreState>(await got?.text());
  if (!got || !s || s.status !== "running" || s.step !== job.step) return { outcome: "skipped", state: s };
  const target = await readPoint(bucket, blog, born, s.point);
  if (!target) throw new Error(`point ${s.point} is missing`);
  let finished = false;
  let again = false;
  if (s.step === 0) {
    // The point of the blog as it is; a big one may take several runs (the same time, the same point).
    s.beforeAt ??= now.toISOString();
    const made = await makePoint(env, { blog, born, label: "before-restore", at: s.beforeAt });
    s.before = made.manifest.id;
    again = made.manifest.complete === false;
    s.chunk = 0;
  } else {
    // As many chunks as fit a step (an unchanged one costs nothing): EDITS_PER_STEP edits, or STEP_MS.
    const before = await readPoint(bucket, blog, born, s.before!);
    const budget = { edits: EDITS_PER_STEP, until: Date.now() + STEP_MS };
    while (s.chunk < SOURCE_CHUNKS && (await restoreChunk(env, job, s, target, before, budget)));
  }
  if (s.step > 0 && s.chunk >= SOURCE_CHUNKS) {
    const before = await readPoint(bucket, blog, born, s.before!);
    if (target.settings && target.settings !== before?.settings) {
      const saved = await readObject<SavedSettings>(bucket, blog, born, target.settings);
      if (saved) await env.READER.restoreSettings(blog, saved.settings, saved.customCss);
      s.counts.settings = true;
    }
    if (target.subscribers && target.subscribers.o !== before?.subscribers?.o) {
      const rows = (await readObject<BackupSubscriber[]>(bucket, blog, born, target.subscribers.o)) ?? [];
      const erased = await erasedOf(bucket, blog, born);
      const left: BackupSubscriber[] = [];
      for (const r of rows) if (!erased[await sha256(r.email.trim().toLowerCase())]) left.push(r);
      s.counts.subscribers = await env.READER.restoreSubscribers(blog, left);
    }
    finished = true;
  }
  if (!again) s.step++;
  s.updatedAt = new Date().toISOString();
  if (finished) s.status = "done";
  const written = await bucket.put(k.restore(job.id), JSON.stringify(s), { onlyIf: { etagMatches: got.etag } });
  if (!written) return { outcome: "skipped", state: null };
  return { outcome: finished ? "done" : "next", state: s };
}

/** One sources chunk of a whole-blog restore, its posts then its threads; false when the step's budget ran out first. */
async function restoreChunk(
  env: Env,
  job: RestoreJob,
  s: RestoreState,
  target: BackupManifest,
  before: BackupManifest | null,
  budget: { edits: number; until: number },
): Promise<boolean> {
  const { blog, born } = job;
  const n = String(s.chunk);
  const bucket = env.ARCHIVES;
  const next = () => {
    s.chunk++;
    s.after = null;
  };
  if (s.after !== THREADS) {
    if (target.posts[n]?.o !== before?.posts[n]?.o) {
      const [was, want] = await Promise.all([
        readObject<SourcesChunk>(bucket, blog, born, before?.posts[n]?.o),
        readObject<SourcesChunk>(bucket, blog, born, target.posts[n]?.o),
      ]);
      const slugs = [...new Set([...Object.keys(was?.posts ?? {}), ...Object.keys(want?.posts ?? {})])]
        .filter((slug) => s.after === null || slug > s.after)
        .sort();
      for (const slug of slugs) {
        const a = was?.posts[slug];
        const b = want?.posts[slug];
        const differs = b ? !a || JSON.stringify(asEdit(a)) !== JSON.stringify(asEdit(b)) : !!a;
        // A step makes so many edits at most; the next one goes on after the last slug done.
        if (differs && (budget.edits <= 0 || Date.now() > budget.until)) return false;
        if (b && differs) {
          await env.READER.restorePost(blog, asEdit(b));
          s.counts.posts++;
          budget.edits--;
        } else if (a && !b) {
          await env.READER.trashPost(blog, slug);
          s.counts.removed++;
          budget.edits--;
        }
        s.after = slug;
      }
    }
    s.after = THREADS;
  }
  const was = before?.comments[n];
  const want = target.comments[n];
  const differ = [...new Set([...Object.keys(was?.h ?? {}), ...Object.keys(want?.h ?? {})])].filter(
    (slug) => was?.h[slug] !== want?.h[slug],
  );
  if (differ.length) {
    const group = (await readObject<Group>(bucket, blog, born, want?.o)) ?? {};
    const erased = await erasedOf(bucket, blog, born);
    for (const slug of differ) {
      if (await env.READER.restoreThread(blog, slug, group[slug] ?? { comments: [], reactions: [] }, erased, job.formerReader))
        s.counts.threads++;
    }
  }
  next();
  return true;
}
