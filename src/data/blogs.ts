import { RegistryIndex, type RegistrySnapshot } from "../content/blogs";
import { blogStore, keysFor, platformKeys } from "../content/keys";
import type { ListingHead } from "../content/types";
import { TIMEOUTS } from "../content/vocabulary";
import type { Blogs } from "../platform/blogs";
import { listingTotal, parse } from "./posts";
import { rpcClient } from "./rpc";

/** The platform's registry object (one for the deployment). */
export function blogsRegistry(env: Env) {
  return rpcClient<Blogs>(env.BLOGS.get(env.BLOGS.idFromName("blogs")), "the blog registry", TIMEOUTS.default);
}

/** How long an isolate trusts the registry it holds before looking at KV again. */
const REGISTRY_TTL_MS = 10_000;
let held: { snapshot: RegistrySnapshot | null; index: RegistryIndex; at: number } | null = null;

function parseSnapshot(text: string | null): RegistrySnapshot | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as RegistrySnapshot;
    if (value?.v === 1 && Array.isArray(value.blogs)) return value;
  } catch {
    /* reported below */
  }
  console.error(`${platformKeys.registry} is damaged; only the main blog is served until the registry is written again`);
  return null;
}

/**
 * The registry as this isolate holds it: read from KV at most once per REGISTRY_TTL_MS, so a
 * cached page costs no read for it. A deployment that never created a blog has no registry key
 * and serves the main blog alone.
 */
export async function heldRegistry(kv: KVNamespace, now = Date.now()): Promise<RegistryIndex> {
  if (held && now - held.at < REGISTRY_TTL_MS) return held.index;
  const snapshot = parseSnapshot(await kv.get(platformKeys.registry));
  // Never step back to an older version this isolate has already seen (KV replicas may lag).
  if (!held?.snapshot || !snapshot || snapshot.version >= held.snapshot.version) hold(snapshot, now);
  else held.at = now;
  return held!.index;
}

function hold(snapshot: RegistrySnapshot | null, now: number) {
  if (held && held.snapshot === snapshot) held.at = now;
  else held = { snapshot, index: new RegistryIndex(snapshot), at: now };
}

/** Takes a registry this isolate just wrote (through the Blogs object) without waiting for KV. */
export function holdRegistry(snapshot: RegistrySnapshot, now = Date.now()): void {
  if (!held?.snapshot || snapshot.version >= held.snapshot.version) hold(snapshot, now);
}

/** For tests whose storage is reset: forget the registry this isolate holds. */
export function forgetRegistry(): void {
  held = null;
}

/** Public post counts of many blogs: one bulk read of their listing heads per 100 blogs. */
export async function blogPostCounts(kv: KVNamespace, names: string[], now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const home = { kind: "home" } as const;
  for (let i = 0; i < names.length; i += 100) {
    const wanted = names.slice(i, i + 100).map((name) => [name, keysFor(name).listHead(home)] as const);
    const values = await kv.get(
      wanted.map(([, key]) => key),
      "text",
    );
    for (const [name, key] of wanted) {
      const head = parse<ListingHead>(values.get(key), key);
      out.set(
        name,
        head
          ? head.total + head.scheduled.filter((p) => p.date <= now.toISOString()).length
          : await listingTotal(blogStore(kv, name), home, now),
      );
    }
  }
  return out;
}
