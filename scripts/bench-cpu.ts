/**
 * `npm run bench:cpu`: CPU per request of the real app in Node (app.fetch, in-memory KV, the
 * comment thread stubbed: no comments, no Durable Object call), the bench's method alone, in
 * seconds rather than minutes: for profiling a change to the request path.
 */
// Code blocks are highlighted in Node by highlight.js (the worker asks the federation worker).
import "../src/core/highlight";
import { buildSite } from "../src/core/build";
import { MAIN_BLOG } from "../src/core/blogs";
import { keysFor } from "../src/core/keys";
import { cpuPerRequest } from "./lib/cpu";
import { syntheticPosts } from "./lib/synthetic";

async function main() {
  const posts = syntheticPosts(Number(process.env.CPU_POSTS ?? 50));
  const entries = buildSite(keysFor(MAIN_BLOG), posts, new Date());
  const post = `/posts/${posts[2]!.slug}`;
  const rows: [string, string, string][] = [
    ["post page, uncached", post, "0"],
    ["post page, page cache", post, "60"],
    ["home, uncached", "/", "0"],
    ["tag page, uncached", "/tags/energy", "0"],
    ["API post, uncached", `/api/posts/${posts[2]!.slug}`, "0"],
    ["API list, uncached", "/api/posts", "0"],
  ];
  const only = process.env.CPU_ONLY;
  for (const [name, path, cache] of rows.filter(([n]) => !only || n.startsWith(only)))
    console.log(`${name}: ${(await cpuPerRequest(entries, path, cache, Number(process.env.CPU_REQUESTS ?? 3000))).toFixed(3)} ms`);
}

main();
