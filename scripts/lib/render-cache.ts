/**
 * `npm run publish`'s render cache: each post's rendered record, by a hash of its source, in
 * `.cache/publish/<blog>.json` under the project. A post whose file did not change is not
 * rendered again. The cache belongs to the renderer that wrote it: any change to the code in
 * `src/core/` or to the pinned packages (package-lock.json) starts it afresh.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderPost } from "../../src/core/build";
import type { PostSource } from "../../src/core/types";

type RenderedPost = ReturnType<typeof renderPost>;

interface CacheFile {
  renderer: string;
  posts: Record<string, RenderedPost>;
}

const sha = (text: string | Buffer) => createHash("sha256").update(text).digest("base64url");

/** What the rendering depends on besides the source: the content code and the locked packages. */
async function rendererFingerprint(root: string): Promise<string> {
  const dir = join(root, "src", "core");
  const names = (await readdir(dir)).filter((n) => /\.tsx?$/.test(n)).sort();
  const hash = createHash("sha256");
  for (const name of names) hash.update(name).update(await readFile(join(dir, name)));
  hash.update(await readFile(join(root, "package-lock.json")).catch(() => Buffer.from("")));
  return hash.digest("base64url");
}

export interface RenderCache {
  render: (source: PostSource) => RenderedPost;
  /** Keeps what this publish rendered or reused (and nothing else) for the next one. */
  save: () => Promise<void>;
  readonly hits: number;
  readonly misses: number;
}

export async function renderCache(root: string, blog: string): Promise<RenderCache> {
  const file = join(root, ".cache", "publish", `${blog}.json`);
  const renderer = await rendererFingerprint(root);
  let old: Record<string, RenderedPost> = {};
  try {
    const cached = JSON.parse(await readFile(file, "utf8")) as CacheFile;
    if (cached.renderer === renderer && cached.posts && typeof cached.posts === "object") old = cached.posts;
  } catch {
    // No cache yet, or one that cannot be read: everything is rendered.
  }
  const used: Record<string, RenderedPost> = {};
  let hits = 0;
  let misses = 0;
  return {
    render(source) {
      const key = sha(JSON.stringify(source));
      let out = old[key];
      if (out) hits++;
      else {
        out = renderPost(source);
        misses++;
      }
      used[key] = out;
      return out;
    },
    async save() {
      if (!misses && hits === Object.keys(old).length) return;
      await mkdir(join(root, ".cache", "publish"), { recursive: true });
      // Written aside, then moved in place: an interrupted save never leaves half a cache.
      const aside = `${file}.${process.pid}.tmp`;
      await writeFile(aside, JSON.stringify({ renderer, posts: used } satisfies CacheFile));
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
