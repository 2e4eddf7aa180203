import {
  type Context,
  createExponentialBackoffPolicy,
  createFederationBuilder,
  type Federation,
  type InboxContext,
  type Message,
  type MessageQueue,
  type MessageQueueEnqueueOptions,
} from "@fedify/fedify/federation";
import { Temporal } from "@js-temporal/polyfill";
import { parseSemVer } from "@fedify/fedify/nodeinfo";
import { importJwk } from "@fedify/fedify/sig";
import {
  Accept,
  Announce,
  Article,
  Collection,
  Create,
  Delete,
  Endpoints,
  Follow,
  Hashtag,
  Image,
  Like,
  Note,
  Person,
  PropertyValue,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  Update,
} from "@fedify/fedify/vocab";
import { WorkersKvStore, WorkersMessageQueue } from "@fedify/fedify/x/cfworkers";
import { type BlogInfo, fediverseHandle } from "../../src/core/federation";
import { blogStore } from "../../src/core/keys";
import type { PostRecord, PostSummaryRecord } from "../../src/core/types";
import { getListingPage, getFederatedPost } from "../../src/data/posts";
import { isPublicUrl } from "./public-address";
import { noteText } from "./text";
import { startFederation } from "./deliver";
import { log } from "../../src/core/log";
import { catalogKey, say } from "../../src/core/i18n";
import { CATALOGS } from "../../src/core/i18n/all";

/** What each request or queued task carries: the bindings, and the blog (null in the queue consumer). */
export interface ContextData {
  env: Env;
  blog: BlogInfo | null;
}

const ACTOR = "/ap/users/{identifier}";
const OUTBOX_PAGE = 20;

export const stateOf = (env: Env, blog: string) => env.FEDERATION_STATE.get(env.FEDERATION_STATE.idFromName(blog));

/** The blog a request or task is about, and only that blog: another blog's name is nobody here. */
function ownBlog(ctx: Context<ContextData>, identifier: string): BlogInfo | null {
  const blog = ctx.data.blog;
  return blog && blog.name === identifier ? blog : null;
}

/** How many posts readers see now (the home listing's total: one KV read). */
const publicPostCount = async (env: Env, blog: BlogInfo) =>
  (await getListingPage(blogStore(env.POSTS, blog.name), { kind: "home" }, 0, 1, new Date()))?.total ?? 0;

const postUrl = (blog: BlogInfo, slug: string) => new URL(`${blog.baseUrl}/posts/${slug}`);
const instant = (iso: string) => Temporal.Instant.from(new Date(iso).toISOString());

/** A post as an ActivityPub Article (its id is its page's address). */
export async function articleOf(ctx: Context<ContextData>, blog: BlogInfo, post: PostRecord | PostSummaryRecord): Promise<Article> {
  const url = postUrl(blog, post.slug);
  const replies = "html" in post ? await ctx.data.env.READER.replies(blog.name, post.slug).catch(() => []) : [];
  return new Article({
    id: url,
    url,
    attribution: ctx.getActorUri(blog.name),
    name: post.title,
    summary: post.summary,
    content: "html" in post ? post.html : `<p>${escapeHtml(post.summary)}</p>`,
    published: instant(post.date),
    updated: post.updated ? instant(post.updated) : null,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(blog.name),
    tags: post.tags.map(
      (t) => new Hashtag({ name: `#${t}`, href: new URL(`${blog.baseUrl}/tags/${encodeURIComponent(t.toLowerCase())}`) }),
    ),
    ...(post.cover ? { image: new Image({ url: new URL(post.cover, `${blog.baseUrl}/`) }) } : {}),
    replies: new Collection({
      id: new URL(`${url.href}#replies`),
      totalItems: replies.length,
      items: replies.map(
        (c) =>
          new Note({
            id: new URL(`${url.href}#comment-${c.id}`),
            url: new URL(`${url.href}#comment-${c.id}`),
            content: c.html,
            published: instant(c.createdAt),
            replyTarget: c.parentId ? new URL(`${url.href}#comment-${c.parentId}`) : url,
            to: PUBLIC_COLLECTION,
          }),
      ),
    }),
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where a reply lands: the post, and the comment it answers (ours by number, or a remote reply by its Note id). */
async function replyTarget(
  ctx: Context<ContextData>,
  blog: BlogInfo,
  target: URL,
): Promise<{ slug: string; parent: number | string | null } | null> {
  const base = new URL(blog.baseUrl);
  if (target.origin === base.origin) {
    const m = /^\/posts\/([a-z0-9-]+)$/.exec(target.pathname);
    if (!m) return null;
    const comment = /^#comment-(\d+)$/.exec(target.hash);
    return { slug: m[1]!, parent: comment ? Number(comment[1]) : null };
  }
  const slug = await stateOf(ctx.data.env, blog.name).noteOn(target.href, null);
  return slug ? { slug, parent: target.href } : null;
}

/** A remote actor's handle, `@name@host`. */
function handleOf(actor: { preferredUsername?: unknown; id: URL | null }): string {
  const name = typeof actor.preferredUsername === "string" ? actor.preferredUsername : String(actor.preferredUsername ?? "someone");
  return `@${name}@${actor.id?.host ?? "unknown"}`;
}

const builder = createFederationBuilder<ContextData>();

builder
  .setActorDispatcher(ACTOR, async (ctx, identifier) => {
    const blog = ownBlog(ctx, identifier);
    if (!blog) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    // The platform's own words on the account speak the blog's language.
    const t = CATALOGS[catalogKey(blog.language) ?? "en"] ?? CATALOGS.en!;
    const home = new URL(`${blog.baseUrl}/`);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: blog.title,
      summary: blog.description ? escapeHtml(blog.description) : say(t.actor.summary, { blog: escapeHtml(blog.title) }),
      attachments: [
        new PropertyValue({ name: t.actor.website, value: `<a href="${escapeHtml(home.href)}" rel="me">${escapeHtml(home.host)}</a>` }),
      ],
      url: new URL(`${blog.baseUrl}/`),
      icon: blog.icon ? new Image({ url: new URL(blog.icon) }) : null,
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      manuallyApprovesFollowers: false,
      discoverable: true,
      publicKey: keys[0]?.cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .mapHandle((ctx, username) => (ctx.data.blog?.name === username ? username : null))
  .setKeyPairsDispatcher(async (ctx, identifier) => {
    if (!ownBlog(ctx, identifier) && ctx.data.blog !== null) return [];
    const keys = await stateOf(ctx.data.env, identifier).keyPair();
    return [{ privateKey: await importJwk(keys.privateKey, "private"), publicKey: await importJwk(keys.publicKey, "public") }];
  });

builder.setObjectDispatcher(Article, "/posts/{slug}", async (ctx, { slug }) => {
  const blog = ctx.data.blog;
  if (!blog) return null;
  const post = await getFederatedPost(blogStore(ctx.data.env.POSTS, blog.name), slug, new Date());
  return post ? articleOf(ctx, blog, post) : null;
});

builder
  .setOutboxDispatcher(`${ACTOR}/outbox`, async (ctx, identifier, cursor) => {
    const blog = ownBlog(ctx, identifier);
    if (!blog || cursor === null) return null;
    const offset = Number(cursor) || 0;
    const page = await getListingPage(blogStore(ctx.data.env.POSTS, blog.name), { kind: "home" }, offset, OUTBOX_PAGE, new Date());
    const items = await Promise.all(
      (page?.items ?? []).map(
        async (p) =>
          new Create({
            id: new URL(`${postUrl(blog, p.slug).href}#create`),
            actor: ctx.getActorUri(identifier),
            object: await articleOf(ctx, blog, p),
            published: instant(p.date),
            to: PUBLIC_COLLECTION,
            cc: ctx.getFollowersUri(identifier),
          }),
      ),
    );
    const next = offset + OUTBOX_PAGE < (page?.total ?? 0) ? String(offset + OUTBOX_PAGE) : null;
    return { items, nextCursor: next };
  })
  .setCounter(async (ctx, identifier) => {
    const blog = ownBlog(ctx, identifier);
    if (!blog) return null;
    return publicPostCount(ctx.data.env, blog);
  })
  .setFirstCursor(() => "0");

// The count is public; the list is the blog's own business (its owners see it in the administration).
builder
  .setFollowersDispatcher(`${ACTOR}/followers`, async (ctx, identifier) => (ownBlog(ctx, identifier) ? { items: [] } : null))
  .setCounter(async (ctx, identifier) => (ownBlog(ctx, identifier) ? stateOf(ctx.data.env, identifier).count() : null));

builder.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
  const blog = ctx.data.blog;
  const posts = blog ? await publicPostCount(ctx.data.env, blog) : 0;
  return {
    software: { name: "edge-blog", version: parseSemVer("0.1.0") },
    protocols: ["activitypub"],
    openRegistrations: false,
    usage: { users: { total: 1, activeMonth: 1, activeHalfyear: 1 }, localPosts: posts, localComments: 0 },
  };
});

/** The blog an inbox request is for (its host's), or null: activities for nobody here change nothing. */
const inboxBlog = (ctx: InboxContext<ContextData>) => ctx.data.blog;

builder
  .setInboxListeners(`${ACTOR}/inbox`, "/ap/inbox")
  .on(Follow, async (ctx, follow) => {
    const blog = inboxBlog(ctx);
    const target = follow.objectId ? ctx.parseUri(follow.objectId) : null;
    if (!blog || target?.type !== "actor" || target.identifier !== blog.name || !follow.actorId) return;
    if (follow.id && !(await stateOf(ctx.data.env, blog.name).firstTime(follow.id.href))) return;
    const follower = await follow.getActor(ctx);
    if (!follower?.id || !follower.inboxId) return;
    // An actor document on a public host may still name a private inbox: deliveries never go there in production
    // (checked again when each delivery is sent, since a name may resolve elsewhere by then).
    if (!blog.allowPrivate) {
      for (const url of [follower.inboxId, follower.endpoints?.sharedInbox]) if (url && !(await isPublicUrl(url.href))) return;
    }
    await stateOf(ctx.data.env, blog.name).follow({
      id: follower.id.href,
      inbox: follower.inboxId.href,
      sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
      handle: handleOf(follower),
      url: follower.url instanceof URL ? follower.url.href : (follower.id?.href ?? null),
      followId: follow.id?.href ?? null,
      createdAt: new Date().toISOString(),
    });
    await startFederation(ctx.data.env, blog.name, new Date());
    await ctx.sendActivity(
      { identifier: blog.name },
      follower,
      new Accept({
        id: new URL(`${ctx.getActorUri(blog.name).href}#accepts/${crypto.randomUUID()}`),
        actor: ctx.getActorUri(blog.name),
        object: follow,
      }),
    );
  })
  .on(Undo, async (ctx, undo) => {
    const blog = inboxBlog(ctx);
    if (!blog || !undo.actorId) return;
    const object = await undo.getObject(ctx);
    if (object instanceof Follow) await stateOf(ctx.data.env, blog.name).unfollow(undo.actorId.href);
    else if ((object instanceof Like || object instanceof Announce) && object.objectId) {
      const target = await replyTarget(ctx, blog, object.objectId);
      if (target && target.parent === null) {
        await ctx.data.env.READER.react(blog.name, target.slug, object instanceof Like ? "like" : "announce", undo.actorId.href, false);
      }
    }
  })
  .on(Create, async (ctx, create) => noteArrived(ctx, create))
  .on(Update, async (ctx, update) => noteArrived(ctx, update))
  .on(Delete, async (ctx, del) => {
    const blog = inboxBlog(ctx);
    if (!blog || !del.actorId || !del.objectId) return;
    const slug = await stateOf(ctx.data.env, blog.name).noteOn(del.objectId.href, null);
    if (slug) await ctx.data.env.READER.deleteReply(blog.name, slug, del.objectId.href, del.actorId.href);
  })
  .on(Like, async (ctx, like) => reacted(ctx, like, "like"))
  .on(Announce, async (ctx, announce) => reacted(ctx, announce, "announce"));

async function reacted(ctx: InboxContext<ContextData>, activity: Like | Announce, kind: "like" | "announce") {
  const blog = inboxBlog(ctx);
  if (!blog || !activity.actorId || !activity.objectId) return;
  if (activity.id && !(await stateOf(ctx.data.env, blog.name).firstTime(activity.id.href))) return;
  const target = await replyTarget(ctx, blog, activity.objectId);
  if (target && target.parent === null) await ctx.data.env.READER.react(blog.name, target.slug, kind, activity.actorId.href, true);
}

/** A reply (Create or Update of a Note answering one of the blog's posts or comments) becomes a comment there. */
async function noteArrived(ctx: InboxContext<ContextData>, activity: Create | Update) {
  const blog = inboxBlog(ctx);
  if (!blog || !activity.actorId) return;
  if (activity.id && !(await stateOf(ctx.data.env, blog.name).firstTime(activity.id.href))) return;
  const note = await activity.getObject(ctx);
  if (!(note instanceof Note) || !note.id || !note.replyTargetId) return;
  // Only the author may speak for a Note.
  if (note.attributionId && note.attributionId.href !== activity.actorId.href) return;
  const target = await replyTarget(ctx, blog, note.replyTargetId);
  if (!target) return;
  const actor = await activity.getActor(ctx);
  const content = note.content?.toString() ?? "";
  const body = noteText(content, [fediverseHandle(blog.name, blog.baseUrl), `@${blog.name}`]) || "(no text)";
  const result = await ctx.data.env.READER.reply(blog.name, target.slug, {
    id: note.id.href,
    actor: activity.actorId.href,
    author: actor ? handleOf(actor) : activity.actorId.href,
    authorUrl: actor?.url instanceof URL ? actor.url.href : activity.actorId.href,
    body: body.slice(0, 5000),
    parent: target.parent,
  });
  if (result.ok) await stateOf(ctx.data.env, blog.name).noteOn(note.id.href, target.slug);
}

/** Deliveries back off 5 s, 10 s, 20 s … and give up after six tries (then the outbox error handler logs it). */
const RETRIES = createExponentialBackoffPolicy({ maxAttempts: 6, initialDelay: { seconds: 5 }, maxDelay: { minutes: 10 } });

/** A queued task as this worker sends it: Fedify's message, with whether private addresses may be reached for it. */
export interface QueuedTask {
  allowPrivate: boolean;
  task: Message;
}

/**
 * Carries FEDERATION_ALLOW_PRIVATE (the reader's var, which this worker learns per request) into
 * the queue consumer with each task, so deliveries are checked by the setting they were made under.
 */
class SettingQueue implements MessageQueue {
  readonly nativeRetrial = true;
  constructor(
    private readonly inner: WorkersMessageQueue,
    private readonly allowPrivate: boolean,
  ) {}
  enqueue(message: Message, options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.inner.enqueue({ allowPrivate: this.allowPrivate, task: message } satisfies QueuedTask, options);
  }
  enqueueMany(messages: Message[], options?: MessageQueueEnqueueOptions): Promise<void> {
    return this.inner.enqueueMany(
      messages.map((task) => ({ allowPrivate: this.allowPrivate, task }) satisfies QueuedTask),
      options,
    );
  }
  listen(handler: (message: unknown) => Promise<void> | void): Promise<void> {
    return this.inner.listen(handler);
  }
}

/** The federation for one request or queued task (bindings arrive per call on Workers, so it is built per call). */
export async function federationFor(env: Env, allowPrivate: boolean): Promise<Federation<ContextData>> {
  // Workers' Queue answers send() with a receipt Fedify does not need.
  const queue = new SettingQueue(
    new WorkersMessageQueue(env.FEDERATION_QUEUE as unknown as ConstructorParameters<typeof WorkersMessageQueue>[0]),
    allowPrivate,
  );
  return builder.build({
    kv: new WorkersKvStore(env.FEDIFY_KV),
    // Deliveries go through the queue; inbox activities are handled in the request, where the blog is known
    // (and where a refusal can still be answered).
    queue: { outbox: queue, fanout: queue },
    manuallyStartQueue: true,
    allowPrivateAddress: allowPrivate,
    outboxRetryPolicy: RETRIES,
    onOutboxError: (error, activity) => log("warn", "delivery failed", { activity: activity?.id?.href, error }),
  });
}

export { Article, Create, Delete, Tombstone, Update, PUBLIC_COLLECTION };
