import { BoundedMap } from "../core/maps";

/**
 * KV values this isolate read lately, for what may lag KV by the page cache's few seconds (the
 * content versions in its keys, the comment counts on listing cards, the records and listing heads
 * pages are made of): each read at most once per `ttlMs` (0: every time). A write handled by this
 * isolate forgets them all (http/cache.ts), so its own change shows at once.
 */
const held = new BoundedMap<string, { value: string | null; at: number }>(10_000);
/** Values longer than SMALL (posts, listing heads) are held apart, fewer of them, and none over LARGE. */
const heldLarge = new BoundedMap<string, { value: string | null; at: number }>(128);
const SMALL = 1024;
const LARGE = 64 * 1024;

function known(key: string, ttlMs: number, now: number): { value: string | null } | undefined {
  if (!(ttlMs > 0)) return undefined;
  const entry = held.peek(key) ?? heldLarge.peek(key);
  return entry && now - entry.at < ttlMs ? entry : undefined;
}

function hold(key: string, value: string | null, ttlMs: number, now: number): void {
  if (!(ttlMs > 0)) return;
  const length = value?.length ?? 0;
  held.delete(key);
  heldLarge.delete(key);
  if (length <= SMALL) held.set(key, { value, at: now });
  else if (length <= LARGE) heldLarge.set(key, { value, at: now });
}

/**
 * One KV text, read at most once per `ttlMs` by this isolate while it exists: a missing one is
 * read again each time, so what is published where there was nothing (a 404) shows at once.
 */
export async function readCached(kv: KVNamespace, key: string, ttlMs: number, now = Date.now()): Promise<string | null> {
  const entry = known(key, ttlMs, now);
  if (entry) return entry.value;
  const value = await kv.get(key);
  if (value !== null) hold(key, value, ttlMs, now);
  return value;
}

export async function readCachedMany(
  kv: KVNamespace,
  keys: string[],
  ttlMs: number,
  now = Date.now(),
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const missing: string[] = [];
  for (const key of keys) {
    const entry = known(key, ttlMs, now);
    if (entry) out.set(key, entry.value);
    else missing.push(key);
  }
  if (!missing.length) return out;
  const values = missing.length === 1 ? new Map([[missing[0]!, await kv.get(missing[0]!)]]) : await kv.get(missing, "text");
  for (const key of missing) {
    const value = values.get(key) ?? null;
    out.set(key, value);
    hold(key, value, ttlMs, now);
  }
  return out;
}

/** Forgets `keys` (all when none are given): they are read from KV next time. */
export function invalidateCached(keys?: string[]): void {
  if (!keys) {
    held.clear();
    heldLarge.clear();
    return;
  }
  for (const key of keys) {
    held.delete(key);
    heldLarge.delete(key);
  }
}
