import app from "./app";
import { announceNewPosts } from "./announce";
import { traced } from "./core/log";
import { countStats, type Job, runJobs } from "./jobs";
import type { StatsBatch } from "./core/stats";
import { BACKUP_CRON } from "./core/backups";

export { CommentThread } from "./durable/comment-thread";
export { Sessions } from "./durable/sessions";
export { SiteEditor } from "./durable/site-editor";
export { Subscribers } from "./durable/subscribers";
export { Accounts } from "./platform/accounts";
export { Address } from "./platform/address";
export { Person } from "./platform/person";
export { Blog } from "./platform/blog";
export { Blogs } from "./platform/blogs";
export { Domain } from "./platform/domain";
export { Internal } from "./internal";

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    // The nightly one (wrangler.toml) starts the backups, a page of blogs per queue message.
    if (controller.cron === BACKUP_CRON) {
      const at = new Date(controller.scheduledTime || Date.now()).toISOString();
      await env.JOBS.send({ kind: "backup-sweep", at, cursor: null } satisfies Job);
      return;
    }
    await traced(null, "cron", () => announceNewPosts(env));
  },
  async queue(batch: MessageBatch<Job | StatsBatch>, env: Env, _ctx: ExecutionContext) {
    // Two queues: the statistics' batches of counts (edge-blog-stats) and the long jobs' steps.
    if (batch.queue.startsWith("edge-blog-stats")) await traced(null, "stats", () => countStats(batch as MessageBatch<StatsBatch>, env));
    else await traced(null, "jobs", () => runJobs(batch as MessageBatch<Job>, env));
  },
} satisfies ExportedHandler<Env, Job | StatsBatch>;
