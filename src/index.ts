import app from "./app";
import { announceNewPosts } from "./announce";
import { traced } from "./core/log";
import { type Job, runJobs } from "./jobs";

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
  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    await traced(null, "cron", () => announceNewPosts(env));
  },
  async queue(batch: MessageBatch<Job>, env: Env, _ctx: ExecutionContext) {
    await traced(null, "jobs", () => runJobs(batch, env));
  },
} satisfies ExportedHandler<Env, Job>;
