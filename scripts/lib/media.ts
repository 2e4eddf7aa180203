import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { IMAGE_TYPES, type ImageExt, imageProblem, MEDIA_PATH, mediaName, sniffImage } from "../../src/core/media";
import type { PostSource } from "../../src/core/types";
import type { FileProblem } from "./load";

/** An image file in `posts/` that posts reference, as it will be stored in R2. */
export interface LocalImage {
  /** The content-hash name it is served under (`/media/<name>`). */
  name: string;
  path: string;
  type: string;
  size: number;
}

/** Markdown images `![alt](src "title")` and the `src` of HTML `<img>` tags. */
const IMAGE_REFS = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)|<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/gi;

/** A reference to a file next to the posts: no scheme, not site-absolute, not a fragment. */
const isRelative = (src: string) => !/^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(src);

/** 1-based line of `needle` in `text` (the first occurrence), for messages that name file and line. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

/**
 * Finds the images posts reference with paths relative to the posts folder (`images/map.png`,
 * `./images/map.png`, or a cover), checks each is a real image within the limit, and rewrites the
 * references to `/media/<hash>.<ext>`. Problems name the file and line; nothing is uploaded here.
 */
export async function localImages(
  postsDir: string,
  posts: PostSource[],
  cwd = process.cwd(),
): Promise<{ posts: PostSource[]; images: Map<string, LocalImage>; errors: FileProblem[]; refs: Map<string, string> }> {
  const images = new Map<string, LocalImage>();
  /** Each `/media/<name>` written, and the reference the file had (`images/map.png`): what `npm run pull` puts back. */
  const refs = new Map<string, string>();
  const byPath = new Map<string, LocalImage | string>();
  const errors: FileProblem[] = [];
  const out: PostSource[] = [];
  for (const post of posts) {
    const srcFile = join(postsDir, `${post.slug}.md`);
    const file = relative(cwd, srcFile) || srcFile;
    let text: string | null = null;
    const resolveRef = async (src: string): Promise<string | null> => {
      const path = resolve(dirname(srcFile), decodeURI(src));
      if (!byPath.has(path)) {
        let bytes: Uint8Array<ArrayBuffer>;
        try {
          bytes = new Uint8Array(await readFile(path));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          byPath.set(
            path,
            code === "ENOENT" ? `image ${src} not found (looked for ${relative(cwd, path)})` : `cannot read image ${src} (${code})`,
          );
          bytes = new Uint8Array();
        }
        if (!byPath.has(path)) {
          const problem = imageProblem(bytes);
          if (problem) byPath.set(path, `${src}: ${problem}`);
          else {
            const ext = sniffImage(bytes) as ImageExt;
            byPath.set(path, { name: await mediaName(bytes, ext), path, type: IMAGE_TYPES[ext], size: bytes.length });
          }
        }
      }
      const found = byPath.get(path)!;
      if (typeof found === "string") {
        text ??= await readFile(srcFile, "utf8").catch(() => "");
        errors.push({ file: `${file}:${lineOf(text, src)}`, field: "image", message: found });
        return null;
      }
      images.set(found.name, found);
      refs.set(`${MEDIA_PATH}${found.name}`, src);
      return `${MEDIA_PATH}${found.name}`;
    };

    let markdown = "";
    let last = 0;
    for (const m of post.markdown.matchAll(IMAGE_REFS)) {
      const src = m[1] ?? m[2]!;
      if (!isRelative(src)) continue;
      const url = await resolveRef(src);
      const start = m.index! + m[0].indexOf(src);
      markdown += post.markdown.slice(last, start) + (url ?? src);
      last = start + src.length;
    }
    markdown += post.markdown.slice(last);
    const cover = post.cover && isRelative(post.cover) ? ((await resolveRef(post.cover)) ?? post.cover) : post.cover;
    out.push({ ...post, markdown, ...(cover !== undefined ? { cover } : {}) });
  }
  return { posts: out, images, errors, refs };
}

/** The R2 bucket behind the MEDIA binding, as wrangler.toml names it. */
export async function mediaBucket(root: string): Promise<string> {
  const { parse } = await import("smol-toml");
  const config = parse(await readFile(join(root, "wrangler.toml"), "utf8")) as { r2_buckets?: { binding: string; bucket_name: string }[] };
  const bucket = config.r2_buckets?.find((b) => b.binding === "MEDIA")?.bucket_name;
  if (!bucket) throw new Error('wrangler.toml has no [[r2_buckets]] entry with binding = "MEDIA"');
  return bucket;
}
