/**
 * `npm run import -- FILE [--blog NAME] [--posts DIR] [--dry-run]`: a WordPress or Overblog
 * export (WXR), a Ghost export (JSON) or a Hugo/Jekyll folder → `posts/*.md`, the approved
 * comments in `posts/comments/<slug>.json` and the old URLs in `posts/redirects.txt`, which the
 * next `npm run publish` uploads with the posts.
 */
import { rewriteFrames } from "../src/core/embeds";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { MAIN_BLOG } from "../src/core/blogs";
import { COMMENTS_DIR, type ImportedComments, oldUrlKeyOf, parseRedirects, REDIRECTS_FILE } from "../src/core/imports";
import { tagSlug } from "../src/core/tags";
import { blogOption } from "./lib/blogs";
import { runCommand, runIfEntry } from "./lib/cli";
import { loadPostText } from "./lib/load";
import { postFile, updatePostFile } from "./lib/write-posts";
import { MAX_MENU_ITEMS, MAX_MENU_LABEL, type MenuItem, menuItemProblem, menuText } from "../src/core/menu";
import { readFolder } from "./import/folder";
import { ghostData, readGhost } from "./import/ghost";
import { type ImportedMenuLink, type ImportedPost, type ImportResult, uniqueSlugs } from "./import/model";
import { IMAGES_DIR, importMedia, type MediaReport } from "./import/media";
import { isWxr, readWxr } from "./import/wxr";
import { importSubscribers, type SubscriberImportOptions } from "./import/subscribers";
import { importOwnExport, isOwnExport, isZip, zipFiles, type ZipFiles } from "./import/zip";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: npm run import -- FILE [options]

Imports a blog from another platform into posts/ (or --posts DIR):
  - a WordPress or Overblog export (WXR .xml): posts, pages (as pages), drafts and
    scheduled posts, categories and tags, authors, featured images, approved comments
    with their threads, and the old URLs (/?p=123, /2022/01/21/slug/, /2022/01/slug.html);
  - a Ghost export (.json): posts, pages, tags, authors, the old URLs (/slug/);
  - a Hugo or Jekyll folder: front matter and Markdown, aliases / redirect_from and default URLs;
  - a zip: an export of a blog of this platform (/admin/export), whose posts, comments, images
    and old URLs are written as they are (and settings.json, subscribers.csv beside them), or
    another platform's zipped export (WordPress.com's zip of WXR files, a zipped Ghost JSON).
The images the posts show (featured images, <img>, galleries, wp-content/uploads links, at the
largest size the old site keeps) are downloaded into posts/images/ and the posts link to them
there; a download that fails keeps the old link and is listed with its address. Running the
import again fetches only what is not there yet.
It writes posts/<slug>.md, posts/comments/<slug>.json and posts/redirects.txt. The next
\`npm run publish\` uploads them: the comments appear on their posts and every old URL answers
301 with the new address. Importing again updates what changed and duplicates nothing.
Private and password-protected items are skipped and listed.

With --subscribers, FILE is a subscriber list (CSV) exported by Substack, Ghost, WordPress.com,
Mailchimp or anything else, imported into the blog's subscribers (the email column found by its
name, repeats merged, rows the export marks as unsubscribed left out; someone who unsubscribed
from the blog is never subscribed again). A row without a valid address is named by line and
nothing is imported, unless --skip-bad-rows. It needs the running blog (--url, default: where
\`npm run dev\` serves it) and EDGE_BLOG_TOKEN: a personal token of one of its owners or the
operator's ADMIN_TOKEN (locally, .dev.vars's ADMIN_TOKEN is used).

Options:
  --posts DIR   write into DIR instead of ./posts
  --blog NAME   the blog the posts are for (default: main); only changes the publish command shown
  --dry-run     convert and report, write nothing (and download nothing)
  --no-media    keep the images on the old site (download nothing)
  -h, --help    show this help

Options with --subscribers:
  --consented      the list already agreed to get the blog's posts: subscribed at once
                   (default: each address is asked by mail to confirm, 100 a minute)
  --skip-bad-rows  import the good rows and list the others (default: import nothing)
  --url URL        the blog's address (default: http://localhost:8787, or http://NAME.localhost:8787
                   with --blog NAME)
  --blog NAME      the blog to import into (default: main)
  --dry-run        read the file and report, send nothing

Examples:
  npm run import -- wordpress-export.xml --dry-run
  npm run import -- ghost-export.json --posts ghost-posts && npm run publish -- --posts ghost-posts
  npm run import -- ../my-hugo-site/content --blog alpha --posts alpha-posts
  npm run import -- substack-subscribers.csv --subscribers --blog alpha
  EDGE_BLOG_TOKEN=… npm run import -- members.csv --subscribers --consented --url https://alpha.example.org
`;

export interface ImportOptions {
  file: string;
  postsDir: string;
  blog: string;
  dryRun: boolean;
  /** --no-media: the posts keep linking to the old site's images. */
  noMedia?: boolean;
  /** Downloads at once, and each one's timeout (tests shorten them). */
  media?: { concurrency?: number; timeoutMs?: number };
  log?: (line: string) => void;
}

/** Which reader a file is for; an error message names what was expected. */
async function read(file: string): Promise<ImportResult> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new Error(`${file}: no such file or folder`);
  if (info.isDirectory()) return readFolder(file);
  const bytes = await readFile(file);
  if (isZip(bytes)) return readZipped(zipFiles(bytes, file), file);
  return readExportText(bytes.toString("utf8"), file);
}

/** Another platform's zipped export: each WXR or Ghost file in it read as if given alone, their posts together. */
async function readZipped(files: ZipFiles, file: string): Promise<ImportResult> {
  const exports = files.filter((f) => /\.(xml|json)$/i.test(f.name));
  if (!exports.length) throw new Error(`${file}: a zip without an export in it (no posts/*.md, no .xml or .json file)`);
  const results = await Promise.all(exports.map((f) => readExportText(new TextDecoder().decode(f.bytes), `${file}: ${f.name}`)));
  const [first, ...rest] = results;
  for (const r of rest) {
    first!.posts.push(...r.posts);
    first!.skipped.push(...r.skipped);
    first!.warnings.push(...r.warnings);
    first!.menu ??= r.menu;
  }
  return first!;
}

async function readExportText(raw: string, file: string): Promise<ImportResult> {
  const text = raw.replace(/^\uFEFF/, "");
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith("<")) {
    if (!isWxr(head))
      throw new Error(`${file}: an XML file, but not a WordPress or Overblog export (WXR): no <rss> with the wp: namespace`);
    return readWxr(text);
  }
  if (head.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${(err as Error).message}); is the export complete?`);
    }
    const data = ghostData(json);
    if (!data) throw new Error(`${file}: a JSON file, but not a Ghost export (no db[0].data.posts)`);
    return readGhost(data);
  }
  throw new Error(
    `${file}: unknown format: expected a WXR export (.xml), a Ghost export (.json), a zip of either or of this platform's export, or a folder of Markdown`,
  );
}

const MENU_FILE = "menu.txt";

/** The old menu as this blog's links: a post or page by the old address it had, a tag by its name; what cannot be one is said. */
function menuLinks(links: ImportedMenuLink[], posts: ImportedPost[], claimed: Map<string, string>, warnings: string[]): MenuItem[] {
  const bySlug = new Map(posts.map((p) => [p.source.slug, p]));
  const out: MenuItem[] = [];
  for (const { label, to } of links) {
    let item: MenuItem | null = null;
    if ("oldUrl" in to) {
      const key = oldUrlKeyOf(to.oldUrl);
      const post = key ? bySlug.get(claimed.get(key) ?? "") : undefined;
      if (post) item = { label: label || post.source.title, href: `/${post.kind === "page" ? "pages" : "posts"}/${post.source.slug}` };
    } else if ("tag" in to) item = { label: label || to.tag, href: `/tags/${tagSlug(to.tag)}` };
    else item = { label: label || to.href, href: to.href };
    const problem = item ? menuItemProblem({ ...item, label: item.label.slice(0, MAX_MENU_LABEL) }) : "what it linked to was not imported";
    if (!item || problem) {
      warnings.push(`menu link “${label || "?"}”: ${problem}; left out of the menu`);
      continue;
    }
    out.push({ ...item, label: item.label.slice(0, MAX_MENU_LABEL) });
  }
  if (out.length > MAX_MENU_ITEMS) warnings.push(`the menu has ${out.length} links; the first ${MAX_MENU_ITEMS} are kept`);
  return out.slice(0, MAX_MENU_ITEMS);
}

/** Keeps a post within the limits of a post file, saying what was shortened or dropped. */
function withinLimits(post: ImportedPost, warnings: string[]): void {
  const s = { ...post.source };
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
  if (s.title.length > 200) warnings.push(`${post.origin}: title shortened to 200 characters`);
  // Frames other than YouTube and Vimeo players cannot play on the blog (its pages allow no other frame source).
  const frames: string[] = [];
  rewriteFrames(s.markdown, frames);
  for (const src of frames)
    warnings.push(`${post.origin}: the embedded frame ${src} is shown as a link (only YouTube and Vimeo players can be embedded)`);
  s.title = cut(s.title, 200);
  if (s.author) s.author = cut(s.author, 100);
  if (s.summary) s.summary = cut(s.summary, 500);
  s.tags = s.tags
    .map((t) => cut(t, 50))
    .filter((t) => {
      if (tagSlug(t)) return true;
      warnings.push(`${post.origin}: tag "${t}" has no letters or digits and is left out`);
      return false;
    });
  post.source = s;
}

/** A file's text, or null when there is none. */
const readText = (path: string) => readFile(path, "utf8").catch(() => null);

/** Writes `text` unless the file (whose current text is `existing`) already holds it. */
async function writeIfChanged(
  path: string,
  text: string,
  existing: string | null,
  dryRun: boolean,
): Promise<"created" | "updated" | "unchanged"> {
  if (existing === text) return "unchanged";
  if (!dryRun) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  return existing === null ? "created" : "updated";
}

/** This platform's own export (a zip with posts/*.md): its posts folder written as it is; null for any other file. */
async function ownExport(opts: ImportOptions, log: (line: string) => void): Promise<number | null> {
  const bytes = await readFile(opts.file).catch(() => null);
  if (!bytes || !isZip(bytes)) return null;
  let files: ZipFiles;
  try {
    files = zipFiles(bytes, opts.file);
  } catch (err) {
    log(`  error: ${(err as Error).message}\nNothing was written.`);
    return 1;
  }
  if (!isOwnExport(files)) return null;
  log(`  an export of this platform: ${files.length} file(s)`);
  const r = await importOwnExport(files, opts.postsDir, opts.dryRun);
  const dir = relative(process.cwd(), opts.postsDir) || ".";
  log(`  posts      ${r.posts} (with pages and drafts)`);
  log(`  comments   ${r.comments}`);
  log(`  images     ${r.images} in ${join(dir, IMAGES_DIR)}/`);
  log(`  files      ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged${opts.dryRun ? " (dry run: none written)" : ""}`);
  for (const name of r.ignored) log(`    - ${name}: not a file of an export; left out`);
  if (r.problems.length) {
    log(`  problems   ${r.problems.length} (npm run publish will name them too):`);
    for (const p of r.problems) log(`    - ${p}`);
  }
  log(
    `  ${join(dir, "settings.json")}: the blog's settings (title, language, theme, menu, comment rules), to set in Settings (/admin/settings)`,
  );
  log(
    `  ${join(dir, "subscribers.csv")}: its subscribers; bring them with \`npm run import -- ${join(dir, "subscribers.csv")} --subscribers --consented${opts.blog !== MAIN_BLOG ? ` --blog ${opts.blog}` : ""}\``,
  );
  const publish = ["npm run publish --", opts.blog !== MAIN_BLOG ? `--blog ${opts.blog}` : "", dir !== "posts" ? `--posts ${dir}` : ""];
  if (!opts.dryRun) log(`\nNext: \`${publish.filter(Boolean).join(" ").replace(/ --$/, "")}\`.`);
  return r.problems.length ? 1 : 0;
}

/** Imports; returns the process exit code. */
export async function runImport(opts: ImportOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  log(`Reading ${opts.file} …`);
  const own = await ownExport(opts, log);
  if (own !== null) return own;
  let result: ImportResult;
  try {
    result = await read(opts.file);
  } catch (err) {
    log(`  error: ${(err as Error).message}\nNothing was written.`);
    return 1;
  }
  log(`  ${result.format}: ${result.posts.length} item(s) to import`);
  uniqueSlugs(result);

  // Every post must be a file `npm run publish` accepts: checked here, as publish would.
  const posts: ImportedPost[] = [];
  for (const post of result.posts) {
    withinLimits(post, result.warnings);
    post.source = { ...post.source, markdown: post.source.markdown ? `${post.source.markdown.trimEnd()}\n` : "" };
    // The old platform's pages (About, Contact…) are pages here: at /pages/<slug>, in no listing.
    if (post.kind === "page") post.source.type = "page";
    const checked = loadPostText(post.origin, post.source.slug, postFile(post.source));
    if (checked.errors.length) {
      result.skipped.push({ item: post.origin, reason: checked.errors.map((e) => `${e.field}: ${e.message}`).join("; ") });
      continue;
    }
    posts.push(post);
  }

  const redirectsPath = join(opts.postsDir, REDIRECTS_FILE);
  const redirectsBefore = await readText(redirectsPath);
  const existing = parseRedirects(redirectsBefore ?? "").redirects;
  const redirects = new Map(existing);
  const claimed = new Map<string, string>();
  for (const post of posts) {
    for (const old of post.oldUrls) {
      const key = oldUrlKeyOf(old);
      if (!key || key === `/posts/${post.source.slug}`) continue;
      const other = claimed.get(key);
      if (other && other !== post.source.slug) {
        result.warnings.push(`${post.origin}: the old URL ${old} already leads to ${other}; kept there`);
        continue;
      }
      claimed.set(key, post.source.slug);
      redirects.set(key, post.source.slug);
    }
  }

  // The old menu, its links to posts and pages followed to their new addresses.
  const menu = result.menu ? menuLinks(result.menu, posts, claimed, result.warnings) : [];
  const menuPath = join(opts.postsDir, MENU_FILE);
  if (menu.length) {
    const text = `# The old blog's menu (written by npm run import): paste these lines into Settings → Menu (/admin/settings).\n${menuText(menu)}\n`;
    await writeIfChanged(menuPath, text, await readText(menuPath), opts.dryRun);
  }

  // The images, before the files are written (each post links to its downloaded copies).
  let media: MediaReport | null = null;
  if (!opts.noMedia && !opts.dryRun) {
    log("Downloading the posts' images …");
    media = await importMedia(posts, { postsDir: opts.postsDir, dryRun: opts.dryRun, log, ...opts.media });
  }

  const counts = { created: 0, updated: 0, unchanged: 0 };
  let comments = 0;
  log(opts.dryRun ? "Dry run: converting, writing nothing …" : `Writing into ${opts.postsDir} …`);
  for (const [i, post] of posts.entries()) {
    const path = join(opts.postsDir, `${post.source.slug}.md`);
    const current = await readText(path);
    const text = current === null ? postFile(post.source) : updatePostFile(current, post.source);
    const outcome = await writeIfChanged(path, text, current, opts.dryRun);
    counts[outcome]++;
    if (outcome === "updated") log(`  ~ updated  ${post.source.slug}.md (${post.origin})`);
    if (post.comments.length) {
      comments += post.comments.length;
      const file: ImportedComments = { v: 1, comments: post.comments };
      const commentsPath = join(opts.postsDir, COMMENTS_DIR, `${post.source.slug}.json`);
      await writeIfChanged(commentsPath, `${JSON.stringify(file, null, 2)}\n`, await readText(commentsPath), opts.dryRun);
    }
    if ((i + 1) % 200 === 0 || i + 1 === posts.length) log(`  [${i + 1}/${posts.length}] posts written`);
  }
  const lines = [...redirects].sort(([a], [b]) => a.localeCompare(b)).map(([from, slug]) => `${from} ${slug}`);
  const redirectsText = `# Old URL → post slug: each answers 301 with /posts/<slug> once published (written by npm run import).\n${lines.join("\n")}\n`;
  if (redirects.size) await writeIfChanged(redirectsPath, redirectsText, redirectsBefore, opts.dryRun);

  const pages = posts.filter((p) => p.kind === "page").length;
  const drafts = posts.filter((p) => p.source.draft).length;
  const scheduled = posts.filter((p) => !p.source.draft && p.source.date > new Date().toISOString()).length;
  log("");
  log(`Imported from ${result.format}:`);
  log(`  posts      ${posts.length - pages} (${drafts} draft(s), ${scheduled} scheduled)`);
  log(`  pages      ${pages} (as pages, at /pages/<slug>)`);
  log(`  comments   ${comments} approved, on ${posts.filter((p) => p.comments.length).length} post(s)`);
  log(`  redirects  ${redirects.size - existing.size} new old URL(s), ${redirects.size} in ${REDIRECTS_FILE}`);
  if (menu.length) log(`  menu       ${menu.length} link(s) in ${MENU_FILE}: paste them into Settings → Menu (/admin/settings)`);
  log(
    `  files      ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged${opts.dryRun ? " (dry run: none written)" : ""}`,
  );
  if (media) {
    log(`  images     ${media.downloaded} downloaded, ${media.reused} already in ${IMAGES_DIR}/, ${media.failed.length} failed`);
    for (const f of media.failed) log(`    - ${f.url}: ${f.reason}; the post keeps this link to the old site`);
  } else log(`  images     left on the old site (${opts.dryRun ? "dry run" : "--no-media"})`);
  if (result.skipped.length) {
    log(`  skipped    ${result.skipped.length}:`);
    for (const s of result.skipped) log(`    - ${s.item}: ${s.reason}`);
  }
  if (result.warnings.length) {
    log(`  warnings   ${result.warnings.length}:`);
    for (const w of result.warnings) log(`    - ${w}`);
  }
  const dir = relative(process.cwd(), opts.postsDir) || ".";
  const publish = ["npm run publish --", opts.blog !== MAIN_BLOG ? `--blog ${opts.blog}` : "", dir !== "posts" ? `--posts ${dir}` : ""];
  if (!opts.dryRun) log(`\nNext: review the files, then \`${publish.filter(Boolean).join(" ").replace(/ --$/, "")}\`.`);
  return 0;
}

type CliOptions = ({ subscribers: false } & ImportOptions) | ({ subscribers: true } & SubscriberImportOptions);

export function parseCli(argv: string[]): CliOptions | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      subscribers: { type: "boolean", default: false },
      consented: { type: "boolean", default: false },
      "skip-bad-rows": { type: "boolean", default: false },
      url: { type: "string" },
      posts: { type: "string" },
      blog: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "no-media": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return "help";
  if (positionals.length !== 1) throw new Error(positionals.length ? "give one FILE (or folder) to import" : "FILE is missing");
  if (values.subscribers) {
    if (values.posts || values["no-media"]) throw new Error("--posts and --no-media are for posts, not with --subscribers");
    if (values.url !== undefined && !URL.canParse(values.url))
      throw new Error(`--url "${values.url}" is not an address (https://blog.example.org)`);
    return {
      subscribers: true,
      file: resolve(positionals[0]!),
      blog: blogOption(values.blog),
      consented: values.consented ?? false,
      skipBadRows: values["skip-bad-rows"] ?? false,
      dryRun: values["dry-run"] ?? false,
      ...(values.url !== undefined ? { url: values.url } : {}),
      root: ROOT,
    };
  }
  if (values.consented || values["skip-bad-rows"] || values.url !== undefined)
    throw new Error("--consented, --skip-bad-rows and --url are for a subscriber list (--subscribers)");
  return {
    subscribers: false,
    file: resolve(positionals[0]!),
    postsDir: resolve(values.posts ?? "posts"),
    blog: blogOption(values.blog),
    dryRun: values["dry-run"] ?? false,
    noMedia: values["no-media"] ?? false,
  };
}

runIfEntry(import.meta.url, () =>
  runCommand({
    name: "import",
    help: HELP,
    parse: parseCli,
    run: (opts) => (opts.subscribers ? importSubscribers(opts) : runImport(opts)),
    afterFailure:
      "Files written before the failure are complete; run the same command again to finish (it rewrites nothing that is already right).",
  }),
);
