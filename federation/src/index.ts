import { type ExportJob, runExportStep } from "./exporter";
import { readDescribed } from "../../src/core/subscriber-csv";
import { expireExport, listExports, readExport, startExport } from "../../src/data/exports";
import { listRestores, readRestore, startRestore } from "./restores";
import { type ErasureMode, erasureStep, readErasure, startErasure } from "../../src/data/erasure";
import { runJob, listPoints, makePoint, type PointJob, postOf, type RestoreJob, restoreStep, threadOf } from "./backups";
import { WorkerEntrypoint } from "cloudflare:workers";
import type { Federation, Message } from "@fedify/fedify/federation";
import { verifyRequest } from "@fedify/fedify/sig";
import { BLOG_INFO_HEADER, type BlogInfo, type FederationApi, MAX_ACTIVITY_BYTES } from "../../src/core/federation";
import { blogStore } from "../../src/core/keys";
import { log, requestId, traceBlog, traced } from "../../src/core/log";
import { getFederatedPost } from "../../src/data/posts";
import { type ContextData, federationFor, type QueuedTask, stateOf } from "./federation";
import { isPublicUrl } from "./public-address";
import type { CodeBlock } from "../../src/core/markdown";
import { highlightBlocks } from "../../src/core/highlight";
import { deliver, sweep } from "./deliver";
import type { Follower } from "./state";

export { FederationState } from "./state";

function problem(status: number, code: string, message: string): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  const reference = requestId();
  if (reference) headers["X-Request-Id"] = reference;
  return Response.json({ error: { code, message } }, { status, headers });
}

const idOf = (v: unknown): string | null =>
  typeof v === "string"
    ? v
    : v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
      ? (v as { id: string }).id
      : null;

/** Fedify's KV keys removed per call while a blog is deleted. */
const FORGET_BATCH = 200;
/** What Fedify keeps in KV per origin or URL: handled inbox activities, fetched documents, public keys. */
const FEDIFY_KINDS = ["activityIdempotence", "remoteDocument", "publicKey"] as const;

/**
 * Fedify's KV entries under a blog's hosts (its keys are JSON arrays: ["_fedify", kind, origin or
 * URL, …]), at most `limit`: listed by prefix, then held to the host exactly (`alpha.example`
 * must not take `alpha.example.net`'s).
 */
async function fedifyKeysOf(kv: KVNamespace, hosts: string[], limit: number): Promise<string[]> {
  const found: string[] = [];
  for (const host of hosts) {
    for (const kind of FEDIFY_KINDS) {
      for (const scheme of ["http://", "https://"]) {
        const prefix = `${JSON.stringify(["_fedify", kind, `${scheme}${host}`]).slice(0, -2)}`;
        let cursor: string | undefined;
        do {
          const page = await kv.list({ prefix, cursor, limit: 1000 });
          for (const { name } of page.keys) if (/^[:/"]/.test(name.slice(prefix.length))) found.push(name);
          if (found.length >= limit) return found.slice(0, limit);
          cursor = page.list_complete ? undefined : page.cursor;
        } while (cursor);
      }
    }
  }
  return found;
}

/** A queue message as SettingQueue wrapped it, or a bare Fedify message of an older deployment. */
function queuedTask(body: unknown): QueuedTask {
  const wrapped = body as Partial<QueuedTask> | null;
  return wrapped && typeof wrapped === "object" && "task" in wrapped && wrapped.task
    ? { allowPrivate: wrapped.allowPrivate === true, task: wrapped.task }
    : { allowPrivate: false, task: body as Message };
}

/** Outgoing requests (deliveries, key and actor fetches) give up after 10 s: a peer that never answers holds nothing up. */
const PEER_TIMEOUT_MS = 10_000;
const originalFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = (input, init) => originalFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(PEER_TIMEOUT_MS) });

/** How deep an activity's JSON may nest: real ones stay under ten; JSON-LD expansion recurses, so a deep one would exhaust the stack. */
const MAX_DEPTH = 32;

/** The nesting depth of parsed JSON, without recursion (the value may be arbitrarily deep). */
function depth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (d > deepest) deepest = d;
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/**
 * An inbox POST is checked before Fedify handles it: readable JSON of a known shape (400),
 * signed by its actor (401, checked here first so that nothing else answers an unsigned request),
 * and about something here: a Follow of this blog's actor, a reply to one of its public posts (404).
 */
async function checkInbox(
  request: Request,
  blog: BlogInfo,
  env: Env,
  federation: Federation<ContextData>,
  data: ContextData,
): Promise<Response | null> {
  const text = await request.clone().text();
  if (text.length > MAX_ACTIVITY_BYTES) return problem(413, "payload_too_large", "An activity may be at most 256 KB.");
  let activity: Record<string, unknown>;
  try {
    activity = JSON.parse(text);
  } catch {
    return problem(400, "invalid_json", "The activity is not valid JSON.");
  }
  if (!activity || typeof activity !== "object" || typeof activity.type !== "string" || !idOf(activity.actor)) {
    return problem(400, "invalid_input", "An activity needs a type and an actor.");
  }
  if (typeof activity.id !== "string" || !URL.canParse(activity.id))
    return problem(400, "invalid_input", "An activity needs an id (its URL).");
  if (depth(activity) > MAX_DEPTH) return problem(400, "invalid_input", `An activity may nest at most ${MAX_DEPTH} levels deep.`);
  const ctx = federation.createContext(request as unknown as Request, data);
  const key = await verifyRequest(request.clone() as unknown as Parameters<typeof verifyRequest>[0], {
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
  }).catch((err: unknown) => {
    log("warn", "signature check failed", { code: "unauthorized", error: err });
    return null;
  });
  if (!key) return problem(401, "unauthorized", "The request needs a valid HTTP signature of its actor, made in the last hour.");
  if (key.ownerId && key.ownerId.href !== idOf(activity.actor)) return problem(401, "unauthorized", "The signature is not the actor's.");
  const object = activity.object;
  if (activity.type === "Follow" && idOf(object) !== ctx.getActorUri(blog.name).href) {
    return problem(404, "not_found", "There is no such actor here.");
  }
  if ((activity.type === "Create" || activity.type === "Update") && object && typeof object === "object") {
    const target = idOf((object as { inReplyTo?: unknown }).inReplyTo);
    const m = target ? /^(.*)\/posts\/([a-z0-9-]+)(?:#comment-\d+)?$/.exec(target) : null;
    if (m && m[1] === blog.baseUrl && !(await getFederatedPost(blogStore(env.POSTS, blog.name), m[2]!, new Date()))) {
      return problem(404, "not_found", `No published post has the slug "${m[2]}".`);
    }
  }
  return null;
}

/**
 * The ActivityPub worker. Reached only through the reader's service binding: `fetch` for the
 * requests the reader forwards (the blog in the X-Edge-Blog header it sets), RPC for changes of
 * posts, and the queue consumer for deliveries.
 */
export default class FederationWorker extends WorkerEntrypoint<Env> implements FederationApi {
  override fetch(request: Request): Promise<Response> {
    return traced(request, undefined, () => this.answer(request));
  }

  private async answer(request: Request): Promise<Response> {
    let blog: BlogInfo | null = null;
    try {
      blog = JSON.parse(request.headers.get(BLOG_INFO_HEADER) ?? "null");
    } catch {
      blog = null;
    }
    if (!blog) return problem(404, "not_found", "There is no blog at this address.");
    traceBlog(blog.name);
    const data: ContextData = { env: this.env, blog };
    const url = new URL(request.url);
    const federation = await federationFor(this.env, blog.allowPrivate);
    if (request.method === "POST" && /^\/ap\/(?:users\/[a-z0-9-]+\/)?inbox$/.test(url.pathname)) {
      const refused = await checkInbox(request, blog, this.env, federation, data);
      if (refused) return refused;
    }
    try {
      return await federation.fetch(request, {
        contextData: data,
        onNotFound: () => problem(404, "not_found", "There is nothing at this address."),
        onNotAcceptable: () => problem(406, "not_acceptable", "Ask for application/activity+json."),
      });
    } catch (err) {
      // Never an uncaught exception: its answer (a stack trace under wrangler dev) says too much.
      log("error", "federation request failed", { code: "internal_error", error: err });
      return problem(500, "internal_error", "The request could not be handled.");
    }
  }

  /** Deliveries, each on its own: a slow or failing peer holds up nobody else in the batch. */
  override queue(batch: MessageBatch<unknown>): Promise<void> {
    return traced(null, `queue ${batch.queue}`, () => this.deliverAll(batch));
  }

  private async deliverAll(batch: MessageBatch<unknown>): Promise<void> {
    await Promise.all(
      batch.messages.map(async (message) => {
        try {
          // Tasks queued before the setting travelled with them are held to production's rule.
          const { allowPrivate, task } = queuedTask(message.body);
          if (!allowPrivate && task.type === "outbox" && !(await isPublicUrl(task.inbox))) {
            log("warn", "delivery dropped: not a public address", { inbox: task.inbox });
            message.ack();
            return;
          }
          const federation = await federationFor(this.env, allowPrivate);
          await federation.processQueuedTask({ env: this.env, blog: null }, task);
          message.ack();
        } catch (err) {
          log("warn", "federation task failed; the queue retries it", { attempts: message.attempts, error: err });
          message.retry({ delaySeconds: Math.min(300, 5 * 2 ** message.attempts) });
        }
      }),
    );
  }

  /** A post was saved or deleted: Create, Update or Delete it for the followers, once each. */
  async postChanged(blog: BlogInfo, slug: string): Promise<string> {
    return deliver(this.env, blog, slug);
  }

  /** The cron's pass: posts that became public since (by `npm run publish` or their scheduled time) are delivered. */
  async sweep(blog: BlogInfo): Promise<string[]> {
    return sweep(this.env, blog);
  }

  async followers(blog: string): Promise<Follower[]> {
    return stateOf(this.env, blog).followers();
  }

  async followerCount(blog: string): Promise<number> {
    return stateOf(this.env, blog).count();
  }

  async removeFollower(blog: string, actor: string): Promise<boolean> {
    return stateOf(this.env, blog).unfollow(actor);
  }

  async forgetBlog(blog: string, hosts: string[]): Promise<boolean> {
    await stateOf(this.env, blog).purge();
    const keys = await fedifyKeysOf(this.env.FEDIFY_KV, hosts, FORGET_BATCH);
    await Promise.all(keys.map((k) => this.env.FEDIFY_KV.delete(k)));
    return keys.length === 0;
  }

  async holdsBlog(blog: string, hosts: string[]): Promise<boolean> {
    return (await stateOf(this.env, blog).holdsAnything()) || (await fedifyKeysOf(this.env.FEDIFY_KV, hosts, 1)).length > 0;
  }
}

/**
 * Code highlighting for the reader's saves and previews (src/core/highlight.ts): highlight.js
 * lives in this worker, which is bundled apart, instead of in the reader's.
 */
/** The export's steps for the reader's jobs queue (federation/src/exporter.ts). */
export class Exporter extends WorkerEntrypoint<Env> {
  step(job: ExportJob) {
    return runExportStep(this.env, job);
  }
  start(blog: string, born: string, by: string) {
    return startExport(this.env.ARCHIVES, blog, born, by, new Date());
  }
  list(blog: string, born: string) {
    return listExports(this.env.ARCHIVES, blog, born);
  }
  read(blog: string, born: string, id: string) {
    return readExport(this.env.ARCHIVES, blog, born, id);
  }
  expire(blog: string, born: string, id: string) {
    return expireExport(this.env.ARCHIVES, blog, born, id, new Date());
  }
  /** A subscriber list from another platform, read for the administration's import (the parser stays out of the reader's bundle). */
  readSubscriberCsv(text: string) {
    return readDescribed(text);
  }
}

/** Nightly backups and restores for the reader's jobs queue and owners' pages (federation/src/backups.ts). */
export class Backups extends WorkerEntrypoint<Env> {
  point(job: PointJob) {
    return makePoint(this.env, job);
  }
  /** The points an owner may restore: a point a night is still finishing is not one yet. */
  async points(blog: string, born: string) {
    return (await listPoints(this.env.ARCHIVES, blog, born)).filter((p) => !p.partial);
  }
  restoreStep(job: RestoreJob) {
    return restoreStep(this.env, job);
  }
  postOf(blog: string, born: string, id: string, slug: string) {
    return postOf(this.env, blog, born, id, slug);
  }
  threadOf(blog: string, born: string, id: string, slug: string) {
    return threadOf(this.env, blog, born, id, slug);
  }
  startRestore(blog: string, born: string, point: string, by: string, formerReader: string) {
    return startRestore(this.env.ARCHIVES, blog, born, point, by, formerReader, new Date());
  }
  job(job: Parameters<typeof runJob>[1]) {
    return runJob(this.env, job);
  }
  startErasure(blog: string, born: string, by: string, mode: ErasureMode) {
    return startErasure(this.env.ARCHIVES, blog, born, by, mode, new Date());
  }
  erasure(blog: string, born: string, id: string) {
    return readErasure(this.env.ARCHIVES, blog, born, id);
  }
  erasureStep(blog: string, born: string, job: { id: string; step: number; email: string; name: string }) {
    return erasureStep(this.env.ARCHIVES, this.env.READER, blogStore(this.env.POSTS, blog), born, job, new Date());
  }
  restores(blog: string, born: string) {
    return listRestores(this.env.ARCHIVES, blog, born);
  }
  restore(blog: string, born: string, id: string) {
    return readRestore(this.env.ARCHIVES, blog, born, id);
  }
}

export class Highlighter extends WorkerEntrypoint<Env> {
  highlight(blocks: CodeBlock[]): (string | null)[] {
    return highlightBlocks(blocks);
  }
}
