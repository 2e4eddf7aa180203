import { BoundedMap } from "../content/maps";

/**
 * KV values this isolate read lately, for what may lag KV by the page cache's few seconds (the
 * content versions in its keys, the comment counts on listing cards): each read at most once per
 * `ttlMs` (0: every time). A write handled by this isolate forgets them all (http/cache.ts), so
 * its own change shows at once.
 */
const held = new BoundedMap<string, { value: string | null; at: number }>(10_000);

export async function heldTexts(kv: KVNamespace, keys: string[], ttlMs: number, now = Date.now()): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const missing: string[] = [];
  for (const key of keys) {
    const known = held.peek(key);
    if (ttlMs > 0 && known && now - known.at < ttlMs) out.set(key, known.value);
    else missing.push(key);
  }
  if (!missing.length) return out;
  const values = missing.length === 1 ? new Map([[missing[0]!, await kv.get(missing[0]!)]]) : await kv.get(missing, "text");
  for (const key of missing) {
    const value = values.get(key) ?? null;
    out.set(key, value);
    if (ttlMs > 0) held.set(key, { value, at: now });
  }
  return out;
}

export function forgetHeld(): void {
  held.clear();
}
