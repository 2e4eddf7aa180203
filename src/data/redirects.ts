import type { RedirectsRecord } from "../core/imports";
import type { BlogStore } from "../core/keys";
import { log } from "../core/log";

/** The post an old URL of the blog leads to (`oldUrlKey` form), or null. One KV read, edge-cached a minute. */
export async function oldUrlTarget({ kv, keys }: BlogStore, key: string): Promise<string | null> {
  const text = await kv.get(keys.redirects, { cacheTtl: 60 });
  if (!text) return null;
  try {
    const record = JSON.parse(text) as RedirectsRecord;
    const slug = record?.v === 1 && record.paths && Object.hasOwn(record.paths, key) ? record.paths[key] : null;
    return typeof slug === "string" ? slug : null;
  } catch {
    log("warn", "KV value is damaged; old URLs are not followed", { key: keys.redirects });
    return null;
  }
}
