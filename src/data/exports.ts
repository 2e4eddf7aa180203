/**
 * An owner's export of the whole blog: one zip in the ARCHIVES bucket, built in steps (one jobs-queue
 * message each, src/jobs.ts) that each fit a request's limits and stream into an R2 multipart upload,
 * so no step holds more than a few parts of it. What a step has not yet sent as a part waits in a
 * small "pending" object; the zip's central directory waits as one list of entries per step; the WXR
 * file's items wait as one fragment per step and are copied into the zip at the end (its size and
 * CRC follow its data, zip flag bit 3). The state is one JSON object beside them, written last by
 * each step with the ETag it read, so a step delivered twice is done once.
 */
import { SOURCE_CHUNKS, type BlogStore } from "../core/keys";
import { MEDIA_REFERENCE, mediaPrefix } from "../core/media";
import { postFileText } from "../core/post-file";
import type { ImportedComment } from "../core/imports";
import type { PostRecord, PostSource, SourcesChunk } from "../core/types";
import { WXR_TAIL, type WxrChannel, wxrHead, wxrItem } from "../core/wxr";
import { centralDirectory, concat, crc32, dataDescriptor, localHeader, ZIP_LIMITS, type ZipEntry } from "../core/zip";
import { signToken, verifyToken } from "../core/tokens";
import { AppError } from "../errors";
import { commentCounts, commentThread, importsOf } from "./comments";
import { subscribers } from "./objects";
import { parse } from "./posts";

/** R2's parts: all the same size but the last, at least 5 MiB. */
export const PART_BYTES = 5 * 1024 * 1024;
/** What one step may add before it stops (a step also stops after STEP_MS). */
const STEP_BYTES = 24 * 1024 * 1024;
const STEP_MS = 10_000;
const POSTS_PER_STEP = 100;
const IMAGES_PER_LIST = 20;
/** How long a finished export can be downloaded. */
export const EXPORT_TTL_MS = 7 * 24 * 3_600_000;
/** Finished exports kept per blog (the oldest goes when a new one starts). */
export const KEPT_EXPORTS = 3;
/** A running export that has not moved for this long has failed (its steps were dropped after their retries). */
export const STALLED_MS = 30 * 60_000;

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

async function readState(bucket: R2Bucket, key: string): Promise<{ state: ExportState; etag: string } | null> {
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
  if (!/^[a-z0-9]{1,40}$/.test(id)) return null;
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
export async function startExport(bucket: R2Bucket, blog: string, born: string, by: string, now: Date): Promise<ExportState> {
  const existing = await listExports(bucket, blog, born);
  const views = existing.map((s) => viewOf(s, now));
  if (views.some((v) => v.status === "running"))
    throw new AppError("export_running", "An export of this blog is being made; it will be ready in a few minutes.");
  const gone = existing.filter(
    (s, i) =>
      views[i]!.status !== "ready" || existing.slice(0, i).filter((o, j) => views[j]!.status === "ready").length >= KEPT_EXPORTS - 1,
  );
  await Promise.all(gone.map((s) => deleteExport(bucket, s)));
  const id = `${now.getTime().toString(36)}${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
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

/** What a step reads the blog through. */
export interface ExportSource {
  env: Env;
  store: BlogStore;
  /** The blog's incarnation (bornOf). */
  born: string;
  channel: WxrChannel;
  /** settings.json's contents. */
  settings: () => Promise<unknown>;
}

/** Bytes waiting to become parts: the pending object's, then what this step adds. */
class Spool {
  private chunks: Uint8Array[] = [];
  length = 0;
  added = 0;
  constructor(pending: Uint8Array) {
    if (pending.length) this.chunks.push(pending);
    this.length = pending.length;
  }
  push(bytes: Uint8Array) {
    if (!bytes.length) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
    this.added += bytes.length;
  }
  /** The first `n` bytes, taken out. */
  take(n: number): Uint8Array {
    const all = concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - Math.min(n, all.length);
    return all.subarray(0, n);
  }
}

const encoder = new TextEncoder();

/** The Markdown as a file of the export holds it: the blog's images as `images/<name>` beside the posts. */
const asFile = (text: string) => text.replace(MEDIA_REFERENCE, "images/$1");

class Step {
  out: Spool;
  entries: ZipEntry[] = [];
  wxr = "";
  private readonly started = Date.now();
  constructor(
    readonly src: ExportSource,
    readonly s: ExportState,
    pending: Uint8Array,
  ) {
    this.out = new Spool(pending);
  }
  get bucket() {
    return this.src.env.ARCHIVES;
  }
  get offset() {
    return this.s.upload.written + this.out.length;
  }
  get room() {
    return this.out.added < STEP_BYTES && Date.now() - this.started < STEP_MS;
  }
  file(name: string, bytes: Uint8Array) {
    const crc = crc32(bytes);
    const offset = this.offset;
    const header = localHeader(name, new Date(this.s.startedAt), { crc, size: bytes.length });
    this.out.push(header);
    this.out.push(bytes);
    this.entries.push({ name, crc, size: bytes.length, offset });
    this.s.counts.bytes = this.offset;
    this.s.files++;
    if (this.s.files > ZIP_LIMITS.entries || this.offset > ZIP_LIMITS.bytes)
      throw new ExportTooLarge("The blog is too large for one export (65,535 files or 4 GB).");
  }

  async posts() {
    const { store } = this.src;
    let done = 0;
    while (this.s.chunk < SOURCE_CHUNKS && this.room && done < POSTS_PER_STEP) {
      const key = store.keys.sources(this.s.chunk);
      const chunk = parse<SourcesChunk>(await store.kv.get(key), key);
      const left = Object.keys(chunk?.posts ?? {})
        .filter((slug) => this.s.after === null || slug > this.s.after)
        .sort();
      const slugs = left.slice(0, POSTS_PER_STEP - done);
      const records = await Promise.all(
        slugs.map(async (slug) => parse<PostRecord>(await store.kv.get(store.keys.post(slug)), store.keys.post(slug))),
      );
      const counts = await commentCounts(store, slugs);
      for (const [i, slug] of slugs.entries()) {
        const record = records[i] ?? null;
        // Published comments; imported ones are taken into the thread first, as a reader's visit would.
        const comments: ImportedComment[] =
          record?.imported || (counts.get(slug) ?? 0) > 0
            ? await commentThread(this.src.env, store.name, slug).exported(record ? importsOf(store, record) : undefined)
            : [];
        this.post(chunk!.posts[slug]!, record, comments);
        this.s.after = slug;
        done++;
      }
      if (slugs.length === left.length) {
        this.s.chunk++;
        this.s.after = null;
      }
    }
    if (this.s.chunk >= SOURCE_CHUNKS) this.s.phase = "images";
  }

  private post(source: PostSource, record: PostRecord | null, comments: ImportedComment[]) {
    const file = { ...source, markdown: asFile(source.markdown), cover: source.cover ? asFile(source.cover) : source.cover };
    this.file(`posts/${source.slug}.md`, encoder.encode(postFileText(file)));
    if (comments.length) {
      this.file(`posts/comments/${source.slug}.json`, encoder.encode(`${JSON.stringify({ v: 1, comments }, null, 1)}\n`));
      this.s.counts.comments += comments.length;
    }
    const url = this.src.channel.url;
    const html = (record?.html ?? "").replace(/(src|href|srcset)="\/media\//g, `$1="${url}/media/`);
    this.wxr += wxrItem(source, html, comments, this.s.wxrId, url, new Date(this.s.startedAt));
    this.s.wxrId += 2;
    this.s.counts.posts++;
  }

  async images() {
    const { env, store } = this.src;
    while (this.room) {
      const page = await env.MEDIA.list({
        prefix: mediaPrefix(store.name),
        startAfter: this.s.mediaAfter ?? undefined,
        limit: IMAGES_PER_LIST,
      });
      for (const o of page.objects) {
        if (!this.room) return;
        const got = await env.MEDIA.get(o.key);
        if (got) {
          this.file(`posts/images/${o.key.slice(mediaPrefix(store.name).length)}`, new Uint8Array(await got.arrayBuffer()));
          this.s.counts.images++;
        }
        this.s.mediaAfter = o.key;
      }
      if (!page.truncated) {
        this.s.phase = "wxr";
        return;
      }
    }
  }

  /** wordpress.xml: its head, each step's fragment in order, its tail, then its data descriptor. */
  async copyWxr() {
    await this.keepWxr();
    if (!this.s.wxr) {
      const offset = this.offset;
      this.out.push(localHeader("wordpress.xml", new Date(this.s.startedAt), null));
      this.s.wxr = { offset, crc: 0, size: 0, done: 0 };
      this.wxrData(encoder.encode(wxrHead(this.src.channel)));
    }
    const w = this.s.wxr;
    while (w.done < this.s.wxrSteps.length && this.room) {
      const key = exportKeys(this.s.blog, this.s.born, this.s.id).wxr(this.s.wxrSteps[w.done]!);
      const got = await this.bucket.get(key);
      if (!got) throw new Error(`${key} is missing`);
      this.wxrData(new Uint8Array(await got.arrayBuffer()));
      w.done++;
    }
    if (w.done < this.s.wxrSteps.length) return;
    this.wxrData(encoder.encode(WXR_TAIL));
    this.out.push(dataDescriptor(w.crc, w.size));
    this.entries.push({ name: "wordpress.xml", crc: w.crc, size: w.size, offset: w.offset, descriptor: true });
    this.s.files++;
    this.s.phase = "files";
  }
  /** This step's WXR items, kept as its fragment (before they are copied, or for a later step to copy). */
  async keepWxr() {
    if (!this.wxr) return;
    await this.bucket.put(exportKeys(this.s.blog, this.s.born, this.s.id).wxr(this.s.step), this.wxr);
    this.s.wxrSteps.push(this.s.step);
    this.wxr = "";
  }

  private wxrData(bytes: Uint8Array) {
    const w = this.s.wxr!;
    w.crc = crc32(bytes, w.crc);
    w.size += bytes.length;
    this.out.push(bytes);
  }

  async files() {
    const { env, store } = this.src;
    const redirects = parse<{ v: 1; paths: Record<string, string> }>(await store.kv.get(store.keys.redirects), store.keys.redirects);
    const lines = Object.entries(redirects?.paths ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, slug]) => `${from} ${slug}`);
    if (lines.length)
      this.file("posts/redirects.txt", encoder.encode(`# Old addresses and the post each one leads to.\n${lines.join("\n")}\n`));
    this.file("subscribers.csv", encoder.encode(await subscribers(env, store.name).csv()));
    this.file("settings.json", encoder.encode(`${JSON.stringify(await this.src.settings(), null, 2)}\n`));
    this.s.phase = "close";
  }
}

class ExportTooLarge extends Error {}

/** Sends every whole part the spool holds (all of PART_BYTES), or everything when `last`. */
async function sendParts(bucket: R2Bucket, key: string, s: ExportState, out: Spool, last: boolean): Promise<void> {
  const upload = bucket.resumeMultipartUpload(key, s.upload.uploadId);
  while (out.length >= PART_BYTES || (last && out.length > 0)) {
    const bytes = out.take(Math.min(PART_BYTES, out.length));
    const part = await upload.uploadPart(s.upload.parts.length + 1, bytes);
    s.upload.parts.push({ partNumber: part.partNumber, etag: part.etag });
    s.upload.written += bytes.length;
  }
}

/**
 * Runs one step of an export. Returns what happened: `next` (the caller queues step + 1),
 * `ready`, `failed`, or `skipped` (not this export's current step: delivered twice, or gone).
 */
export async function exportStep(
  src: ExportSource,
  id: string,
  step: number,
  now: Date,
): Promise<{ outcome: "next" | "ready" | "failed" | "skipped"; state: ExportState | null }> {
  const bucket = src.env.ARCHIVES;
  const blog = src.store.name;
  const stateKey = (born: string) => exportKeys(blog, born, id).state;
  const born = src.born;
  const read = await readState(bucket, stateKey(born));
  if (!read || read.state.status !== "running" || read.state.step !== step) return { outcome: "skipped", state: read?.state ?? null };
  const s = structuredClone(read.state);
  const keys = exportKeys(blog, born, id);
  const pendingObject = s.pending ? await bucket.get(keys.pending(step)) : null;
  const run = new Step(src, s, pendingObject ? new Uint8Array(await pendingObject.arrayBuffer()) : new Uint8Array(0));
  try {
    while (run.room && s.phase !== "close") {
      if (s.phase === "posts") await run.posts();
      else if (s.phase === "images") await run.images();
      else if (s.phase === "wxr") await run.copyWxr();
      else if (s.phase === "files") await run.files();
    }
  } catch (error) {
    if (!(error instanceof ExportTooLarge)) throw error;
    s.status = "failed";
    s.error = error.message;
    await bucket
      .resumeMultipartUpload(keys.zip, s.upload.uploadId)
      .abort()
      .catch(() => undefined);
    s.updatedAt = now.toISOString();
    await bucket.put(keys.state, JSON.stringify(s), { onlyIf: { etagMatches: read.etag } });
    return { outcome: "failed", state: s };
  }
  await run.keepWxr();
  const finishing = s.phase === "close";
  if (finishing) {
    const entries: ZipEntry[] = [];
    for (const n of s.dirSteps) {
      const got = await bucket.get(keys.dir(n));
      if (!got) throw new Error(`${keys.dir(n)} is missing`);
      entries.push(...((await got.json()) as ZipEntry[]));
    }
    entries.push(...run.entries);
    run.out.push(centralDirectory(entries, run.offset, new Date(s.startedAt)));
    s.counts.bytes = run.offset;
    await sendParts(bucket, keys.zip, s, run.out, true);
    await bucket.resumeMultipartUpload(keys.zip, s.upload.uploadId).complete(s.upload.parts);
    s.status = "ready";
    s.finishedAt = now.toISOString();
    s.expiresAt = new Date(now.getTime() + EXPORT_TTL_MS).toISOString();
    s.pending = 0;
  } else {
    if (run.entries.length) {
      await bucket.put(keys.dir(step), JSON.stringify(run.entries));
      s.dirSteps.push(step);
    }
    await sendParts(bucket, keys.zip, s, run.out, false);
    s.pending = run.out.length;
    if (s.pending) await bucket.put(keys.pending(step + 1), run.out.take(run.out.length));
  }
  s.step = step + 1;
  s.updatedAt = now.toISOString();
  const written = await bucket.put(keys.state, JSON.stringify(s), { onlyIf: { etagMatches: read.etag } });
  if (!written) return { outcome: "skipped", state: null };
  // What the next step no longer needs (the finished export keeps only its zip and state).
  const stale = finishing ? [...s.dirSteps.map(keys.dir), ...s.wxrSteps.map(keys.wxr), keys.pending(step)] : [keys.pending(step)];
  await bucket.delete(stale);
  return { outcome: finishing ? "ready" : "next", state: s };
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
