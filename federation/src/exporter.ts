/**
 * The export's steps, run by the worker beside the reader (its `Exporter` entrypoint, called by the
 * reader's jobs queue once per step), so that the zip, WXR and multipart code never weighs on the
 * reader's bundle. A step reads the blog's posts from KV and its images from R2 itself, and asks the
 * reader (its `Internal` entrypoint) for what the blog's objects hold: comments, subscribers.
 * The state and objects are data/exports.ts's (the reader lists, downloads and deletes them).
 */
import { type Keys, keysFor, SOURCE_CHUNKS } from "../../src/core/keys";
import { MEDIA_REFERENCE, mediaPrefix } from "../../src/core/media";
import { postFileText } from "../../src/core/post-file";
import type { ImportedComment } from "../../src/core/imports";
import type { PostRecord, PostSource, SourcesChunk } from "../../src/core/types";
import { WXR_TAIL, type WxrChannel, wxrHead, wxrItem } from "../../src/core/wxr";
import { centralDirectory, concat, crc32, dataDescriptor, localHeader, ZIP_LIMITS, type ZipEntry } from "../../src/core/zip";
import { readCount } from "../../src/data/comments";
import type { Settings } from "../../src/settings";
import { EXPORT_TTL_MS, type ExportJob, exportKeys, type ExportState, PART_BYTES, readState } from "../../src/data/exports";

export type { ExportJob };

/** What one step may add before it stops (a step also stops after STEP_MS). */
const STEP_BYTES = 24 * 1024 * 1024;
const STEP_MS = 10_000;
const POSTS_PER_STEP = 100;
const IMAGES_PER_LIST = 20;

/** settings.json of an export: the blog's settings as its owners set them (no secret), and its own stylesheet. */
function exportedSettings(blog: Settings["blog"], comments: Settings["comments"], customCss: string, now: Date) {
  return {
    v: 1,
    blog: blog.name,
    url: blog.baseUrl,
    exportedAt: now.toISOString(),
    createdAt: blog.born || null,
    title: blog.title,
    description: blog.description,
    author: blog.author,
    language: blog.language,
    timeZone: blog.timeZone,
    look: { theme: blog.look.theme, accent: blog.look.accent, logo: blog.look.logo, favicon: blog.look.favicon },
    customCss: customCss || null,
    menu: blog.menu,
    emailPosts: blog.emailPosts,
    mostRead: blog.mostRead,
    comments: { moderation: comments.moderation, rateLimit: comments.rateLimit, blockedWords: comments.blockedWords },
  };
}

/** What a step reads the blog through. */
export interface ExportSource {
  posts: KVNamespace;
  keys: Keys;
  archives: R2Bucket;
  media: R2Bucket;
  blog: string;
  born: string;
  channel: WxrChannel;
  settings: unknown;
  /** A post's published comments (its imported ones taken first), and its thread's count, from the reader. */
  comments: (slug: string, imported: string | undefined) => Promise<ImportedComment[]>;
  commentCount: (slug: string) => Promise<number>;
  subscribersCsv: () => Promise<string>;
}

const parse = <T>(text: string | null): T | null => {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
};

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
    return this.src.archives;
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
    const { posts: kv, keys } = this.src;
    let done = 0;
    while (this.s.chunk < SOURCE_CHUNKS && this.room && done < POSTS_PER_STEP) {
      const chunk = parse<SourcesChunk>(await kv.get(keys.sources(this.s.chunk)));
      const left = Object.keys(chunk?.posts ?? {})
        .filter((slug) => this.s.after === null || slug > this.s.after)
        .sort();
      const slugs = left.slice(0, POSTS_PER_STEP - done);
      const records = await Promise.all(slugs.map(async (slug) => parse<PostRecord>(await kv.get(keys.post(slug)))));
      for (const [i, slug] of slugs.entries()) {
        const record = records[i] ?? null;
        // Published comments; imported ones are taken into the thread first, as a reader's visit would.
        const comments: ImportedComment[] =
          record?.imported || (await this.src.commentCount(slug)) > 0 ? await this.src.comments(slug, record?.imported) : [];
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
    const { media, blog } = this.src;
    while (this.room) {
      const page = await media.list({ prefix: mediaPrefix(blog), startAfter: this.s.mediaAfter ?? undefined, limit: IMAGES_PER_LIST });
      for (const o of page.objects) {
        if (!this.room) return;
        const got = await media.get(o.key);
        if (got) {
          this.file(`posts/images/${o.key.slice(mediaPrefix(blog).length)}`, new Uint8Array(await got.arrayBuffer()));
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
    const { posts: kv, keys } = this.src;
    const redirects = parse<{ v: 1; paths: Record<string, string> }>(await kv.get(keys.redirects));
    const lines = Object.entries(redirects?.paths ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, slug]) => `${from} ${slug}`);
    if (lines.length)
      this.file("posts/redirects.txt", encoder.encode(`# Old addresses and the post each one leads to.\n${lines.join("\n")}\n`));
    this.file("subscribers.csv", encoder.encode(await this.src.subscribersCsv()));
    this.file("settings.json", encoder.encode(`${JSON.stringify(this.src.settings, null, 2)}\n`));
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
  const bucket = src.archives;
  const blog = src.blog;
  const stateKey = (born: string) => exportKeys(blog, born, id).state;
  const born = src.born;
  const read = await readState(bucket, stateKey(born));
  if (read?.state.status !== "running" || read.state.step !== step) return { outcome: "skipped", state: read?.state ?? null };
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

/** One step for the reader's jobs queue: the blog's stores, and what only the reader's objects hold asked of it. */
export async function runExportStep(env: Env, job: ExportJob, now = new Date()) {
  const reader = env.READER;
  const { site } = job;
  // settings.json holds the stylesheet (one small read a step).
  const customCss = (await env.POSTS.get(keysFor(job.blog).customCss)) ?? "";
  return exportStep(
    {
      posts: env.POSTS,
      keys: keysFor(job.blog),
      archives: env.ARCHIVES,
      media: env.MEDIA,
      blog: job.blog,
      born: job.born,
      channel: {
        title: site.title,
        description: site.description,
        url: site.baseUrl,
        language: site.language,
        author: site.author,
        exportedAt: now,
      },
      settings: exportedSettings(site, job.comments, customCss, now),
      comments: (slug, imported) => reader.exportedComments(job.blog, slug, imported),
      commentCount: async (slug) => readCount(await env.POSTS.get(keysFor(job.blog).commentCount(slug))).n,
      subscribersCsv: () => reader.subscribersCsv(job.blog),
    },
    job.id,
    job.step,
    now,
  );
}
