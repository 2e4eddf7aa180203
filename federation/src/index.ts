import { WorkerEntrypoint } from "cloudflare:workers";
import type { Federation, Message } from "@fedify/fedify/federation";
import { verifyRequest } from "@fedify/fedify/sig";
import { BLOG_INFO_HEADER, type BlogInfo, type FederationApi, MAX_ACTIVITY_BYTES } from "../../src/content/federation";
import { blogStore } from "../../src/content/keys";
import { getPublicPost } from "../../src/data/posts";
import { type ContextData, federationFor, stateOf } from "./federation";
import { deliver, sweep } from "./deliver";
import type { Follower } from "./state";

export { FederationState } from "./state";

const problem = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });

const idOf = (v: unknown): string | null =>
  typeof v === "string"
    ? v
    : v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
      ? (v as { id: string }).id
      : null;

/** Outgoing requests (deliveries, key and actor fetches) give up after 10 s: a peer that never answers holds nothing up. */
const PEER_TIMEOUT_MS = 10_000;
const originalFetch = globalThis.fetch.bind(globalThis);
globalThis.fetch = (input, init) => originalFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(PEER_TIMEOUT_MS) });

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
  const ctx = federation.createContext(request as unknown as Request, data);
  const key = await verifyRequest(request.clone() as unknown as Parameters<typeof verifyRequest>[0], {
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
  }).catch((err: unknown) => {
    console.error("signature check failed:", err);
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
    if (m && m[1] === blog.baseUrl && !(await getPublicPost(blogStore(env.POSTS, blog.name), m[2]!, new Date()))) {
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
  override async fetch(request: Request): Promise<Response> {
    let blog: BlogInfo | null = null;
    try {
      blog = JSON.parse(request.headers.get(BLOG_INFO_HEADER) ?? "null");
    } catch {
      blog = null;
    }
    if (!blog) return problem(404, "not_found", "There is no blog at this address.");
    const data: ContextData = { env: this.env, blog };
    const url = new URL(request.url);
    const federation = await federationFor(this.env, blog.allowPrivate);
    if (request.method === "POST" && /^\/ap\/(?:users\/[a-z0-9-]+\/)?inbox$/.test(url.pathname)) {
      const refused = await checkInbox(request, blog, this.env, federation, data);
      if (refused) return refused;
    }
    return federation.fetch(request, {
      contextData: data,
      onNotFound: () => problem(404, "not_found", "There is nothing at this address."),
      onNotAcceptable: () => problem(406, "not_acceptable", "Ask for application/activity+json."),
    });
  }

  /** Deliveries, each on its own: a slow or failing peer holds up nobody else in the batch. */
  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    // Deliveries fetch nothing but the inboxes they were given (checked when the follower was taken in).
    const federation = await federationFor(this.env, true);
    await Promise.all(
      batch.messages.map(async (message) => {
        try {
          await federation.processQueuedTask({ env: this.env, blog: null }, message.body as Message);
          message.ack();
        } catch (err) {
          console.error("federation task failed; the queue retries it:", err);
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
}
