/**
 * The vocabulary the reader and the federation worker share: which requests are ActivityPub's,
 * and what the reader tells the federation worker about the blog it serves.
 */

/** The request header carrying `BlogInfo` from the reader to the federation worker (set by the reader only). */
export const BLOG_INFO_HEADER = "X-Edge-Blog";

/** What the federation worker needs of a blog: who it is and where it lives. */
export interface BlogInfo {
  name: string;
  /** Absolute origin, no trailing slash: ids of the actor and its posts start here. */
  baseUrl: string;
  title: string;
  description: string;
  language: string;
  /** An absolute address of the blog's logo, if it has one. */
  icon: string | null;
  /** FEDERATION_ALLOW_PRIVATE: peers on loopback and private addresses may federate (development and tests). */
  allowPrivate: boolean;
}

/** Paths the federation worker answers (besides post pages asked for as ActivityPub). */
export const FEDERATION_PATHS = /^\/(?:\.well-known\/(?:webfinger|nodeinfo)$|nodeinfo\/2\.1$|ap(?:\/|$))/;

/** Whether an Accept header asks for ActivityPub (JSON-LD) rather than HTML. */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const a = accept.toLowerCase();
  return a.includes("application/activity+json") || (a.includes("application/ld+json") && a.includes("activitystreams"));
}

/** The blog's fediverse handle: `@name@host`. */
export const fediverseHandle = (name: string, baseUrl: string) => `@${name}@${new URL(baseUrl).host}`;

/** The largest activity the inbox reads. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** A follower as the blog's owners see it. */
export interface FollowerView {
  id: string;
  handle: string;
  url: string | null;
  createdAt: string;
}

/** What the reader may call on the federation worker (its RPC methods; the worker implements this). */
export interface FederationApi {
  fetch(request: Request): Promise<Response>;
  postChanged(blog: BlogInfo, slug: string): Promise<string>;
  sweep(blog: BlogInfo): Promise<string[]>;
  followers(blog: string): Promise<FollowerView[]>;
  followerCount(blog: string): Promise<number>;
  removeFollower(blog: string, actor: string): Promise<boolean>;
  /**
   * Removes a deleted blog's federation state (key pair, followers, deliveries, replies) and
   * Fedify's KV entries under its hosts, a batch at a time; true once nothing is left.
   */
  forgetBlog(blog: string, hosts: string[]): Promise<boolean>;
  /** Whether anything of a blog is still held (its state object, Fedify's KV entries under its hosts). */
  holdsBlog(blog: string, hosts: string[]): Promise<boolean>;
}
