import { getListingPage } from "./data/posts";
import { readSettings, type Settings } from "./settings";
import { MAIN_BLOG } from "./core/blogs";
import { blogStore } from "./core/keys";
import { blogRecords, upgradePeople, upgradeRegistry } from "./data/blogs";
import { directoryPage } from "./data/directory";
import { blogInfo, federation } from "./data/federation";
import { log } from "./core/log";
import { MAIL_HORIZON_MS } from "./core/jobs";
import { queueMailings } from "./data/mailings";
import { pruneStats, refreshMostRead } from "./data/stats";
import { dayIn } from "./core/stats";

/**
 * The cron job: starts the mailing of each post that went public (each confirmed subscriber gets
 * it exactly once, through the jobs queue), and sweeps each blog's posts to its fediverse followers.
 */
export async function announceNewPosts(env: Env): Promise<{ queued: number }> {
  // Blogs of an earlier version's single registry move to their own objects first (once; a KV read when done).
  await upgradeRegistry(env, new Date(), 50).catch((err: unknown) =>
    log("error", "upgrading the registry of blogs failed; the next run tries again", { error: err }),
  );
  // And their people, from the single Accounts object to each blog's own (once; a KV read when done).
  await upgradePeople(env, 10).catch((err: unknown) =>
    log("error", "moving people to their blogs failed; the next run tries again", { error: err }),
  );
  // Statistics older than they are kept, a bounded batch per run.
  await pruneStats(env.STATS_DB, Date.now()).catch((err: unknown) => log("error", "pruning old statistics failed", { error: err }));
  const total = { queued: 0 };
  const run = async (name: string, record: Parameters<typeof readSettings>[2]) => {
    const settings = readSettings(env, undefined, record);
    total.queued += await announceBlog(env, settings).catch((error: unknown) => {
      log("error", "starting the mailings failed; the next run tries again", { blog: name, error });
      return 0;
    });
    await federateBlog(env, settings);
    // Its "Most read" list, from its statistics, where it shows one.
    if (settings.blog.mostRead && settings.stats.on) {
      const owner = { blog: name, born: settings.blog.born };
      await refreshMostRead(
        env.STATS_DB,
        blogStore(env.POSTS, name, 0),
        owner,
        dayIn(settings.blog.timeZone, Date.now()),
        new Date(),
      ).catch((error: unknown) => log("error", "the most read list was not refreshed; the next run tries again", { blog: name, error }));
    }
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

/**
 * One blog's run: each post that went public lately and was never mailed starts its mailing, which
 * the jobs queue does a batch at a time (jobs.ts sendPost). Posts published in the browser started
 * theirs when published; this finds the scheduled ones whose time came and those published by file.
 */
async function announceBlog(env: Env, settings: Settings): Promise<number> {
  const now = new Date();
  const page = await getListingPage(blogStore(env.POSTS, settings.blog.name), { kind: "home" }, 0, 100, now);
  const posts = (page?.items ?? []).filter((p) => now.getTime() - Date.parse(p.date) < MAIL_HORIZON_MS);
  if (!posts.length) return 0;
  return (await queueMailings(env, settings.blog.name, posts)).length;
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
