/**
 * Posts this isolate just wrote to (a comment, a save): their pages skip the shared cache for a
 * few seconds, until their new version is in KV (written by their thread's alarm or the editor).
 */

/** Posts this isolate wrote to in the last DIRTY_MS skip the shared cache until their new version is in KV. */
const dirty = new Map<string, number>();
const DIRTY_MS = 5000;

/** Whether this isolate wrote to a post's thread in the last few seconds (its new count may not be in KV yet). */
export const writtenLately = (blog: string, slug: string, now = Date.now()) => now - (dirty.get(`${blog}/${slug}`) ?? 0) < DIRTY_MS;

/** For tests: how many posts are remembered as just written. */
export const dirtyCount = () => dirty.size;

/** For tests: forgets which posts were just written. */
export const forgetDirty = () => dirty.clear();

export /** Remembers a post this isolate just wrote to; entries older than the window are dropped as it goes. */
function markDirty(slug: string, now: number) {
  for (const [known, at] of dirty) if (now - at >= DIRTY_MS) dirty.delete(known);
  dirty.set(slug, now);
}
