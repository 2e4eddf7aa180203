import { getListingPage } from "./data/posts";
import { subscribers } from "./data/stores";
import { announcementMail } from "./mail/messages";
import { mailerFor, type Mailer } from "./mail/mailer";
import { readSettings, type Settings } from "./settings";
import { type BlogRecord, MAIN_BLOG } from "./content/blogs";
import { blogStore } from "./content/keys";
import { heldRegistry } from "./data/blogs";
import { blogInfo, federation } from "./data/federation";

/** Posts older than this are never announced, whatever happens to the schedule. */
const HORIZON_MS = 30 * 24 * 3600_000;
/** Mails per run, to stay inside the provider's rate limits; the rest go on the next run. */
const MAX_PER_RUN = 1000;

/**
 * The cron job: mails each public post to each confirmed subscriber exactly once. Deliveries
 * are claimed in the Subscribers object before sending and marked sent after, so overlapping
 * or retried runs never send a pair twice; a failed batch is released for the next run.
 */
export async function announceNewPosts(env: Env, mailer?: Mailer): Promise<{ sent: number; failed: number }> {
  const registry = await heldRegistry(env.POSTS);
  const blogs = registry.snapshot?.blogs.filter((b) => b.state === "active") ?? [];
  if (!blogs.some((b) => b.name === MAIN_BLOG)) blogs.unshift({ name: MAIN_BLOG } as BlogRecord);
  const total = { sent: 0, failed: 0 };
  for (const blog of blogs) {
    const settings = readSettings(env, undefined, blog.name === MAIN_BLOG && !blog.createdAt ? null : blog);
    const { sent, failed } = await announceBlog(env, settings, mailer);
    await federateBlog(env, settings);
    total.sent += sent;
    total.failed += failed;
  }
  return total;
}

/** One blog's run: its newest posts to its confirmed subscribers, from its own name. */
async function announceBlog(env: Env, settings: Settings, mailer?: Mailer): Promise<{ sent: number; failed: number }> {
  const now = new Date();
  const page = await getListingPage(blogStore(env.POSTS, settings.blog.name), { kind: "home" }, 0, 100, now);
  const posts = (page?.items ?? []).filter((p) => now.getTime() - Date.parse(p.date) < HORIZON_MS);
  if (!posts.length) return { sent: 0, failed: 0 };
  const bySlug = new Map(posts.map((p) => [p.slug, p]));
  const blog = settings.blog;
  mailer ??= mailerFor(env, blog.name, settings.mail);
  const store = subscribers(env, blog.name);
  let sent = 0;
  let failed = 0;
  while (sent < MAX_PER_RUN) {
    const claimed = await store.claimDeliveries(
      posts.map(({ slug, title, summary, date }) => ({ slug, title, summary, date })),
      Math.min(mailer.maxBatch, MAX_PER_RUN - sent),
    );
    if (!claimed.length) break;
    try {
      await mailer.send(claimed.map((d) => announcementMail(blog, bySlug.get(d.slug)!, d)));
      await store.settleDeliveries(claimed, []);
      sent += claimed.length;
    } catch (err) {
      await store.settleDeliveries([], claimed);
      failed += claimed.length;
      console.error(`announcement batch of ${claimed.length} failed; it will be retried on the next run:`, err);
      break;
    }
  }
  if (sent || failed) console.log(`announcements of ${blog.name}: ${sent} sent, ${failed} to retry`);
  return { sent, failed };
}

/** The blog's followers in the fediverse get the posts that became public since the last run (published by file, or scheduled). */
async function federateBlog(env: Env, settings: Settings): Promise<void> {
  const client = federation(env);
  if (!client) return;
  try {
    const done = await client.sweep(blogInfo(settings));
    if (done.length) console.log(`federation of ${settings.blog.name}: ${done.join("; ")}`);
  } catch (err) {
    console.error(`federation sweep of ${settings.blog.name} failed; the next run tries again:`, err);
  }
}
