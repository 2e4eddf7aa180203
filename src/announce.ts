import { getListingPage } from "./data/posts";
import { subscribers } from "./data/objects";
import { announcementMail } from "./mail/messages";
import { readMessages } from "./data/catalogs";
import { mailerFor, type Mailer } from "./mail/mailer";
import { readSettings, type Settings } from "./settings";
import { MAIN_BLOG } from "./core/blogs";
import { blogStore } from "./core/keys";
import { blogRecords, upgradePeople, upgradeRegistry } from "./data/blogs";
import { directoryPage } from "./data/directory";
import { blogInfo, federation } from "./data/federation";
import { log } from "./core/log";

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
  // Blogs of an earlier version's single registry move to their own objects first (once; a KV read when done).
  await upgradeRegistry(env, new Date(), 50).catch((err: unknown) =>
    log("error", "upgrading the registry of blogs failed; the next run tries again", { error: err }),
  );
  // And their people, from the single Accounts object to each blog's own (once; a KV read when done).
  await upgradePeople(env, 10).catch((err: unknown) =>
    log("error", "moving people to their blogs failed; the next run tries again", { error: err }),
  );
  const total = { sent: 0, failed: 0 };
  const run = async (name: string, record: Parameters<typeof readSettings>[2]) => {
    const settings = readSettings(env, undefined, record);
    const { sent, failed } = await announceBlog(env, settings, mailer);
    await federateBlog(env, settings);
    total.sent += sent;
    total.failed += failed;
    return name;
  };
  // The main blog runs whether or not it has a record; the others page by page from the directory.
  const mainRecord = (await blogRecords(env.POSTS, [MAIN_BLOG])).get(MAIN_BLOG) ?? null;
  await run(MAIN_BLOG, mainRecord);
  let cursor: string | undefined;
  do {
    const page = await directoryPage(env.PLATFORM, { cursor, limit: 100 });
    const names = page.blogs.map((b) => b.name).filter((n) => n !== MAIN_BLOG);
    const records = await blogRecords(env.POSTS, names);
    for (const name of names) {
      const record = records.get(name);
      if (record?.state === "active") await run(name, record);
    }
    cursor = page.next ?? undefined;
  } while (cursor);
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
  // The mails speak the blog's language: its catalog before the first one is written.
  await readMessages(env, blog.language);
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
      log("error", "announcement batch failed; it will be retried on the next run", {
        blog: blog.name,
        messages: claimed.length,
        error: err,
      });
      break;
    }
  }
  if (sent || failed) log("info", "announcements sent", { blog: blog.name, sent, failed });
  return { sent, failed };
}

/** The blog's followers in the fediverse get the posts that became public since the last run (published by file, or scheduled). */
async function federateBlog(env: Env, settings: Settings): Promise<void> {
  const client = federation(env);
  if (!client) return;
  try {
    const done = await client.sweep(blogInfo(settings));
    if (done.length) log("info", "federation sweep", { blog: settings.blog.name, done });
  } catch (err) {
    log("error", "federation sweep failed; the next run tries again", { blog: settings.blog.name, error: err });
  }
}
