/**
 * Readership statistics: what one view adds to a blog's counts, with nothing kept about the
 * reader. The Worker classifies each view from its request (referrer host, country, device class)
 * and feeds a HyperLogLog sketch of the day's visitors; the address, the user agent and the full
 * referrer are read here and never stored or sent anywhere.
 */

export const REF_KINDS = ["direct", "internal", "search", "social", "fediverse", "other"] as const;
export type RefKind = (typeof REF_KINDS)[number];
export const DEVICES = ["desktop", "mobile", "tablet"] as const;
export type Device = (typeof DEVICES)[number];

/** The periods the administration offers (the API takes any number of days up to the longest kept). */
export const STAT_PERIODS = [7, 30, 90] as const;
/** Days of counts kept (then deleted by the cron), and the longest period the API answers. */
export const STATS_KEPT_DAYS = 400;

/** What a blog counted on one day in one isolate, sent in a batch (and what the consumer adds up). */
export interface DayTally {
  blog: string;
  /** The blog's creation time: a later blog that takes the name never sees these counts. */
  born: string;
  /** YYYY-MM-DD in the blog's time zone. */
  day: string;
  views: number;
  feeds: number;
  /** Counts by kind: `p` path, `r` referrer ("kind host"), `c` country, `d` device. */
  counts: Record<string, number>;
  /** HyperLogLog registers that grew: register → rank. */
  sketch: Record<number, number>;
}

export interface StatsBatch {
  /** Unique per batch: the consumer counts a batch the queue delivers twice once. */
  id: string;
  tallies: DayTally[];
}

/** Which dimension a count belongs to, as the `counts` keys and the rollup's `kind` column spell it. */
export const COUNT_KINDS = { p: "page", r: "referrer", c: "country", d: "device" } as const;
export type CountKind = keyof typeof COUNT_KINDS;

/** Who is not counted: crawlers, link previews, monitors, feed readers and HTTP libraries. */
const BOTS =
  /bot|crawl|spider|slurp|archiver|preview|fetch|scan|monitor|uptime|pingdom|lighthouse|headless|phantom|curl|wget|httpie|python|java\/|go-http|okhttp|axios|node|undici|libwww|ruby|php|feed|rss|mastodon|pleroma|akkoma|misskey|bluesky|whatsapp|discord|slack|skype|embedly|vkshare|facebookexternalhit|meta-external|google-|yahoo|bing|yandex|baidu|duckduck|semrush|ahrefs|mj12/i;

export function isBot(userAgent: string | null): boolean {
  return !userAgent || userAgent.length < 20 || BOTS.test(userAgent);
}

/** The device class a user agent names (nothing else of it is kept). */
export function deviceOf(userAgent: string): Device {
  if (/iPad|Tablet|Silk|Kindle|PlayBook|Android(?!.*Mobile)/i.test(userAgent)) return "tablet";
  if (/Mobi|iPhone|iPod|Android|Opera Mini|IEMobile/i.test(userAgent)) return "mobile";
  return "desktop";
}

const SEARCH =
  /(?:^|\.)(?:google\.[a-z.]+|bing\.com|duckduckgo\.com|search\.yahoo\.com|yahoo\.[a-z.]+|yandex\.[a-z.]+|baidu\.com|ecosia\.org|qwant\.com|search\.brave\.com|startpage\.com|kagi\.com|naver\.com|seznam\.cz)$/;
const SOCIAL =
  /(?:^|\.)(?:facebook\.com|fb\.com|t\.co|twitter\.com|x\.com|linkedin\.com|lnkd\.in|reddit\.com|news\.ycombinator\.com|instagram\.com|pinterest\.[a-z.]+|youtube\.com|threads\.net|bsky\.app|tiktok\.com|tumblr\.com|vk\.com|telegram\.org|t\.me|whatsapp\.com|lobste\.rs)$/;
const FEDIVERSE =
  /(?:^|\.)(?:mastodon\.[a-z.]+|mstdn\.[a-z.]+|mas\.to|fosstodon\.org|hachyderm\.io|infosec\.exchange|chaos\.social|mastodon\.social|pixelfed\.social|lemmy\.[a-z.]+|kbin\.social|misskey\.io|pleroma\.[a-z.]+|akkoma\.[a-z.]+|social\.[a-z0-9-]+\.[a-z.]+)$|mastodon|mstdn|pleroma|misskey|lemmy|friendica|pixelfed/;

/** "kind host" of a view's referrer: its host only (no path, no query), and none for the blog's own pages or none sent. */
export function referrerOf(referer: string | null, ownHost: string): string {
  if (!referer) return "direct";
  const start = referer.indexOf("//");
  if (start < 0) return "direct";
  let end = start + 2;
  while (end < referer.length && !"/?#".includes(referer[end]!)) end++;
  // The authority without its user and port.
  let host = referer.slice(start + 2, end).toLowerCase();
  host = host.slice(host.lastIndexOf("@") + 1);
  const port = host.lastIndexOf(":");
  if (port >= 0 && !host.includes("]")) host = host.slice(0, port);
  if (!host) return "direct";
  if (host === ownHost) return "internal";
  if (host.startsWith("www.")) host = host.slice(4);
  if (!/^[a-z0-9.-]{1,100}$/.test(host)) return "other ?";
  const kind: RefKind = SEARCH.test(host) ? "search" : SOCIAL.test(host) ? "social" : FEDIVERSE.test(host) ? "fediverse" : "other";
  return `${kind} ${host}`;
}

/** Registers of the day's visitor sketch: 1,024 (about 3 % error; exact-ish counting below a few hundred). */
export const SKETCH_BITS = 10;
export const SKETCH_SIZE = 1 << SKETCH_BITS;

/** A 53-bit hash (cyrb53): fast, synchronous, well spread; not a secret and not reversible from a register. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The register and rank a visitor sets in the day's sketch. The day and the blog are hashed in,
 * so the same reader sets unrelated registers on another day or blog; only the highest rank per
 * register is kept, which no one can turn back into an address.
 */
export function sketchPoint(day: string, blog: string, address: string, userAgent: string): [number, number] {
  const h = hash53(`${day}\n${blog}\n${address}\n${userAgent}`);
  const register = h % SKETCH_SIZE;
  let rest = Math.floor(h / SKETCH_SIZE);
  let rank = 1;
  while (rank < 43 && rest % 2 === 0) {
    rest = Math.floor(rest / 2);
    rank++;
  }
  return [register, rank];
}

/** The visitors a sketch estimates (HyperLogLog, with linear counting while registers are empty). */
export function estimate(registers: ArrayLike<number>): number {
  const m = SKETCH_SIZE;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = registers[i] ?? 0;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
  return Math.round(raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw);
}

/** The day (YYYY-MM-DD) of `at` in a time zone, one formatter per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
export function dayIn(timeZone: string, at: number): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f.format(at);
}

/** The `days` days ending with `last` (YYYY-MM-DD), oldest first. */
export function daysEnding(last: string, days: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** What a blog's "Most read" list shows: its most viewed posts of the last MOST_READ_DAYS days. */
export interface MostRead {
  posts: { slug: string; title: string }[];
}
export const MOST_READ_DAYS = 30;
export const MOST_READ_SIZE = 5;
