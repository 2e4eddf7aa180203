// Builds the rich editor (editor/rich.ts, Tiptap and its Markdown) into public/editor/rich.js, a
// static asset only the post editor loads (run by `npm install`, `npm run dev` and the tests; git
// keeps no built copy). Prints its size: it is not part of the worker's bundle.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "public", "editor", "rich.js");

/** Builds it (or a copy at `to`); answers its size in bytes, raw and gzipped. */
export async function buildEditor({ quiet = false, to = outfile } = {}) {
  await build({
    entryPoints: [join(root, "editor", "rich.ts")],
    outfile: to,
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: quiet ? "error" : "warning",
  });
  const bytes = readFileSync(to);
  const size = { raw: bytes.length, gzip: gzipSync(bytes).length };
  if (!quiet)
    console.log(`build-editor: public/editor/rich.js ${(size.raw / 1024).toFixed(1)} KB, ${(size.gzip / 1024).toFixed(1)} KB gzip`);
  return size;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildEditor();
