/**
 * `npm run bench:publish`: `npm run publish` of BENCH_POSTS generated posts (10,000) into a fresh
 * local KV with nothing cached, then three republishes, each after one line was added to one
 * post, read from the files of another folder (so no file is known by its path or time).
 * Targets (#28): one changed post ≤ 3 s, the whole blog ≤ 40 s, on the 2-core machine here.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { syntheticPosts } from "./lib/synthetic";
import { writePostFiles } from "./lib/write-posts";
import { publish } from "./publish";

const ROOT = resolve(import.meta.dirname, "..");
const SIZE = Number(process.env.BENCH_POSTS ?? 10_000);

async function main() {
  const work = join(ROOT, ".tmp", "bench-publish");
  rmSync(work, { recursive: true, force: true });
  const state = join(work, "state");
  const cacheDir = join(work, "cache");
  const posts = syntheticPosts(SIZE);
  const run = async (dir: string) => {
    const lines: string[] = [];
    const t = performance.now();
    const code = await publish({ remote: false, persistTo: state, dryRun: false, postsDir: dir, cacheDir, log: (l) => lines.push(l) });
    if (code !== 0) throw new Error(lines.join("\n"));
    return { seconds: (performance.now() - t) / 1000, lines };
  };
  await writePostFiles(join(work, "posts-0"), posts);
  const full = await run(join(work, "posts-0"));
  console.log(`${SIZE.toLocaleString("en-US")} posts, nothing cached: ${full.seconds.toFixed(1)} s`);
  let current = posts;
  for (let round = 1; round <= 3; round++) {
    const changed = posts[Math.floor((SIZE * round) / 4)]!;
    const dir = join(work, `posts-${round}`);
    // Each round changes one more post of what the last one published.
    current = current.map((p) => (p.slug === changed.slug ? { ...p, markdown: `${p.markdown}\n\nAn added line, round ${round}.` } : p));
    await writePostFiles(dir, current);
    const again = await run(dir);
    const wrote = again.lines.find((l) => l.startsWith("Published"))?.replace(/^Published to [^:]+: /, "") ?? "";
    console.log(`one post changed (${changed.slug}): ${again.seconds.toFixed(1)} s — ${wrote}`);
  }
  rmSync(work, { recursive: true, force: true });
}

await main();
