import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { importEntries } from "../src/core/imports";
import { parseEditLog, type EditLog } from "../src/core/edits";
import { MAIN_BLOG } from "../src/core/blogs";
import { type Keys, keysFor, sourceChunk } from "../src/core/keys";
import type { PostSource, SourcesChunk } from "../src/core/types";
import { blogMissing, blogOption } from "./lib/blogs";
import { runCommand, runIfEntry } from "./lib/cli";
import { loadImports, loadPosts } from "./lib/load";
import { localFolder } from "./lib/dev-server";
import { closeLocalKv } from "./lib/local-kv";
import { renderCache } from "./lib/render-cache";
import { buildIncremental } from "./lib/incremental";
import { publishMemo } from "./lib/publish-memo";
import { batches, isEmpty, parseManifest, parseTouched, planChanges, type Plan } from "./lib/plan";
import { kvBulkDelete, kvBulkPut, kvGet, kvGetMany, type KvTarget, r2Put } from "./lib/wrangler";
import { localImages, mediaBucket } from "./lib/media";
import { mediaKey } from "../src/core/media";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: npm run publish -- [options]

Reads posts/*.md, checks every file's front matter, renders the Markdown to HTML and
uploads the posts and their listings (home, tags, archive) to one blog in the POSTS KV
namespace with wrangler (the main blog unless --blog names another). Only keys whose content changed are written; posts whose file was removed
are deleted. If any file has an error, nothing is uploaded.

Options:
  --remote           write to the production namespace on Cloudflare (needs wrangler login)
  --persist-to DIR   local KV state folder, as given to \`wrangler dev --persist-to DIR\` (default: the folder a
                     running \`npm run dev\` serves, else wrangler's own .wrangler/state)
  --dry-run          print what would change and write nothing
  --blog NAME        publish into the blog NAME (created with POST /api/admin/blogs);
                     default: main, the blog at BASE_URL
  --posts DIR        read posts from DIR instead of ./posts; images the posts reference with
                     relative paths (![map](images/map.png), cover: images/map.png) are
                     uploaded to the MEDIA R2 bucket once and served at /media/<hash>.<ext>
  --force            overwrite posts changed in the browser or through the API since the
                     last publish (otherwise publishing refuses and names them; see npm run pull)
  -h, --help         show this help

Examples:
  npm run publish                          # local KV used by \`npm run dev\`
  npm run publish -- --dry-run             # what would change?
  npm run publish -- --persist-to .state   # then: wrangler dev --persist-to .state
  npm run publish -- --remote              # production
  npm run publish -- --blog alpha --posts alpha-posts   # into http://alpha.localhost:8787
`;

export interface PublishOptions {
  remote: boolean;
  force?: boolean;
  persistTo?: string;
  dryRun: boolean;
  postsDir: string;
  /** The blog to publish into (default: main). */
  blog?: string;
  /**
   * Where a post changed in the browser since the last publish differs from its file: publish the
   * browser's version of it and keep it marked, instead of stopping (what \`npm run dev\` does).
   */
  keepBrowserEdits?: boolean;
  now?: Date;
  log?: (line: string) => void;
  /** Where the render cache and what the last publish built are kept (default .cache/publish). */
  cacheDir?: string;
}

export function parseCli(argv: string[]): PublishOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      remote: { type: "boolean", default: false },
      "persist-to": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      posts: { type: "string" },
      blog: { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  if (values.remote && values["persist-to"]) throw new Error("--remote and --persist-to cannot be used together");
  const blog = blogOption(values.blog);
  return {
    remote: values.remote ?? false,
    persistTo: values["persist-to"],
    dryRun: values["dry-run"] ?? false,
    force: values.force ?? false,
    postsDir: resolve(values.posts ?? "posts"),
    blog,
  };
}

function describe(keys: Keys, plan: Plan, previous: Set<string>): string[] {
  const lines: string[] = [];
  const postPrefix = keys.post("");
  for (const [key] of plan.posts) lines.push(`  ${previous.has(key) ? "~ changed" : "+ new    "}  ${key.slice(postPrefix.length)}`);
  for (const key of plan.deletions.filter((k) => k.startsWith(postPrefix))) lines.push(`  - removed  ${key.slice(postPrefix.length)}`);
  const listingDeletes = plan.deletions.filter((k) => !k.startsWith(postPrefix)).length;
  if (plan.listings.length || listingDeletes) lines.push(`  ${plan.listings.length} listing key(s) to write, ${listingDeletes} to delete`);
  return lines;
}

/** The fields a file and a browser save share, to tell whether the file already holds the browser version. */
const sameSource = (a: PostSource, b: PostSource) => {
  const pick = ({ slug, title, date, updated, author, tags, summary, draft, markdown, cover }: PostSource) =>
    JSON.stringify([slug, title, date, updated, author, tags, summary, draft, markdown, cover ?? null]);
  return pick(a) === pick(b);
};

/**
 * Posts whose browser version the files would overwrite: deleted there but still a file, saved
 * there but without a file, or different from the file (`saved`: the browser versions, as the
 * editor keeps them in the sources keys).
 */
export function browserConflicts(
  edited: EditLog,
  files: Map<string, PostSource>,
  saved: Map<string, PostSource>,
): { slug: string; message: string }[] {
  const out: { slug: string; message: string }[] = [];
  for (const [slug, { at, deleted }] of Object.entries(edited)) {
    const file = files.get(slug);
    const say = (message: string) => out.push({ slug, message });
    if (deleted) {
      if (file !== undefined) say(`posts/${slug}.md was deleted in the browser at ${at}; publishing would bring it back`);
    } else if (file === undefined) {
      say(`${slug} was saved in the browser at ${at} and has no file in posts/; publishing would delete it`);
    } else {
      const browser = saved.get(slug);
      if (!browser || !sameSource(file, browser)) say(`posts/${slug}.md differs from the version saved in the browser at ${at}`);
    }
  }
  return out;
}

/** The browser versions of the edited posts, from their sources keys. */
async function savedSources(target: KvTarget, keys: Keys, edited: EditLog): Promise<Map<string, PostSource>> {
  const out = new Map<string, PostSource>();
  const chunks = new Map<number, SourcesChunk | null>();
  for (const [slug, { deleted }] of Object.entries(edited)) {
    if (deleted) continue;
    const n = sourceChunk(slug);
    if (!chunks.has(n)) chunks.set(n, JSON.parse((await kvGet(target, keys.sources(n))) ?? "null") as SourcesChunk | null);
    const source = chunks.get(n)?.posts[slug];
    if (source) out.set(slug, source);
  }
  return out;
}

/** Publishes; returns the process exit code. */
export async function publish(opts: PublishOptions): Promise<number> {
  try {
    return await publishSite(opts);
  } finally {
    await closeLocalKv();
  }
}

async function publishSite(opts: PublishOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const blog = opts.blog ?? MAIN_BLOG;
  const keys = keysFor(blog);
  const target: KvTarget = { remote: opts.remote, persistTo: opts.persistTo, root: ROOT };
  const kvName = opts.remote ? "remote KV (production)" : `local KV${opts.persistTo ? ` in ${opts.persistTo}` : ""}`;
  const where = blog === MAIN_BLOG ? kvName : `blog "${blog}" in ${kvName}`;
  if (blog !== MAIN_BLOG) {
    log(`Looking up blog "${blog}" in ${kvName} …`);
    const missing = await blogMissing(target, blog);
    if (missing) {
      log(`  error: --blog: ${missing}\nNothing was uploaded.`);
      return 1;
    }
  }

  log(`Reading posts from ${opts.postsDir} …`);
  const memo = await publishMemo(ROOT, blog, opts.cacheDir);
  const loaded = await loadPosts(opts.postsDir, undefined, memo.files);
  const imports = await loadImports(opts.postsDir);
  // Images next to the posts: checked now (a missing or bad one stops everything), uploaded first.
  const media = await localImages(opts.postsDir, loaded.posts);
  loaded.posts = media.posts;
  const errors = [...loaded.errors, ...imports.errors, ...media.errors];
  for (const w of [...loaded.warnings, ...imports.warnings]) log(`  warning: ${w.file}: ${w.field}: ${w.message}`);
  if (errors.length) {
    for (const e of errors) log(`  error: ${e.file}: ${e.field}: ${e.message}`);
    log(`\n${errors.length} error(s). Nothing was uploaded: fix the files above and run again.`);
    return 1;
  }
  const drafts = loaded.posts.filter((p) => p.draft).length;
  const now = opts.now ?? new Date();
  const scheduled = loaded.posts.filter((p) => !p.draft && p.date > now.toISOString()).length;
  log(`  ${loaded.posts.length} post(s): ${loaded.posts.length - drafts - scheduled} public, ${scheduled} scheduled, ${drafts} draft(s)`);

  log(`Comparing with ${where} …`);
  // What the blog holds about past publishes, in one read.
  const held = await kvGetMany(target, [keys.manifest, keys.touched, keys.edited, keys.mediaUploaded]);
  const edited = parseEditLog(held.get(keys.edited) ?? null);
  const files = new Map(loaded.posts.map((p) => [p.slug, p]));
  const saved = await savedSources(target, keys, edited);
  const conflicts = browserConflicts(edited, files, saved);
  /** Posts whose browser version is published instead of their file (and stay marked as edited there). */
  const kept = new Set<string>();
  if (conflicts.length) {
    const keep = opts.keepBrowserEdits && !opts.force;
    for (const c of conflicts) log(`  ${opts.force ? "overwriting" : keep ? "kept from the browser" : "conflict"}: ${c.message}`);
    if (keep) {
      for (const { slug } of conflicts) kept.add(slug);
      loaded.posts = [...loaded.posts.filter((p) => !kept.has(p.slug)), ...[...kept].flatMap((slug) => saved.get(slug) ?? [])];
      log(`  ${kept.size} post(s) keep the version saved in the browser; their files were not published.`);
      log("  Bring them into posts/ with `npm run pull`, or publish the files over them with `npm run publish -- --force`.");
    } else if (!opts.force) {
      log(`\n${conflicts.length} post(s) changed in the browser since the last publish. Nothing was uploaded.`);
      log("Bring those changes into posts/ with `npm run pull`, or overwrite them with `npm run publish -- --force`.");
      return 1;
    }
  }

  log("Rendering Markdown …");
  const cache = await renderCache(ROOT, blog, opts.cacheDir);
  const manifestText = held.get(keys.manifest) ?? null;
  const previous = parseManifest(manifestText);
  const touched = parseTouched(held.get(keys.touched) ?? null);
  // What the last publish built stands only if nothing else wrote since (the browser editor lists what it wrote).
  const before = touched.length ? null : memo.builtFor(manifestText);
  const imported = importEntries(keys, new Set(loaded.posts.map((p) => p.slug)), imports);
  const built = buildIncremental(
    keys,
    loaded.posts,
    now,
    cache,
    before,
    (key) => Object.hasOwn(previous?.hashes ?? {}, key),
    imported.marks,
  );
  const entries = built.entries;
  log(`  ${cache.misses} post(s) rendered, ${cache.hits} unchanged (from .cache/publish)`);
  if (before)
    log(
      `  ${built.kept.size} key(s) unchanged since the last publish, not built again; search: ${built.search === "delta" ? "the changed posts in the delta" : "index rebuilt"}`,
    );
  // Kept for the next publish while this one uploads (the cache depends on the sources only, not on the upload).
  // The versions the search buckets were built from stay known, for the stale postings of the next publishes.
  const cacheSaved = cache
    .save(new Set(Object.values(built.built.search.base)))
    .catch((err: unknown) => log(`  warning: .cache/publish: not saved (${(err as Error).message})`));
  if (imports.comments.size || imports.redirects.size) {
    const count = [...imports.comments.values()].reduce((n, c) => n + c.length, 0);
    log(`  imported: ${count} comment(s) on ${imports.comments.size} post(s), ${imports.redirects.size} old URL(s)`);
    for (const p of imported.problems) log(`  warning: ${p.field}: ${p.message}`);
  }
  for (const [key, value] of imported.entries) entries.set(key, value);

  const plan = planChanges(keys, entries, previous, touched, built.kept);
  const oldKeys = new Set(Object.keys(previous?.hashes ?? {}));
  /** Keeps what this publish built for the next one, once KV holds it (`manifest`: the text KV's manifest now has). */
  const remember = (manifest: string | null) =>
    memo
      .save(manifest === null ? null : { manifest, built: built.built })
      .catch((err: unknown) => log(`  warning: .cache/publish: not saved (${(err as Error).message})`));

  const uploaded = new Set<string>(JSON.parse(held.get(keys.mediaUploaded) ?? "[]") as string[]);
  const newImages = [...media.images.values()].filter((m) => !uploaded.has(m.name));
  if (media.images.size) log(`  ${media.images.size} image(s) referenced, ${newImages.length} to upload`);
  // Overwriting the browser's versions (--force) must clear the edit log even when no key changes.
  if (isEmpty(plan) && (!conflicts.length || kept.size > 0) && !newImages.length) {
    await cacheSaved;
    await remember(manifestText);
    log(`Nothing changed: ${plan.unchanged} key(s) already up to date in ${where}.`);
    return 0;
  }
  for (const line of describe(keys, plan, oldKeys)) log(line);
  for (const m of newImages) log(`  + image    ${m.path.slice(opts.postsDir.length + 1)} → /media/${m.name}`);
  if (opts.dryRun) {
    await cacheSaved;
    await remember(null);
    log("Dry run: nothing was written.");
    return 0;
  }

  const steps: [string, () => Promise<unknown>][] = [];
  // Images before the posts that show them.
  if (newImages.length) {
    const bucket = await mediaBucket(ROOT);
    for (const [i, m] of newImages.entries()) {
      steps.push([
        `Uploading image ${i + 1}/${newImages.length} (${(m.size / 1024).toFixed(0)} KB)`,
        () => r2Put(target, bucket, mediaKey(blog, m.name), m.path, m.type),
      ]);
    }
  }
  const postBatches = batches(plan.posts);
  for (const [i, b] of postBatches.entries()) {
    steps.push([`Uploading ${b.length} post(s) (batch ${i + 1}/${postBatches.length})`, () => kvBulkPut(target, b)]);
  }
  const listingBatches = batches(plan.listings);
  for (const [i, b] of listingBatches.entries()) {
    steps.push([`Uploading ${b.length} listing key(s) (batch ${i + 1}/${listingBatches.length})`, () => kvBulkPut(target, b)]);
  }
  for (let i = 0; i < plan.deletions.length; i += 10_000) {
    const chunk = plan.deletions.slice(i, i + 10_000);
    steps.push([`Deleting ${chunk.length} key(s) no longer needed`, () => kvBulkDelete(target, chunk)]);
  }
  // Last: the manifest, and a new content version, which changes every edge cache key at once.
  const manifestWritten = JSON.stringify(plan.manifest);
  steps.push([
    "Saving the manifest and the new content version",
    () =>
      kvBulkPut(target, [
        [keys.manifest, manifestWritten],
        [keys.version, String(Date.now())],
        // The browser's versions published in place of their files stay marked (pull and publish still see them).
        [keys.edited, JSON.stringify(Object.fromEntries(Object.entries(edited).filter(([slug]) => kept.has(slug))))],
        [keys.touched, "[]"],
        [keys.mediaUploaded, JSON.stringify([...new Set([...uploaded, ...newImages.map((m) => m.name)])].sort())],
      ]),
  ]);

  await memo.forgetBuilt();
  for (const [i, [label, run]] of steps.entries()) {
    const t = Date.now();
    log(`[${i + 1}/${steps.length}] ${label} …`);
    await run();
    log(`      done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  await cacheSaved;
  await remember(manifestWritten);
  const removed = plan.deletions.filter((k) => k.startsWith(keys.post(""))).length;
  log(
    `Published to ${where}: ${plan.posts.length} post(s) written, ${removed} removed, ` +
      `${plan.listings.length} listing key(s) updated, ${newImages.length} image(s) uploaded in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  return 0;
}

runIfEntry(import.meta.url, () =>
  runCommand({
    name: "publish",
    help: HELP,
    parse: parseCli,
    // Without --persist-to: the folder `npm run dev` serves, if it runs (the running server then shows what was published).
    run: (o) => publish(o.remote ? o : { ...o, persistTo: localFolder(ROOT, o.persistTo, (l) => console.log(l)) }),
    afterFailure:
      "Nothing is half-written: each key written before the failure is a complete post or listing, posts go before the listings that\n" +
      "point to them and the manifest is saved last, so readers still see a consistent blog. Run the same command again to finish.",
  }),
);
