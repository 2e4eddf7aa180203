/**
 * Long jobs in steps that each fit a request's limits, one queue message per step (the JOBS
 * queue, wrangler.toml): a step does a bounded piece of work, then sends the next step (delayed)
 * if work remains. A step that fails is retried by the queue; what each step claims it settles,
 * so a retried or doubled step never does the same piece twice.
 */
import { MAIN_BLOG } from "./core/blogs";
import { CONFIRMATIONS_PER_STEP, type Job, STEP_SECONDS } from "./core/jobs";
import { log } from "./core/log";
import { blogRecords } from "./data/blogs";
import { readMessages } from "./data/catalogs";
import { subscribers } from "./data/objects";
import { mailerFor } from "./mail/mailer";
import { confirmationMail } from "./mail/messages";
import { readSettings } from "./settings";

export type { Job };

export async function runJobs(batch: MessageBatch<Job>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      if (message.body.kind === "confirmations") await sendConfirmations(env, message.body.blog);
      message.ack();
    } catch (error) {
      log("error", "a job step failed; the queue tries it again", { job: message.body.kind, blog: message.body.blog, error });
      message.retry({ delaySeconds: STEP_SECONDS });
    }
  }
}

/** One step of asking an imported list to confirm: up to CONFIRMATIONS_PER_STEP mails, in the blog's language. */
export async function sendConfirmations(env: Env, name: string): Promise<{ sent: number; remaining: number }> {
  const record = (await blogRecords(env.POSTS, [name])).get(name) ?? null;
  // A blog deleted meanwhile asks nobody anything.
  if (name !== MAIN_BLOG && record?.state !== "active") return { sent: 0, remaining: 0 };
  const settings = readSettings(env, undefined, record);
  await readMessages(env, settings.blog.language);
  const mailer = mailerFor(env, name, settings.mail);
  const store = subscribers(env, name);
  const { due, remaining } = await store.claimConfirmations(Math.min(mailer.maxBatch, CONFIRMATIONS_PER_STEP));
  if (due.length) {
    try {
      await mailer.send(due.map((d) => confirmationMail(settings.blog, d.email, d.confirmToken)));
    } catch (error) {
      await store.settleConfirmations(
        [],
        due.map((d) => d.email),
      );
      throw error;
    }
    await store.settleConfirmations(
      due.map((d) => d.email),
      [],
    );
  }
  if (remaining > 0) await env.JOBS.send({ kind: "confirmations", blog: name } satisfies Job, { delaySeconds: STEP_SECONDS });
  return { sent: due.length, remaining };
}
