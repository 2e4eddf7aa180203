/** What a publish must write and delete, from a manifest of the hashes of the values KV holds (used by the publish script). */
import { createHash } from "node:crypto";
import type { Keys } from "./keys";

export interface Manifest {
  v: 1;
  /** KV key → hash of the value last written there. */
  hashes: Record<string, string>;
}

export interface Plan {
  /** Post keys to write, before anything else. */
  posts: [string, string][];
  /** Listing keys to write once the posts are in place. */
  listings: [string, string][];
  /** Keys no longer produced, deleted after the listings stop pointing at them. */
  deletions: string[];
  manifest: Manifest;
  unchanged: number;
}

export const hashValue = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 24);

/** The editor's list of keys it wrote since the last publish. */
export function parseTouched(text: string | null): string[] {
  try {
    const value = text ? (JSON.parse(text) as unknown) : [];
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

export function parseManifest(text: string | null): Manifest | null {
  if (!text) return null;
  try {
    const m = JSON.parse(text) as Manifest;
    return m && m.v === 1 && typeof m.hashes === "object" && m.hashes ? m : null;
  } catch {
    return null;
  }
}

/** Keys every publish writes itself, last (never planned). */
const bookkeeping = (keys: Keys) => new Set([keys.manifest, keys.version, keys.edited, keys.touched]);

/**
 * What to write and delete to go from what the manifest says KV holds to `entries`. `touched`:
 * keys the editor object wrote since that manifest, whose hashes it no longer knows — they are
 * written again, or deleted when the files no longer produce them.
 */
export function planChanges(
  keys: Keys,
  entries: Map<string, string>,
  previous: Manifest | null,
  touched: string[] = [],
  /** Keys whose value the manifest already has (an incremental build did not make them again). */
  kept: ReadonlySet<string> = new Set(),
): Plan {
  const old = { ...(previous?.hashes ?? {}) };
  const own = bookkeeping(keys);
  for (const key of touched) {
    if (!key.startsWith(keys.prefix) || own.has(key)) continue;
    // An unknown hash that matches nothing: rewritten if still produced, deleted below if not.
    old[key] = "touched";
  }
  const hashes: Record<string, string> = {};
  const plan: Plan = { posts: [], listings: [], deletions: [], manifest: { v: 1, hashes }, unchanged: 0 };
  const postPrefix = keys.post("");
  for (const key of kept) {
    const hash = old[key];
    if (hash === undefined || hash === "touched") throw new Error(`${key} was kept, but the manifest does not have it`);
    hashes[key] = hash;
    plan.unchanged++;
  }
  for (const [key, value] of entries) {
    const hash = hashValue(value);
    hashes[key] = hash;
    if (old[key] === hash) plan.unchanged++;
    else (key.startsWith(postPrefix) ? plan.posts : plan.listings).push([key, value]);
  }
  plan.deletions = Object.keys(old)
    .filter((k) => !Object.hasOwn(hashes, k) && k.startsWith(keys.prefix) && !own.has(k))
    .sort();
  return plan;
}

export const isEmpty = (plan: Plan) => !plan.posts.length && !plan.listings.length && !plan.deletions.length;
