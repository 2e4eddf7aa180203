/**
 * What `npm run publish` keeps between runs beside the render cache, in `.cache/publish/`:
 * each file's parsed front matter by a hash of its text (`<blog>.files.json`: a file that did not
 * change is not parsed again), and what the last publish built (`<blog>.built.json`), which holds
 * only while the blog's manifest in KV is the one that publish wrote, and for the code that wrote it.
 */
// Code blocks are highlighted in Node by highlight.js (the worker asks the federation worker).
import "../../src/core/highlight";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PostSource } from "../../src/core/types";
import { hashValue as sha } from "../../src/core/plan";
import type { Built } from "./incremental";
import { rendererFingerprint } from "./render-cache";

/** A file as parsed: its post without the Markdown (the file's text from `markdownAt`), and the warnings it gave. */
interface ParsedFile {
  /** Its Markdown left empty, in place: the fields keep their order, and so the post its hash. */
  post: PostSource;
  markdownAt: number;
  warnings: { field: string; message: string }[];
}

interface FilesMemo {
  code: string;
  files: Record<string, ParsedFile>;
}

interface BuiltMemo {
  code: string;
  manifest: string;
  built: Built;
}

export interface ParseCache {
  get(slug: string, text: string): { post: PostSource; warnings: { field: string; message: string }[] } | undefined;
  set(slug: string, text: string, post: PostSource, warnings: { field: string; message: string }[]): void;
}

export interface PublishMemo {
  files: ParseCache;
  /** What the last publish built, if the manifest (its text, as read from KV) is the one it wrote. */
  builtFor(manifest: string | null): Built | null;
  /** Keeps this publish's build, for the manifest it wrote (null: the last build stays, with the files parsed now). */
  save(built: { manifest: string; built: Built } | null): Promise<void>;
  /** Before writing to KV: a publish that stops midway leaves no build to trust, and the next one builds everything. */
  forgetBuilt(): Promise<void>;
}

export async function publishMemo(root: string, blog: string, dir = join(root, ".cache", "publish")): Promise<PublishMemo> {
  const filesAt = join(dir, `${blog}.files.json`);
  const builtAt = join(dir, `${blog}.built.json`);
  // The build depends on the content code and on this script's own pieces.
  const code = sha(
    (await rendererFingerprint(root)) +
      (await readFile(join(root, "scripts", "lib", "incremental.ts"), "utf8")) +
      (await readFile(join(root, "scripts", "lib", "load.ts"), "utf8")),
  );
  const read = async <T extends { code: string }>(path: string): Promise<T | null> => {
    try {
      const value = JSON.parse(await readFile(path, "utf8")) as T;
      return value && value.code === code ? value : null;
    } catch {
      // None yet, or one that cannot be read: everything is parsed and built.
      return null;
    }
  };
  const oldFiles = (await read<FilesMemo>(filesAt))?.files ?? {};
  const oldBuilt = await read<BuiltMemo>(builtAt);
  const files: Record<string, ParsedFile> = {};
  let parsedNow = 0;
  const write = async (path: string, value: unknown) => {
    await mkdir(dir, { recursive: true });
    // Written aside, then moved in place: an interrupted save never leaves half a memo.
    const aside = `${path}.${process.pid}.tmp`;
    await writeFile(aside, JSON.stringify(value));
    await rename(aside, path);
  };
  return {
    files: {
      get(slug, text) {
        const key = sha(`${slug}\0${text}`);
        const hit = oldFiles[key];
        if (!hit) return undefined;
        files[key] = hit;
        return { post: { ...hit.post, markdown: text.slice(hit.markdownAt) }, warnings: hit.warnings };
      },
      set(slug, text, post, warnings) {
        // Only a post whose Markdown is the file's tail is kept (the parser gives it as written).
        if (!text.endsWith(post.markdown)) return;
        parsedNow++;
        files[sha(`${slug}\0${text}`)] = { post: { ...post, markdown: "" }, markdownAt: text.length - post.markdown.length, warnings };
      },
    },
    builtFor(manifest) {
      return manifest !== null && oldBuilt && oldBuilt.manifest === sha(manifest) ? oldBuilt.built : null;
    },
    async save(done) {
      const known = Object.keys(files).length;
      // The files' memo changes when a file was parsed now, or one parsed before is gone.
      if (parsedNow || known !== Object.keys(oldFiles).length) {
        await write(filesAt, { code, files: done ? files : { ...oldFiles, ...files } } satisfies FilesMemo);
      }
      if (done) await write(builtAt, { code, manifest: sha(done.manifest), built: done.built } satisfies BuiltMemo);
    },
    async forgetBuilt() {
      if (oldBuilt) await rm(builtAt, { force: true });
    },
  };
}
