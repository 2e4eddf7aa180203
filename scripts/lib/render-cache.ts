/**
 * `npm run publish`'s render cache: each post's rendered record, by a hash of its source, in
 * `.cache/publish/<blog>.render` under the project. A post whose file did not change is not
 * rendered again. The cache belongs to the renderer that wrote it: any change to the code in
 * `src/core/` or to the pinned packages (package-lock.json) starts it afresh.
 */
// Code blocks are highlighted in Node by highlight.js (the worker asks the federation worker).
import "../../src/core/highlight";
import { createHash } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderPost } from "../../src/core/build";
import { getOrMake } from "../../src/core/maps";
import { sourceHash } from "./incremental";
import type { PostSource } from "../../src/core/types";

type RenderedPost = ReturnType<typeof renderPost>;
/** What listings, links and the sources keys need of a rendered post: all of it but the HTML. */
export type RenderedSummary = Omit<RenderedPost, "html" | "toc">;

/** Fingerprints already taken in this process, by project: the render cache and the publish memo both ask. */
const fingerprints = new Map<string, Promise<string>>();

/** What the rendering depends on besides the source: the content code and the locked packages. */
export function rendererFingerprint(root: string): Promise<string> {
  return getOrMake(fingerprints, root, () => fingerprint(root));
}

async function fingerprint(root: string): Promise<string> {
  const dir = join(root, "src", "core");
  const names = (await readdir(dir)).filter((n) => /\.tsx?$/.test(n)).sort();
  const hash = createHash("sha256");
  for (const name of names) hash.update(name).update(await readFile(join(dir, name)));
  hash.update(await readFile(join(root, "package-lock.json")).catch(() => Buffer.from("")));
  return hash.digest("base64url");
}

export interface RenderCache {
  render: (source: PostSource) => RenderedPost;
  /** The rendered post without its HTML (read from the cache without parsing the HTML). */
  summary: (source: PostSource) => RenderedSummary;
  /** A post rendered before (or now), by its source's hash. */
  byHash: (hash: string) => RenderedPost | undefined;
  /** Keeps what this publish rendered or reused, and the posts of `keep` (hashes), for the next one. */
  save: (keep?: ReadonlySet<string>) => Promise<void>;
  readonly hits: number;
  readonly misses: number;
}

/**
 * One line per post: `<source hash> TAB <summary JSON> TAB <{html, toc} JSON>`, after a first line
 * naming the renderer. The HTML is parsed only for the posts whose keys are made again, and a
 * publish that rendered a few posts appends their lines instead of writing the whole file.
 */
interface Line {
  summary: string;
  heavy: string;
}

export async function renderCache(root: string, blog: string, dir = join(root, ".cache", "publish")): Promise<RenderCache> {
  const file = join(dir, `${blog}.render`);
  const renderer = await rendererFingerprint(root);
  const old = new Map<string, Line>();
  try {
    const lines = (await readFile(file, "utf8")).split("\n");
    if (lines[0] === renderer) {
      for (let i = 1; i < lines.length; i++) {
        const [key, summary, heavy] = lines[i]!.split("\t");
        if (key && summary && heavy) old.set(key, { summary, heavy });
      }
    }
  } catch {
    // No cache yet, or one that cannot be read: everything is rendered.
  }
  const used = new Map<string, { summary?: RenderedSummary; full?: RenderedPost; line?: Line }>();
  const fresh: [string, RenderedPost][] = [];
  let hits = 0;
  let misses = 0;
  const full = (
    e: { summary?: RenderedSummary; full?: RenderedPost; line?: Line },
    source: PostSource | null,
  ): RenderedPost | undefined => {
    if (!e.full) {
      try {
        // The summary's fields come first in a rendered post, its html and toc last: the same object, in the same order.
        e.full = {
          ...(e.summary ?? (JSON.parse(e.line!.summary) as RenderedSummary)),
          ...(JSON.parse(e.line!.heavy) as Pick<RenderedPost, "html" | "toc">),
        };
      } catch {
        // A line cut short (an append interrupted): rendered again.
        if (!source) return undefined;
        e.full = renderPost(source);
      }
    }
    return e.full;
  };
  const entry = (source: PostSource) => {
    const key = sourceHash(source);
    let e = used.get(key);
    if (!e) {
      const line = old.get(key);
      if (line) {
        hits++;
        e = { line };
      } else {
        misses++;
        const full = renderPost(source);
        fresh.push([key, full]);
        e = { full };
      }
      used.set(key, e);
    }
    return e;
  };
  return {
    render(source) {
      return full(entry(source), source)!;
    },
    byHash(hash) {
      const e = used.get(hash) ?? (old.has(hash) ? { line: old.get(hash) } : undefined);
      return e ? full(e, null) : undefined;
    },
    summary(source) {
      const e = entry(source);
      if (!e.summary) {
        if (e.line) e.summary = JSON.parse(e.line.summary) as RenderedSummary;
        else {
          const { html: _h, toc: _t, ...summary } = e.full!;
          e.summary = summary;
        }
      }
      return e.summary;
    },
    async save(keep = new Set<string>()) {
      const stale = [...old.keys()].filter((k) => !used.has(k) && !keep.has(k)).length;
      if (!fresh.length && !stale) return;
      const lineOf = ([key, full]: [string, RenderedPost]) => {
        const { html, toc, ...summary } = full;
        return `${key}\t${JSON.stringify(summary)}\t${JSON.stringify({ html, toc })}\n`;
      };
      await mkdir(dir, { recursive: true });
      // A few new posts are appended; once lines nobody uses outnumber a quarter of the file, it is written again.
      if (old.size && stale <= used.size / 4) {
        await appendFile(file, fresh.map(lineOf).join(""));
        return;
      }
      const lines = [`${renderer}\n`];
      for (const [key, e] of used) {
        if (e.line) lines.push(`${key}\t${e.line.summary}\t${e.line.heavy}\n`);
      }
      for (const key of keep) {
        const line = used.has(key) ? undefined : old.get(key);
        if (line) lines.push(`${key}\t${line.summary}\t${line.heavy}\n`);
      }
      for (const f of fresh) lines.push(lineOf(f));
      // Written aside, then moved in place: an interrupted save never leaves half a cache.
      const aside = `${file}.${process.pid}.tmp`;
      await writeFile(aside, lines.join(""));
      await rename(aside, file);
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}
