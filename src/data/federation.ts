import type { BlogInfo, FederationApi } from "../core/federation";
import type { Settings } from "../settings";
import { guarded } from "./rpc";

const TIMEOUT_MS = 15_000;

/** The federation worker (its service binding), or null where it is not bound. */
function service(env: Env): FederationApi | null {
  return (env as { FEDERATION?: unknown }).FEDERATION ? (env.FEDERATION as unknown as FederationApi) : null;
}

/** What the federation worker is told of the serving blog. */
export function blogInfo(settings: Settings): BlogInfo {
  const { blog } = settings;
  return {
    name: blog.name,
    baseUrl: blog.baseUrl,
    title: blog.title,
    description: blog.description,
    language: blog.language,
    icon: blog.look.logo ? new URL(blog.look.logo, `${blog.baseUrl}/`).href : null,
    allowPrivate: settings.federationAllowPrivate,
  };
}

/** A typed client of the federation worker whose calls time out like every other store's; null when it is not bound. */
export function federation(env: Env) {
  const api = service(env);
  if (!api) return null;
  return {
    fetch: (request: Request) => guarded("federation", api.fetch(request), TIMEOUT_MS),
    postChanged: (blog: BlogInfo, slug: string) => guarded("federation", api.postChanged(blog, slug), TIMEOUT_MS),
    sweep: (blog: BlogInfo) => guarded("federation", api.sweep(blog), TIMEOUT_MS * 4),
    followers: (blog: string) => guarded("federation", api.followers(blog), TIMEOUT_MS),
    followerCount: (blog: string) => guarded("federation", api.followerCount(blog), TIMEOUT_MS),
    removeFollower: (blog: string, actor: string) => guarded("federation", api.removeFollower(blog, actor), TIMEOUT_MS),
  };
}
