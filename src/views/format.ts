const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = timeZone + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

function parts(iso: string, timeZone: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone, options).formatToParts(new Date(iso))) out[p.type] = p.value;
  return out;
}

/** Dates already written, by kind, zone and instant: a page shows the same few dates again and again. */
const written = new Map<string, string>();
const MAX_WRITTEN = 20_000;

function remembered(key: string, make: () => string): string {
  let text = written.get(key);
  if (text === undefined) {
    if (written.size >= MAX_WRITTEN) written.clear();
    text = make();
    written.set(key, text);
  }
  return text;
}

/** Other languages than English write dates as Intl's long style does ("21 janvier 2022 à 14:14"). */
const localFormatters = new Map<string, Intl.DateTimeFormat>();
function local(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let f = localFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale,
      withTime ? { dateStyle: "long", timeStyle: "short", timeZone, hourCycle: "h23" } : { dateStyle: "long", timeZone },
    );
    localFormatters.set(key, f);
  }
  return f;
}
const english = (locale: string) => locale.startsWith("en");

/** "January 21, 2022" (in English; `locale` another language's way) */
export function formatDate(iso: string, timeZone: string, locale = "en-US"): string {
  if (!english(locale)) return remembered(`d|${locale}|${timeZone}|${iso}`, () => local(locale, timeZone, false).format(new Date(iso)));
  return remembered(`d|${timeZone}|${iso}`, () => {
    const p = parts(iso, timeZone, { year: "numeric", month: "long", day: "numeric" });
    return `${p.month} ${p.day}, ${p.year}`;
  });
}

/** "January 21, 2022 at 14:14" (in English; "21 janvier 2022 à 14:14" in French …) */
export function formatDateTime(iso: string, timeZone: string, locale = "en-US"): string {
  if (!english(locale)) return remembered(`t|${locale}|${timeZone}|${iso}`, () => local(locale, timeZone, true).format(new Date(iso)));
  return remembered(`t|${timeZone}|${iso}`, () => {
    const p = parts(iso, timeZone, {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    return `${p.month} ${p.day}, ${p.year} at ${p.hour}:${p.minute}`;
  });
}

/** "January 2022" ("Janvier 2022": a heading starts with a capital), and a sortable key "2022-01" for grouping. */
export function formatMonth(iso: string, timeZone: string, locale = "en-US"): { label: string; key: string } {
  const n = parts(iso, timeZone, { year: "numeric", month: "2-digit" });
  if (!english(locale)) {
    const text = remembered(`m|${locale}|${timeZone}|${n.year}-${n.month}`, () =>
      new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone }).format(new Date(iso)),
    );
    return { label: text.charAt(0).toLocaleUpperCase(locale) + text.slice(1), key: `${n.year}-${n.month}` };
  }
  const p = parts(iso, timeZone, { year: "numeric", month: "long" });
  return { label: `${p.month} ${p.year}`, key: `${n.year}-${n.month}` };
}
