import type { Job } from "../core/jobs";
import { subscribers } from "./objects";

/**
 * Starts the mailing of posts that have none yet (`reopen`: also of a post whose mailing was
 * turned off, now that its writer wants it) and queues each one's first step; answers the slugs
 * started. A post is mailed once, whoever starts it again.
 */
export async function queueMailings(env: Env, blog: string, posts: { slug: string; date: string }[], reopen = false): Promise<string[]> {
  const started = await subscribers(env, blog).startSends(
    posts.map(({ slug, date }) => ({ slug, date })),
    new Date().toISOString(),
    reopen,
  );
  if (started.length) await env.JOBS.sendBatch(started.map((slug) => ({ body: { kind: "post", blog, slug } satisfies Job })));
  return started;
}
