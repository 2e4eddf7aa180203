import { BLOG_NAME, type BlogRecord, type HostTarget, MAIN_BLOG } from "../core/blogs";
import { blogStore, keysFor, platformKeys } from "../core/keys";
import { BoundedMap } from "../core/maps";
import type { ListingHead } from "../core/types";
import { TIMEOUTS } from "../core/vocabulary";
import type { Blog } from "../platform/blog";
import type { Accounts } from "../platform/accounts";
import type { Blogs } from "../platform/blogs";
import { LEGACY_ACCOUNTS } from "../core/people";
import { listingTotal, parse } from "./posts";
import { rpcClient } from "./rpc";
import { accounts } from "./objects";
import { log } from "../core/log";

/** A blog's own object (by name), which decides its name and writes its records. */
export function blogObject(env: Env, name: string) {
  return rpcClient<Blog>(env.BLOG.get(env.BLOG.idFromName(name)), "the blog's object", TIMEOUTS.default);
}

/** The registry of earlier versions, for the one-time upgrade only. */
export function legacyRegistry(env: Env) {
  return rpcClient<Blogs>(env.BLOGS.get(env.BLOGS.idFromName("blogs")), "the old registry of blogs", TIMEOUTS.default);
}

/** Blogs moved per call to the old registry during the upgrade (each is one object call and 1 + domains KV writes). */
const UPGRADE_BATCH = 100;

/**
 * Moves the blogs of the single registry of earlier versions to their own objects, `rounds`
 * batches at most; answers what is left. A deployment without the old registry's KV key (new, or
 * already upgraded) costs one KV read and nothing else.
 */
export async function upgradeRegistry(env: Env, now: Date, rounds = 1): Promise<{ moved: number; left: number; done: boolean }> {
  if ((await env.POSTS.get(platformKeys.legacyRegistry)) === null) return { moved: 0, left: 0, done: true };
  let moved = 0;
  for (let round = 0; round < rounds; round++) {
    const step = await legacyRegistry(env).upgrade(UPGRADE_BATCH, now.toISOString());
    moved += step.moved;
    if (step.done) return { moved, left: 0, done: true };
    if (round === rounds - 1) return { moved, left: step.left, done: false };
  }
  return { moved, left: 0, done: false };
}

/** Blogs whose people are moved per call (each is one call to the blog's object and one to each of its people's). */
const PEOPLE_BATCH = 50;

/**
 * Moves each blog's people (members, open invitations, tokens, audit log) from the single
 * Accounts object of earlier versions to the blog's own, `rounds` batches at most. A blog first
 * used before this ran has moved itself already. Once none is left a KV key says so, and the
 * upgrade costs one KV read.
 */
export async function upgradePeople(env: Env, rounds = 1): Promise<{ moved: number; left: number }> {
  if ((await env.POSTS.get(platformKeys.peopleMoved)) !== null) return { moved: 0, left: 0 };
  const old = rpcClient<Accounts>(env.ACCOUNTS.get(env.ACCOUNTS.idFromName(LEGACY_ACCOUNTS)), "accounts", TIMEOUTS.default);
  let moved = 0;
  for (let round = 0; round < rounds; round++) {
    const blogs = await old.blogsLeft(PEOPLE_BATCH);
    if (!blogs.length) {
      await env.POSTS.put(platformKeys.peopleMoved, new Date().toISOString());
      return { moved, left: 0 };
    }
    await Promise.all(blogs.map((blog) => accounts(env, blog).move(blog)));
    moved += blogs.length;
  }
  return { moved, left: (await old.blogsLeft(PEOPLE_BATCH)).length };
}

/** How long an isolate trusts a record it holds before looking at KV again. */
const RECORD_TTL_MS = 10_000;
/** A name or host with no record (an unknown subdomain's 404, a host that is no custom domain) is asked again sooner. */
const MISSING_TTL_MS = 5_000;
/**
 * Records this isolate holds, by KV key: at most RECORDS of them (about 1 KB each), whatever the
 * number of blogs; the least recently used goes first.
 */
export const RECORDS = 4096;
const held = new BoundedMap<string, { record: BlogRecord | null; at: number }>(RECORDS);

function parseRecord(key: string, text: string | null): BlogRecord | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as BlogRecord;
    if (value && typeof value.name === "string" && Array.isArray(value.domains)) return value;
  } catch {
    /* reported below */
  }
  log("error", "KV value is damaged; its blog is not served until its settings are saved again", { key });
  return null;
}

/**
 * One blog record by KV key, read at most once per RECORD_TTL_MS by this isolate (a missing one
 * once per MISSING_TTL_MS), never stepping back to an older version than one it already holds.
 */
async function heldRecord(kv: KVNamespace, key: string, now: number): Promise<BlogRecord | null> {
  const entry = held.get(key);
  if (entry && now - entry.at < (entry.record ? RECORD_TTL_MS : MISSING_TTL_MS)) return entry.record;
  const record = parseRecord(key, await kv.get(key));
  const older = entry?.record && record && (record.version ?? 0) < (entry.record.version ?? 0);
  held.set(key, { record: older ? entry!.record : record, at: now });
  return older ? entry!.record : record;
}

/** The blog a host is for: its record (null: the main blog with no saved settings), or the unknown name or host. */
/** A blog found by its host: an active one, or a closed one (whose members may still sign in to restore it; readers get 404). */
const answers = (record: BlogRecord | null) => record?.state === "active" || record?.state === "closed";

export async function blogAt(
  kv: KVNamespace,
  target: HostTarget,
  now = Date.now(),
): Promise<{ name: string; record: BlogRecord | null } | { unknown: string }> {
  if ("name" in target) {
    // A label that cannot be a name costs no read.
    const record = BLOG_NAME.test(target.name) ? await heldRecord(kv, platformKeys.blog(target.name), now) : null;
    return answers(record) ? { name: record!.name, record } : { unknown: target.name };
  }
  if ("domain" in target) {
    const record = await heldRecord(kv, platformKeys.domain(target.domain), now);
    if (record) return answers(record) ? { name: record.name, record } : { unknown: target.domain };
  }
  return { name: MAIN_BLOG, record: await heldRecord(kv, platformKeys.blog(MAIN_BLOG), now) };
}

/** One blog's record by name (null: no such blog, or the main blog's settings were never saved). */
export function blogRecord(kv: KVNamespace, name: string, now = Date.now()): Promise<BlogRecord | null> {
  return heldRecord(kv, platformKeys.blog(name), now);
}

/**
 * Takes a record this isolate just had written (through the blog's object) without waiting for
 * KV; the domains `before` had and it no longer has are forgotten.
 */
export function holdRecord(record: BlogRecord, before: BlogRecord | null = null, now = Date.now()): void {
  for (const key of [platformKeys.blog(record.name), ...record.domains.map(platformKeys.domain)]) held.set(key, { record, at: now });
  for (const host of before?.domains ?? []) if (!record.domains.includes(host)) held.delete(platformKeys.domain(host));
}

/** The records of many blogs (the operator's list): one bulk KV read per 100, not held. */
export async function blogRecords(kv: KVNamespace, names: string[]): Promise<Map<string, BlogRecord | null>> {
  const out = new Map<string, BlogRecord | null>();
  for (let i = 0; i < names.length; i += 100) {
    const keys = names.slice(i, i + 100).map(platformKeys.blog);
    const values = await kv.get(keys, "text");
    for (const key of keys) {
      const record = parseRecord(key, values.get(key) ?? null);
      if (record) out.set(record.name, record);
    }
  }
  return out;
}

/** For tests whose storage is reset: forget every record this isolate holds. */
export function forgetBlogRecords(): void {
  held.clear();
}

/** How many records this isolate holds (the bench's measure of what tenancy keeps). */
export function heldRecordCount(): number {
  return held.size;
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
      if (head) out.set(name, head.total + head.scheduled.filter((p) => p.date <= now.toISOString()).length);
      // Only the main blog can still have the single-blog layout (no head until its next publish); a blog without a head has no posts.
      else out.set(name, name === MAIN_BLOG ? await listingTotal(blogStore(kv, name), home, now) : 0);
    }
  }
  return out;
}
