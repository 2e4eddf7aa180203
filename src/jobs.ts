/**
 * Long jobs in steps that each fit a request's limits, one queue message per step (the JOBS
 * queue, wrangler.toml): a step does a bounded piece of work, then sends the next step (delayed)
 * if work remains. A step that fails is retried by the queue; what each step claims it settles,
 * so a retried or doubled step never does the same piece twice.
 */
import { MAIN_BLOG } from "./core/blogs";
import { CONFIRMATIONS_PER_STEP, type Job, MAIL_HORIZON_MS, MAX_DELAY_SECONDS, STEP_SECONDS } from "./core/jobs";
import { log } from "./core/log";
import { blogRecords } from "./data/blogs";
import { readAdminMessages, readMessages, readTemplate } from "./data/catalogs";
import { adminLanguageOfBlog } from "./core/i18n";
import { accounts, subscribers } from "./data/objects";
import { mailerFor } from "./mail/mailer";
import { confirmationMail, digestMail } from "./mail/messages";
import { readSettings, type Settings } from "./settings";
import { blogStore } from "./core/keys";
import { getPublicPost } from "./data/posts";
import type { Mailer } from "./mail/mailer";
import { POST_MAIL, postLayout, postLetter } from "./mail/post-mail";
import type { StatsBatch } from "./core/stats";
import { messagesFor, sizeText } from "./core/i18n";
import { bornOf, downloadKey, exporterOf } from "./data/exports";

import { exportReadyMail } from "./mail/messages";
import { erasuresOf } from "./data/erasure";
import { checkOwnerDomain } from "./data/owner-domain";
import { countBatches } from "./data/stats";
import { backupsOf } from "./core/backups";
import { DIRECTORY_MAX, directoryPage } from "./data/directory";

export type { Job };

export async function runJobs(batch: MessageBatch<Job>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const job = message.body;
      if (job.kind === "confirmations") await sendConfirmations(env, job.blog);
      else if (job.kind === "post") await sendPost(env, job.blog, job.slug);
      else if (job.kind === "held-digest") await sendHeldDigest(env, job.blog);
      else if (job.kind === "export") await runExport(env, job);
      else if (job.kind === "export-expire") await expireExport(env, job.blog, job.id);
      else if (job.kind === "erase") await runErasure(env, job);
      else if (job.kind === "domain-check") await checkOwnerDomain(env, job.blog, job.host, new Date(), job.checks);
      else if (job.kind === "backup-sweep") await sweepBackups(env, job);
      else if (job.kind === "backup" || job.kind === "restore") {
        // Run by the federation worker (federation/src/backups.ts); a restore's next step comes back.
        const next = await backupsOf(env).job(job);
        if (next) await env.JOBS.send(next);
      }
      message.ack();
    } catch (error) {
      const blog = "blog" in message.body ? message.body.blog : undefined;
      log("error", "a job step failed; the queue tries it again", { job: message.body.kind, blog, error });
      message.retry({ delaySeconds: STEP_SECONDS });
    }
  }
}

/** A blog's settings, its words read; null for a blog deleted meanwhile (which mails nobody anything). */
async function activeBlog(env: Env, name: string): Promise<Settings | null> {
  const record = (await blogRecords(env.POSTS, [name])).get(name) ?? null;
  if (name !== MAIN_BLOG && record?.state !== "active") return null;
  const settings = readSettings(env, undefined, record);
  await readMessages(env, settings.blog.language);
  return settings;
}

/** One step of asking an imported list to confirm: up to CONFIRMATIONS_PER_STEP mails, in the blog's language. */
export async function sendConfirmations(env: Env, name: string): Promise<{ sent: number; remaining: number }> {
  const settings = await activeBlog(env, name);
  if (!settings) return { sent: 0, remaining: 0 };
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

/**
 * One step of mailing a post, whole, to the blog's subscribers: up to the provider's batch (100),
 * claimed in the Subscribers object, sent, settled; the next step is queued at once while
 * subscribers remain. Each (post, subscriber) pair is claimed before sending and marked after,
 * with the pair as the provider's idempotency key, so a step retried after a crash sends nobody a
 * second copy; a failed batch is released, recorded for the editor, and retried by the queue.
 */
export async function sendPost(env: Env, name: string, slug: string, mailer?: Mailer): Promise<{ sent: number; remaining: number }> {
  const settings = await activeBlog(env, name);
  if (!settings) return { sent: 0, remaining: 0 };
  const now = new Date();
  const post = await getPublicPost(blogStore(env.POSTS, name), slug, now);
  const store = subscribers(env, name);
  // Unpublished, deleted or a page since it was queued, or too old: nobody gets it (now; published again, its mailing starts again).
  if (!post || post.type === "page" || now.getTime() - Date.parse(post.date) > MAIL_HORIZON_MS) {
    await store.forgetSend(slug);
    return { sent: 0, remaining: 0 };
  }
  if ((post.email ?? settings.blog.emailPosts) === false) {
    await store.stopSend(slug, post.date, now.toISOString());
    return { sent: 0, remaining: 0 };
  }
  mailer ??= mailerFor(env, name, settings.mail);
  const layout = postLayout(await readTemplate(env, POST_MAIL));
  const claimed = await store.claimDeliveries([post], Math.min(mailer.maxBatch, MAIL_BATCH));
  if (claimed.length) {
    try {
      await mailer.send(claimed.map(postLetter(settings.blog, post, layout)));
    } catch (error) {
      await store.settleDeliveries([], claimed);
      await store.recordSend(slug, claimed.length, String((error as Error)?.message ?? error).slice(0, 300), new Date().toISOString());
      throw error;
    }
    await store.settleDeliveries(claimed, []);
  }
  const remaining = await store.recordSend(slug, 0, null, new Date().toISOString());
  if (remaining > 0 && claimed.length) await env.JOBS.send({ kind: "post", blog: name, slug } satisfies Job);
  if (claimed.length) log("info", "post mailed", { blog: name, slug, sent: claimed.length, remaining });
  return { sent: claimed.length, remaining };
}

/** Mails per step of a post: Resend's batch endpoint takes 100 per call. */
const MAIL_BATCH = 100;

/**
 * The daily digest of comments waiting for moderation, for the members who chose it: queued (12
 * hours at most at a time) when the day's first comment waits, sent a day after it.
 */
export async function sendHeldDigest(env: Env, name: string): Promise<void> {
  const settings = await activeBlog(env, name);
  if (!settings) return;
  const digest = await accounts(env, name).heldDigest(name);
  if (digest.waitMs > 0) {
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.ceil(digest.waitMs / 1000));
    await env.JOBS.send({ kind: "held-digest", blog: name } satisfies Job, { delaySeconds });
    return;
  }
  if (!digest.to.length || !digest.posts.length) return;
  const store = blogStore(env.POSTS, name);
  const now = new Date();
  const posts = await Promise.all(
    digest.posts.map(async (p) => ({ title: (await getPublicPost(store, p.slug, now))?.title ?? p.slug, count: p.count })),
  );
  const words = await readAdminMessages(env, adminLanguageOfBlog(settings.blog.language));
  const day = now.toISOString().slice(0, 10);
  await mailerFor(env, name, settings.mail).send(digest.to.map((email) => digestMail(settings.blog, words, posts, email, day)));
}

/**
 * The STATS queue's consumer: adds the isolates' batches of counts into the rollups (D1) in one
 * transaction; a batch delivered again is counted once (its id). A failure throws, and the queue
 * delivers the whole batch again.
 */
export async function countStats(batch: MessageBatch<StatsBatch>, env: Env): Promise<number> {
  const bodies = batch.messages.map((m) => m.body).filter((b) => b && typeof b.id === "string" && Array.isArray(b.tallies));
  const written = await countBatches(env.STATS_DB, bodies, Date.now());
  batch.ackAll();
  const views = bodies.reduce((n, b) => n + b.tallies.reduce((m, t) => m + t.views + t.feeds, 0), 0);
  log("info", "statistics counted", { batches: bodies.length, views, rowsWritten: written });
  return written;
}

/**
 * One step of an owner's export (data/exports.ts); the next is queued at once while work remains.
 * When it is ready, whoever started it is mailed a signed link, and its deletion is queued.
 */
export async function runExport(env: Env, job: Extract<Job, { kind: "export" }>): Promise<void> {
  const settings = await activeBlog(env, job.blog);
  if (!settings) return;
  const { blog } = settings;
  // The federation worker writes settings.json and the WXR channel from the settings as they apply.
  const { outcome, state } = await exporterOf(env).step({
    blog: job.blog,
    born: bornOf(blog.born),
    id: job.id,
    step: job.step,
    site: blog,
    comments: settings.comments,
  });
  if (outcome === "next") await env.JOBS.send({ ...job, step: job.step + 1 } satisfies Job);
  if (outcome !== "ready" || !state) return;
  log("info", "export ready", { blog: job.blog, id: job.id, bytes: state.counts.bytes, posts: state.counts.posts, steps: state.step });
  await env.JOBS.send({ kind: "export-expire", blog: job.blog, id: job.id } satisfies Job, { delaySeconds: MAX_DELAY_SECONDS });
  if (!state.by.includes("@") || !settings.adminToken) return;
  const words = await readAdminMessages(env, adminLanguageOfBlog(blog.language));
  const key = await downloadKey(settings.adminToken, settings.tokenScope, state);
  const mail = exportReadyMail(
    blog,
    words,
    {
      id: state.id,
      size: sizeText(words.locale, state.counts.bytes),
      until: new Intl.DateTimeFormat(words.locale, { dateStyle: "long", timeStyle: "short", timeZone: blog.timeZone }).format(
        new Date(state.expiresAt!),
      ),
      link: `${blog.baseUrl}/admin/export/${state.id}/download?key=${key}`,
    },
    state.by,
  );
  await mailerFor(env, job.blog, settings.mail).send([mail]);
}

/** Deletes an export whose download time is over; asked again later while it is not (a queue message waits 12 hours at most). */
export async function expireExport(env: Env, name: string, id: string): Promise<void> {
  const record = (await blogRecords(env.POSTS, [name])).get(name) ?? null;
  if (await exporterOf(env).expire(name, bornOf(record?.createdAt), id))
    await env.JOBS.send({ kind: "export-expire", blog: name, id } satisfies Job, { delaySeconds: MAX_DELAY_SECONDS });
}

/** One step of erasing a person's data; the next is queued at once until every thread was asked. */
export async function runErasure(env: Env, job: Extract<Job, { kind: "erase" }>): Promise<void> {
  const record = (await blogRecords(env.POSTS, [job.blog])).get(job.blog) ?? null;
  // A blog closed meanwhile is still erased: the request was made, and its data may come back.
  if (job.blog !== MAIN_BLOG && !record) return;
  const settings = readSettings(env, undefined, record);
  await readMessages(env, settings.blog.language);
  const name = messagesFor(settings.blog.language).comments.formerReader;
  const state = await erasuresOf(env).erasureStep(job.blog, bornOf(settings.blog.born), { ...job, name });
  if (state?.status === "running") await env.JOBS.send({ ...job, step: job.step + 1 } satisfies Job);
  if (state?.status === "done") log("info", "a person's data erased", { blog: job.blog, id: job.id, ...state.counts });
}

/** Blogs per page of the night's sweep (the directory's largest page), and messages per queue batch (the most Queues takes). */
const SWEEP_PAGE = DIRECTORY_MAX;
const QUEUE_BATCH = 100;

/** One page of the night's sweep: each active blog of the directory gets its "backup" job; the next page is queued. */
export async function sweepBackups(env: Env, job: Extract<Job, { kind: "backup-sweep" }>): Promise<number> {
  const page = await directoryPage(env.PLATFORM, { cursor: job.cursor ?? undefined, limit: SWEEP_PAGE });
  const names = [...(job.cursor === null ? [MAIN_BLOG] : []), ...page.blogs.map((b) => b.name).filter((n) => n !== MAIN_BLOG)];
  const body = (blog: string): Job => ({ kind: "backup", blog, at: job.at, label: "nightly" });
  for (let i = 0; i < names.length; i += QUEUE_BATCH)
    await env.JOBS.sendBatch(names.slice(i, i + QUEUE_BATCH).map((blog) => ({ body: body(blog) })));
  if (page.next) await env.JOBS.send({ kind: "backup-sweep", at: job.at, cursor: page.next } satisfies Job);
  return names.length;
}
