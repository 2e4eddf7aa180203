import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { SourcesChunk } from "../src/core/types";
import { parseEditLog } from "../src/core/edits";
import { MAIN_BLOG } from "../src/core/blogs";
import { keysFor, sourceChunk } from "../src/core/keys";
import { blogMissing, blogOption } from "./lib/blogs";
import { loadPostText } from "./lib/load";
import { localImages } from "./lib/media";
import { postFile, updatePostFile } from "./lib/write-posts";
import type { PostSource } from "../src/core/types";
import { localFolder } from "./lib/dev-server";
import { closeLocalKv } from "./lib/local-kv";
import { kvGet, type KvTarget } from "./lib/wrangler";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: npm run pull -- [--remote] [--persist-to DIR] [--posts DIR] [--blog NAME]

Writes the posts saved or deleted in the browser (or through the API) since the last publish
back to posts/*.md, so that the files hold them and the next \`npm run publish\` keeps them.
--blog NAME pulls from that blog (default: main) into --posts DIR (default: ./posts).
Without --persist-to (and --remote), it reads the folder a running \`npm run dev\` serves.`;

/**
 * The browser's version with the file's own image references put back: publishing wrote
 * `images/quay.png` as `/media/<hash>.png`, and the file should keep saying `images/quay.png`.
 */
async function asTheFileSaid(postsDir: string, slug: string, text: string, source: PostSource): Promise<PostSource> {
  const file = loadPostText(`${slug}.md`, slug, text).posts[0];
  if (!file) return source;
  const { refs } = await localImages(postsDir, [file]);
  if (!refs.size) return source;
  let markdown = source.markdown;
  for (const [media, src] of refs) markdown = markdown.replaceAll(media, src);
  const cover = source.cover && refs.has(source.cover) ? refs.get(source.cover) : source.cover;
  return { ...source, markdown, ...(cover !== undefined ? { cover } : {}) };
}

/** Brings browser edits into the posts folder; returns the process exit code. */
interface PullOptions {
  remote: boolean;
  persistTo?: string;
  postsDir: string;
  blog?: string;
  log?: (l: string) => void;
}

export async function pull(opts: PullOptions): Promise<number> {
  try {
    return await pullPosts(opts);
  } finally {
    await closeLocalKv();
  }
}

async function pullPosts(opts: PullOptions): Promise<number> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const target: KvTarget = { remote: opts.remote, persistTo: opts.persistTo, root: ROOT };
  const blog = opts.blog ?? MAIN_BLOG;
  const keys = keysFor(blog);
  if (blog !== MAIN_BLOG) {
    const missing = await blogMissing(target, blog);
    if (missing) {
      log(`error: --blog: ${missing}`);
      return 1;
    }
  }
  log("Reading the list of browser edits …");
  const edited = parseEditLog(await kvGet(target, keys.edited));
  const slugs = Object.keys(edited);
  if (!slugs.length) {
    log("Nothing to pull: no post was changed in the browser since the last publish.");
    return 0;
  }
  const chunks = new Map<number, SourcesChunk | null>();
  for (const slug of slugs.filter((s) => !edited[s]!.deleted)) {
    const n = sourceChunk(slug);
    if (!chunks.has(n)) chunks.set(n, JSON.parse((await kvGet(target, keys.sources(n))) ?? "null") as SourcesChunk | null);
  }
  let changes = 0;
  for (const slug of slugs) {
    const path = join(opts.postsDir, `${slug}.md`);
    const existing = await readFile(path, "utf8").catch(() => null);
    if (edited[slug]!.deleted) {
      // Report only a real change: a file that is already gone needs nothing.
      if (existing === null) continue;
      await rm(path, { force: true });
      log(`  - removed  posts/${slug}.md (deleted in the browser at ${edited[slug]!.at})`);
      changes++;
      continue;
    }
    const source = chunks.get(sourceChunk(slug))?.posts[slug];
    if (!source) {
      log(`  ? skipped  ${slug}: its source is not in KV`);
      continue;
    }
    const text =
      existing === null ? postFile(source) : updatePostFile(existing, await asTheFileSaid(opts.postsDir, slug, existing, source));
    if (text === existing) continue;
    await writeFile(path, text);
    log(`  ${existing === null ? "+ created" : "~ wrote  "}  posts/${slug}.md (saved in the browser at ${edited[slug]!.at})`);
    changes++;
  }
  if (!changes) {
    log("Nothing to pull: posts/ already holds every change made in the browser.");
    return 0;
  }
  log("Done. Review the files, commit them, then `npm run publish`.");
  return 0;
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      remote: { type: "boolean", default: false },
      "persist-to": { type: "string" },
      posts: { type: "string" },
      blog: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const remote = values.remote ?? false;
  return pull({
    remote,
    // Without --persist-to: the folder `npm run dev` serves, if it runs.
    persistTo: remote ? values["persist-to"] : localFolder(ROOT, values["persist-to"], (l) => console.log(l)),
    postsDir: resolve(values.posts ?? "posts"),
    blog: blogOption(values.blog),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`pull failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
