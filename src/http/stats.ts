import type { MiddlewareHandler } from "hono";
import { log } from "../core/log";
import { type DayTally, type Device, dayIn, deviceOf, isBot, referrerOf, type StatsBatch, sketchPoint } from "../core/stats";
import type { AppEnv, Settings } from "../settings";
import { afterAnswer } from "./after";
import { requestHasCredentials } from "./auth";
import { readMostRead } from "../data/stats";

/**
 * Counting views at the edge. Each counted view adds to tallies held in this isolate (no I/O);
 * a batch leaves through the STATS queue a few seconds after the first view it holds (waitUntil),
 * or at once when it holds MAX_PENDING views, and the queue's consumer adds it into D1
 * (data/stats.ts). An isolate evicted before its batch leaves loses what it held: at most
 * MAX_PENDING views, or the views of the last few seconds.
 */
const MAX_PENDING = 500;

/** Where a reader page's views are counted: its blog, and the path it is counted under. */
export interface ViewTarget {
  blog: string;
  born: string;
  timeZone: string;
  host: string;
  /** The path counted, or "feed" for a feed fetch (counted apart, no more than that). */
  path: string;
  flushMs: number;
}

type Queue = Pick<Env["STATS_QUEUE"], "send">;

let tallies = new Map<string, DayTally>();
let pending = 0;
let flushAt: number | null = null;
/** Minute-stamped day per time zone: one formatter call per zone per minute. */
const days = new Map<string, { minute: number; day: string }>();

function today(timeZone: string, now: number): string {
  const minute = Math.floor(now / 60_000);
  const known = days.get(timeZone);
  if (known && known.minute === minute) return known.day;
  const day = dayIn(timeZone, now);
  days.set(timeZone, { minute, day });
  return day;
}

/**
 * What a user agent and a referrer are counted as, remembered by the isolate (readers' browsers
 * and the sites sending them repeat): a map lookup instead of a few regular expressions per view.
 */
const agents = new Map<string, Device | null>();
const referrers = new Map<string, string>();
const MEMO = 1000;

function remembered<V>(memo: Map<string, V>, key: string, make: () => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    value = make();
    if (memo.size >= MEMO) memo.clear();
    memo.set(key, value);
  }
  return value;
}

/** The device class of a reader's browser, or null for what is not a reader (a crawler, a script, a preview). */
const readerDevice = (ua: string | null): Device | null => (ua ? remembered(agents, ua, () => (isBot(ua) ? null : deviceOf(ua))) : null);

/** Whether a request's reader asked not to be counted, or is not a reader (a member, a crawler, a prefetch). */
export function notCounted(req: Request): boolean {
  return req.method !== "GET" || !countedDevice(req.headers);
}

/** The device class a view is counted under, or null when it is not counted (DNT, GPC, a prefetch, a crawler, a member). */
function countedDevice(h: Headers): Device | null {
  if (h.get("DNT") === "1" || h.get("Sec-GPC") === "1") return null;
  // Speculative loads: Sec-Purpose (prefetch, prerender), and the older Purpose and X-Moz.
  if (h.has("Sec-Purpose") || h.get("Purpose") === "prefetch" || h.get("X-Moz") === "prefetch") return null;
  const device = readerDevice(h.get("User-Agent"));
  return device && !requestHasCredentials(h) ? device : null;
}

/**
 * Adds one view (answered 200) to this isolate's tallies. Returns the sending of the batch when one
 * is due (now, or after the flush interval): the caller runs it after the answer (waitUntil).
 */
export function countView(req: Request, target: ViewTarget, queue: Queue | undefined): Promise<void> | null {
  if (!queue || req.method !== "GET") return null;
  const h = req.headers;
  const device = countedDevice(h);
  if (!device) return null;
  const now = Date.now();
  const day = today(target.timeZone, now);
  const key = `${target.blog}\n${day}`;
  let tally = tallies.get(key);
  if (!tally || tally.born !== target.born) {
    tally = { blog: target.blog, born: target.born, day, views: 0, feeds: 0, counts: {}, sketch: {} };
    tallies.set(key, tally);
  }
  const counts = tally.counts;
  if (target.path === "feed") tally.feeds++;
  else {
    const ua = h.get("User-Agent") ?? "";
    const referer = h.get("Referer");
    tally.views++;
    const keys = [
      `p${target.path}`,
      `r${referer ? remembered(referrers, `${target.host} ${referer}`, () => referrerOf(referer, target.host)) : "direct"}`,
      `c${(req as { cf?: { country?: string } }).cf?.country ?? "XX"}`,
      `d${device}`,
    ];
    for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
    const [register, rank] = sketchPoint(day, target.blog, h.get("CF-Connecting-IP") ?? "", ua);
    if ((tally.sketch[register] ?? 0) < rank) tally.sketch[register] = rank;
  }
  pending++;
  // Due, or overdue (the request that was to send it ended without waiting for its timer).
  if (pending >= MAX_PENDING || target.flushMs <= 0 || (flushAt !== null && now > flushAt + 1000)) return flush(queue);
  if (flushAt !== null) return null;
  flushAt = now + target.flushMs;
  return new Promise((resolve) => setTimeout(resolve, target.flushMs)).then(() => flush(queue));
}

/** Sends what this isolate holds as one batch; a batch the queue refuses is logged and dropped (counts, never people). */
export async function flush(queue: Queue): Promise<void> {
  flushAt = null;
  if (!pending) return;
  const batch: StatsBatch = { id: crypto.randomUUID(), tallies: [...tallies.values()] };
  tallies = new Map();
  pending = 0;
  try {
    await queue.send(batch, { contentType: "json" });
  } catch (error) {
    log("warn", "a statistics batch was not sent", { views: batch.tallies.reduce((n, t) => n + t.views, 0), error });
  }
}

/** The view target of a reader page, once it is known to be one; kept with its answer in memory so cached answers count too. */
const targets = new WeakMap<Request, ViewTarget>();
export const viewTargetOf = (req: Request): ViewTarget | undefined => targets.get(req);

/** Reader pages whose views count (200s only): the home page, posts, pages, tags, the archive. */
const READER_PAGE = /^\/(?:$|posts\/[^/]+$|pages\/[^/]+$|tags\/[^/]+$|archive$)/;
const FEED = /^\/(?:feed\.xml|rss\.xml|feed\.json|tags\/[^/]+\/feed\.xml)$/;

export function viewTarget(path: string, settings: Settings, host: string): ViewTarget | null {
  const stats = settings.stats;
  if (!stats.on) return null;
  const feed = FEED.test(path);
  if (!feed && !READER_PAGE.test(path)) return null;
  const blog = settings.blog;
  return { blog: blog.name, born: blog.born, timeZone: blog.timeZone, host, path: feed ? "feed" : path, flushMs: stats.flushMs };
}

/** Counts the reader pages this app answers with 200, whether rendered or from the shared cache. */
/** A view counts when it is a feed, or a reader page answered in HTML: the one rule for rendered and kept answers (http/cache.ts). */
export function countable(target: { path: string }, headers: Headers): boolean {
  return target.path === "feed" || (headers.get("Content-Type") ?? "").startsWith("text/html");
}

export const countViews: MiddlewareHandler<AppEnv> = async (c, next) => {
  const target = c.req.method === "GET" ? viewTarget(c.req.path, c.var.settings, new URL(c.req.url).hostname) : null;
  if (target) targets.set(c.req.raw, target);
  await next();
  if (!target || c.res.status !== 200 || !countable(target, c.res.headers)) return;
  const sending = countView(c.req.raw, target, c.env.STATS_QUEUE);
  if (sending) await afterAnswer(c, sending);
};

/** Where a blog shows its "Most read" list: read with the page (held by the isolate), for the layout's footer. */
export const mostReadList: MiddlewareHandler<AppEnv> = async (c, next) => {
  const path = c.req.path;
  if (c.var.settings.blog.mostRead && c.req.method === "GET" && !path.startsWith("/api/") && !path.startsWith("/admin")) {
    c.set("mostRead", await readMostRead(c.var.store).catch(() => null));
  }
  await next();
};
