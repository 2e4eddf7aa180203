import { createHash } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { imageProblem, sniffImage } from "../../src/core/media";
import type { ImportedPost } from "./model";

/**
 * The images imported posts show, brought home: each is downloaded from the old site into
 * `posts/images/` (the largest size WordPress keeps, when it can be had) and the post's links are
 * rewritten to it, so the next `npm run publish` uploads it to R2 like any image next to the posts.
 * A few downloads run at once, each with a timeout; a file already there is not fetched again (so
 * an import that stopped resumes where it was); a download that fails keeps the old link and is
 * reported with its URL — it never fails the import.
 */
export interface MediaOptions {
  postsDir: string;
  dryRun: boolean;
  /** Downloads at once. */
  concurrency?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface MediaReport {
  downloaded: number;
  reused: number;
  failed: { url: string; reason: string }[];
}

export const IMAGES_DIR = "images";
const MAX_BYTES = 10 * 1024 * 1024;

/** `![alt](src "title")`, the image of a linked image `[![alt](src)](href)`, `<img src srcset>`. */
const LINKED_IMAGE = /\[(!\[[^\]]*\]\(\s*<?(https?:\/\/[^)\s>]+)>?(?:\s+"[^"]*")?\s*\))\]\(\s*<?(https?:\/\/[^)\s>]+)>?\s*\)/g;
const MARKDOWN_IMAGE = /!\[[^\]]*\]\(\s*<?(https?:\/\/[^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const HTML_IMAGE = /<img\b[^>]*>/gi;
const IMAGE_FILE = /\.(?:png|jpe?g|gif|webp|avif)(?:[?#].*)?$/i;

/** WordPress's resized copies are `name-300x200.jpg` beside the original `name.jpg`: the original first. */
export function largestCandidates(url: string): string[] {
  const original = url.replace(/-\d{2,5}x\d{2,5}(\.(?:png|jpe?g|gif|webp|avif))(?=$|[?#])/i, "$1");
  return original === url ? [url] : [original, url];
}

/** The largest candidate of a `srcset` (by its `w` or `x` descriptor), or null. */
function largestOfSrcset(srcset: string): string | null {
  let best: { url: string; size: number } | null = null;
  for (const part of srcset.split(",")) {
    const [url, descriptor = "1x"] = part.trim().split(/\s+/);
    if (!url || !/^https?:\/\//i.test(url)) continue;
    const size = Number.parseFloat(descriptor) * (descriptor.endsWith("x") ? 10_000 : 1);
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url ?? null;
}

/** The name a downloaded image gets in `posts/images/`: its own name, made safe, after a short hash of its address. */
function localName(url: string, ext: string): string {
  const base =
    decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "image")
      .replace(/\.[a-z0-9]+$/i, "")
      .normalize("NFKD")
      .replace(/[^\w.-]+/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "")
      .slice(0, 60) || "image";
  return `${createHash("sha256").update(url).digest("hex").slice(0, 8)}-${base}.${ext}`;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** Downloads one image (the largest candidate that answers with a real image); its local path, or why not. */
async function download(
  url: string,
  opts: MediaOptions,
  found: Set<string>,
): Promise<{ path: string; from: "old site" | "disk" | "this run" } | { reason: string }> {
  const dir = join(opts.postsDir, IMAGES_DIR);
  let reason = "";
  for (const candidate of largestCandidates(url)) {
    // A file already downloaded (by this run or an earlier one) is used as it is.
    for (const ext of ["png", "jpg", "gif", "webp", "avif"]) {
      const name = localName(candidate, ext);
      if (found.has(name)) return { path: `${IMAGES_DIR}/${name}`, from: "this run" };
      if (await exists(join(dir, name))) {
        found.add(name);
        return { path: `${IMAGES_DIR}/${name}`, from: "disk" };
      }
    }
    try {
      const res = await fetch(candidate, { signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000), redirect: "follow" });
      if (!res.ok) {
        reason = `the old site answered ${res.status}`;
        continue;
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > MAX_BYTES) {
        reason = "larger than 10 MB";
        continue;
      }
      const problem = imageProblem(bytes);
      if (problem) {
        reason = problem.replace(/\.$/, "");
        continue;
      }
      const name = localName(candidate, sniffImage(bytes)!);
      found.add(name);
      if (!opts.dryRun) {
        await mkdir(dir, { recursive: true });
        // Written whole, then named: a file under its name is always complete (what resuming relies on).
        const partial = join(dir, `.${name}.part`);
        await writeFile(partial, bytes);
        await rename(partial, join(dir, name));
      }
      return { path: `${IMAGES_DIR}/${name}`, from: "old site" };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      reason = (err as Error).name === "TimeoutError" ? "no answer in time" : `${(err as Error).message}${cause ? ` (${cause})` : ""}`;
    }
  }
  return { reason };
}

/** Every remote image address a post shows (its cover, Markdown images, linked images' targets, `<img>` src and srcset). */
function imagesOf(post: ImportedPost): string[] {
  const md = post.source.markdown;
  const urls = new Set<string>();
  if (post.source.cover && /^https?:\/\//i.test(post.source.cover)) urls.add(post.source.cover);
  for (const m of md.matchAll(LINKED_IMAGE)) if (IMAGE_FILE.test(m[3]!)) urls.add(m[3]!);
  for (const m of md.matchAll(MARKDOWN_IMAGE)) urls.add(m[1]!);
  for (const [tag] of md.matchAll(HTML_IMAGE)) {
    const src = /\bsrc\s*=\s*["'](https?:\/\/[^"']+)["']/i.exec(tag)?.[1];
    const srcset = /\bsrcset\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    const best = (srcset && largestOfSrcset(srcset)) || src;
    if (best) urls.add(best);
    if (src) urls.add(src);
  }
  return [...urls];
}

/** Rewrites a post's image addresses to the downloaded files (`local`: address → `images/…`). */
function rewrite(post: ImportedPost, local: Map<string, string>): void {
  const s = post.source;
  let md = s.markdown.replace(LINKED_IMAGE, (whole, image: string, src: string, href: string) => {
    // A thumbnail linking to its full size ("link to media file"): the full size, shown.
    const full = local.get(href);
    return full ? image.replace(src, full) : whole;
  });
  md = md.replace(MARKDOWN_IMAGE, (whole, src: string) => (local.has(src) ? whole.replace(src, local.get(src)!) : whole));
  md = md.replace(HTML_IMAGE, (tag) => {
    const src = /\bsrc\s*=\s*["'](https?:\/\/[^"']+)["']/i.exec(tag)?.[1];
    const srcset = /\bsrcset\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    const best = (srcset && largestOfSrcset(srcset) && local.get(largestOfSrcset(srcset)!)) || (src && local.get(src));
    if (!best || !src) return tag;
    return tag.replace(src, best).replace(/\s+(?:srcset|sizes)\s*=\s*(["'])[^"']*\1/gi, "");
  });
  post.source = { ...s, markdown: md, ...(s.cover && local.has(s.cover) ? { cover: local.get(s.cover)! } : {}) };
}

/** Downloads every image the posts show and rewrites their links; what failed keeps its old link. */
export async function importMedia(posts: ImportedPost[], opts: MediaOptions): Promise<MediaReport> {
  const log = opts.log ?? (() => {});
  const wanted = [...new Set(posts.flatMap(imagesOf))];
  const report: MediaReport = { downloaded: 0, reused: 0, failed: [] };
  if (!wanted.length) return report;
  const local = new Map<string, string>();
  const found = new Set<string>();
  const inflight = new Map<string, ReturnType<typeof download>>();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const url = wanted[next++]!;
      // Two addresses of one image (a thumbnail and its original) are fetched once.
      const key = largestCandidates(url)[0]!;
      const pending = inflight.get(key);
      let result: Awaited<ReturnType<typeof download>>;
      if (pending) {
        const first = await pending;
        result = "path" in first ? { path: first.path, from: "this run" } : first;
      } else {
        const started = download(url, opts, found);
        inflight.set(key, started);
        result = await started;
      }
      if ("path" in result) {
        local.set(url, result.path);
        if (result.from === "old site") report.downloaded++;
        else if (result.from === "disk") report.reused++;
      } else report.failed.push({ url, reason: result.reason });
      done++;
      if (done % 20 === 0 || done === wanted.length) log(`  [${done}/${wanted.length}] images`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, wanted.length) }, worker));
  for (const post of posts) rewrite(post, local);
  return report;
}
