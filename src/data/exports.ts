/**
 * An owner's export of the whole blog: one zip in the ARCHIVES bucket, built in steps (one jobs-queue
 * message each, src/jobs.ts, run by the worker beside: federation/src/exporter.ts) that each fit a
 * request's limits and stream into an R2 multipart upload,
 * so no step holds more than a few parts of it. What a step has not yet sent as a part waits in a
 * small "pending" object; the zip's central directory waits as one list of entries per step; the WXR
 * file's items wait as one fragment per step and are copied into the zip at the end (its size and
 * CRC follow its data, zip flag bit 3). The state is one JSON object beside them, written last by
 * each step with the ETag it read, so a step delivered twice is done once.
 */
import { JOB_ID, jobId, STALLED_MS } from "../core/jobs";
import { federationService } from "../core/services";
import type { Settings } from "../settings";
import { signToken, verifyToken } from "../core/tokens";

/** R2's parts: all the same size but the last, at least 5 MiB. */
export const PART_BYTES = 5 * 1024 * 1024;
/** How long a finished export can be downloaded. */
export const EXPORT_TTL_MS = 7 * 24 * 3_600_000;
/** Finished exports kept per blog (the oldest goes when a new one starts). */
export const KEPT_EXPORTS = 3;

type Phase = "posts" | "images" | "wxr" | "files" | "close";

export interface ExportCounts {
  posts: number;
  comments: number;
  images: number;
  bytes: number;
}

export interface ExportState {
  v: 1;
  id: string;
  blog: string;
  born: string;
  /** Who started it, and who is mailed the link. */
  by: string;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  status: "running" | "ready" | "failed";
  error: string | null;
  step: number;
  phase: Phase;
  /** posts: the sources chunk, and the last slug done in it. */
  chunk: number;
  after: string | null;
  /** images: the last R2 key done. */
  mediaAfter: string | null;
  counts: ExportCounts;
  /** Entries written so far (a zip without zip64 holds 65,535). */
  files: number;
  /** The next WXR post id (each post takes two: itself and its cover's attachment). */
  wxrId: number;
  /** Steps that wrote a list of entries, and a WXR fragment. */
  dirSteps: number[];
  wxrSteps: number[];
  /** The WXR entry while it is copied: where it starts, its CRC and size so far, the fragments done. */
  wxr: { offset: number; crc: number; size: number; done: number } | null;
  upload: { uploadId: string; parts: { partNumber: number; etag: string }[]; written: number };
  /** Bytes waiting in `pending-<step>`. */
  pending: number;
}

/** What the owner sees of an export (GET /api/export, /admin/export). */
export interface ExportView {
  id: string;
  status: "running" | "ready" | "failed" | "expired";
  startedAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  by: string;
  counts: ExportCounts;
  error: string | null;
}

const folder = (blog: string, born: string) => `${blog}/${born}/exports/`;

/** Every object of one export; `born` (the blog's creation) keeps a new blog of the same name from seeing an old one's. */
export function exportKeys(blog: string, born: string, id: string) {
  const at = `${folder(blog, born)}${id}/`;
  return {
    at,
    state: `${at}state.json`,
    zip: `${at}export.zip`,
    pending: (step: number) => `${at}pending-${step}`,
    dir: (step: number) => `${at}dir-${step}.json`,
    wxr: (step: number) => `${at}wxr-${step}.xml`,
  };
}

/** A blog's incarnation, as export keys name it. */
export const bornOf = (createdAt: string | undefined | null) => String(createdAt ? Date.parse(createdAt) || 0 : 0);

/** The incarnation of the blog a request is for (what its archives are kept under). */
export const bornHere = (c: { var: { settings: { blog: { born?: string | null } } } }) => bornOf(c.var.settings.blog.born);

export function viewOf(s: ExportState, now: Date): ExportView {
  const stalled = s.status === "running" && now.getTime() - Date.parse(s.updatedAt) > STALLED_MS;
  const expired = s.status === "ready" && s.expiresAt !== null && Date.parse(s.expiresAt) <= now.getTime();
  return {
    id: s.id,
    status: expired ? "expired" : stalled ? "failed" : s.status,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    expiresAt: s.expiresAt,
    by: s.by,
    counts: s.counts,
    error: stalled ? "The export stopped making progress." : s.error,
  };
}

export async function readState(bucket: R2Bucket, key: string): Promise<{ state: ExportState; etag: string } | null> {
  const got = await bucket.get(key);
  if (!got) return null;
  try {
    return { state: (await got.json()) as ExportState, etag: got.etag };
  } catch {
    return null;
  }
}

/** A blog's exports, newest first. */
export async function listExports(bucket: R2Bucket, blog: string, born: string): Promise<ExportState[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: folder(blog, born), delimiter: "/", cursor });
    ids.push(...page.delimitedPrefixes.map((p) => p.slice(folder(blog, born).length, -1)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const states = await Promise.all(ids.map((id) => readState(bucket, exportKeys(blog, born, id).state)));
  return states
    .filter((s): s is { state: ExportState; etag: string } => !!s)
    .map((s) => s.state)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export async function readExport(bucket: R2Bucket, blog: string, born: string, id: string): Promise<ExportState | null> {
  if (!JOB_ID.test(id)) return null;
  return (await readState(bucket, exportKeys(blog, born, id).state))?.state ?? null;
}

/** Removes every object of an export (and aborts its upload while it runs). */
export async function deleteExport(bucket: R2Bucket, s: ExportState): Promise<void> {
  const keys = exportKeys(s.blog, s.born, s.id);
  if (s.status === "running")
    await bucket
      .resumeMultipartUpload(keys.zip, s.upload.uploadId)
      .abort()
      .catch(() => undefined);
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: keys.at, cursor });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/**
 * Starts an export: refused while another runs; the oldest finished ones beyond KEPT_EXPORTS − 1
 * and expired ones are deleted first. The caller queues its first step.
 */
export async function startExport(bucket: R2Bucket, blog: string, born: string, by: string, now: Date): Promise<ExportState | null> {
  const existing = await listExports(bucket, blog, born);
  const views = existing.map((s) => viewOf(s, now));
  // One at a time: the reader answers 409 export_running.
  if (views.some((v) => v.status === "running")) return null;
  let ready = 0;
  const gone = existing.filter((_, i) => views[i]!.status !== "ready" || ++ready > KEPT_EXPORTS - 1);
  await Promise.all(gone.map((s) => deleteExport(bucket, s)));
  const id = jobId(now);
  const keys = exportKeys(blog, born, id);
  const upload = await bucket.createMultipartUpload(keys.zip, { httpMetadata: { contentType: "application/zip" } });
  const state: ExportState = {
    v: 1,
    id,
    blog,
    born,
    by,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    finishedAt: null,
    expiresAt: null,
    status: "running",
    error: null,
    step: 0,
    phase: "posts",
    chunk: 0,
    after: null,
    mediaAfter: null,
    counts: { posts: 0, comments: 0, images: 0, bytes: 0 },
    files: 0,
    wxrId: 1,
    dirSteps: [],
    wxrSteps: [],
    wxr: null,
    upload: { uploadId: upload.uploadId, parts: [], written: 0 },
    pending: 0,
  };
  await bucket.put(keys.state, JSON.stringify(state));
  return state;
}

const downloadPurpose = (scope: string) => (scope ? `export:${scope}` : "export");

/** The signed part of an export's download address: good for this export of this blog until it expires. */
export function downloadKey(secret: string, scope: string, s: ExportState): Promise<string> {
  return signToken(secret, downloadPurpose(scope), `${s.blog}/${s.born}/${s.id}`, Date.parse(s.expiresAt ?? s.startedAt));
}

/** Whether `key` is this export's, and unexpired. */
export async function validDownloadKey(secret: string, scope: string, s: ExportState, key: string, now: Date): Promise<boolean> {
  return (await verifyToken(secret, downloadPurpose(scope), key, now.getTime())) === `${s.blog}/${s.born}/${s.id}`;
}

/** The zip's file name as the browser saves it: `<blog>-<day>.zip`. */
export const zipName = (s: ExportState) => `${s.blog}-${s.startedAt.slice(0, 10)}.zip`;

/** What one export step is told by the reader: the blog's settings as they apply (the deployment's vars filled in). */
export interface ExportJob {
  blog: string;
  born: string;
  id: string;
  step: number;
  site: Settings["blog"];
  comments: Settings["comments"];
}

/** The federation worker's Exporter entrypoint, as the reader calls it: the steps, and the state kept in R2 (federation/src/exporter.ts). */
export interface ExporterService {
  step(job: ExportJob): Promise<{ outcome: "next" | "ready" | "failed" | "skipped"; state: ExportState | null }>;
  /** Null while another export runs. */
  start(blog: string, born: string, by: string): Promise<ExportState | null>;
  list(blog: string, born: string): Promise<ExportState[]>;
  read(blog: string, born: string, id: string): Promise<ExportState | null>;
  /** Deletes the export once its time is over; true while it is not (ask again later). */
  expire(blog: string, born: string, id: string): Promise<boolean>;
}

export const exporterOf = (env: object) => federationService<ExporterService>(env, "EXPORTER");

/** Expires an export (the Exporter's `expire`): deleted when its time is over or it failed; true while it is still to be downloaded. */
export async function expireExport(bucket: R2Bucket, blog: string, born: string, id: string, now: Date): Promise<boolean> {
  const state = await readExport(bucket, blog, born, id);
  if (!state) return false;
  const view = viewOf(state, now);
  if (view.status === "expired" || view.status === "failed") {
    await deleteExport(bucket, state);
    return false;
  }
  return true;
}
