import { keys } from "./keys";

/** The CommentThread of one post. */
export function thread(env: Env, slug: string) {
  return env.COMMENTS.get(env.COMMENTS.idFromName(slug));
}

/** Published comment counts for listing cards: one bulk KV read, whatever the number of cards (at most 100). */
export async function commentCounts(kv: KVNamespace, slugs: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!slugs.length) return out;
  const values = await kv.get(slugs.map(keys.commentCount), { type: "text", cacheTtl: 60 });
  for (const slug of slugs) {
    const n = Number(values.get(keys.commentCount(slug)) ?? 0);
    if (n > 0) out.set(slug, n);
  }
  return out;
}
