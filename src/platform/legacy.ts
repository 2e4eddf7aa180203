import type { BlogRecord } from "../core/blogs";
import { platformKeys } from "../core/keys";

/**
 * Who holds a name or a custom domain in the single registry of earlier versions, while it has
 * not been upgraded yet (its KV value exists): a new blog must not take a name or domain whose
 * blog the upgrade has still to move (it would see that blog's posts). Once the upgrade is done
 * the value is gone and this is one read of a missing key, held at the edge for a minute.
 */
export async function legacyHolder(env: Env, asked: { name: string } | { domain: string }): Promise<string | null> {
  const text = await env.POSTS.get(platformKeys.legacyRegistry, { cacheTtl: 60 });
  if (!text) return null;
  try {
    const blogs = (JSON.parse(text) as { blogs?: BlogRecord[] }).blogs ?? [];
    const found = blogs.find((b) => ("name" in asked ? b.name === asked.name : b.domains?.includes(asked.domain)));
    return found?.name ?? null;
  } catch {
    return null;
  }
}
