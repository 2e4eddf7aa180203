/**
 * A zip given to `npm run import`: this platform's own export (`posts/*.md`, `posts/comments/`,
 * `posts/images/`, `posts/redirects.txt`, `subscribers.csv`, `settings.json`), whose posts folder is
 * written as it is; or another platform's zipped export (WordPress.com's zip of WXR files, a zipped
 * Ghost JSON), whose files are read as if given one by one.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { readZip } from "../../src/core/zip";
import { loadPostText } from "../lib/load";

export type ZipFiles = { name: string; bytes: Uint8Array }[];

export const isZip = (head: Uint8Array) => head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05);

export function zipFiles(bytes: Uint8Array, file: string): ZipFiles {
  try {
    return readZip(bytes, (b) => new Uint8Array(inflateRawSync(b))).filter((f) => !f.name.startsWith("__MACOSX/"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** Whether the zip is an export of this platform (it has `posts/<slug>.md` files). */
export const isOwnExport = (files: ZipFiles) => files.some((f) => /^posts\/[^/]+\.md$/.test(f.name));

/** Where a file of the zip goes under the posts folder, or null for one this import does not take (a name trying to leave the folder, say). */
function target(name: string): string | null {
  if (name.includes("\\") || name.split("/").some((part) => part === ".." || part === "" || part.startsWith("."))) return null;
  if (/^posts\/[^/]+\.md$/.test(name) || /^posts\/comments\/[^/]+\.json$/.test(name) || /^posts\/images\/[^/]+$/.test(name))
    return name.slice(6);
  if (name === "posts/redirects.txt") return "redirects.txt";
  if (name === "subscribers.csv" || name === "settings.json") return name;
  return null;
}

export interface OwnImportReport {
  posts: number;
  comments: number;
  images: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: string[];
  ignored: string[];
}

/** Writes an export of this platform into the posts folder, file by file (unchanged files are left alone). */
export async function importOwnExport(files: ZipFiles, postsDir: string, dryRun: boolean): Promise<OwnImportReport> {
  const report: OwnImportReport = { posts: 0, comments: 0, images: 0, created: 0, updated: 0, unchanged: 0, problems: [], ignored: [] };
  const decoder = new TextDecoder();
  for (const f of files) {
    const rel = target(f.name);
    if (rel === null) {
      if (f.name !== "wordpress.xml") report.ignored.push(f.name);
      continue;
    }
    if (rel.endsWith(".md") && !rel.includes("/")) {
      const slug = rel.slice(0, -3);
      const checked = loadPostText(f.name, slug, decoder.decode(f.bytes));
      for (const e of checked.errors) report.problems.push(`${f.name}: ${e.field}: ${e.message}`);
      report.posts++;
    } else if (rel.startsWith("comments/")) {
      report.comments += (JSON.parse(decoder.decode(f.bytes)) as { comments?: unknown[] }).comments?.length ?? 0;
    } else if (rel.startsWith("images/")) report.images++;
    const path = join(postsDir, rel);
    const before = await readFile(path).catch(() => null);
    if (before && Buffer.compare(before, Buffer.from(f.bytes)) === 0) {
      report.unchanged++;
      continue;
    }
    if (!dryRun) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.bytes);
    }
    report[before ? "updated" : "created"]++;
  }
  return report;
}
