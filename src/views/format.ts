/** Dates already written, by kind, language, zone and instant: a page shows the same few dates again and again. */
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

/** Each language writes dates as Intl's long style does ("January 21, 2022 at 14:14", "21 janvier 2022 à 14:14"). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, kind: "date" | "time" | "month" | "key"): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "time"
        ? { dateStyle: "long", timeStyle: "short", timeZone, hourCycle: "h23" }
        : kind === "date"
          ? { dateStyle: "long", timeZone }
          : { year: "numeric", month: kind === "month" ? "long" : "2-digit", timeZone };
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** "January 21, 2022" (in English; `locale` another language's way) */
export function formatDate(iso: string, timeZone: string, locale = "en-US"): string {
  return remembered(`d|${locale}|${timeZone}|${iso}`, () => formatter(locale, timeZone, "date").format(new Date(iso)));
}

/** "January 21, 2022 at 14:14" (in English; "21 janvier 2022 à 14:14" in French …) */
export function formatDateTime(iso: string, timeZone: string, locale = "en-US"): string {
  return remembered(`t|${locale}|${timeZone}|${iso}`, () => formatter(locale, timeZone, "time").format(new Date(iso)));
}

/** "January 2022" ("Janvier 2022": a heading starts with a capital), and a sortable key "2022-01" for grouping. */
export function formatMonth(iso: string, timeZone: string, locale = "en-US"): { label: string; key: string } {
  const parts: Record<string, string> = {};
  for (const p of formatter("en-US", timeZone, "key").formatToParts(new Date(iso))) parts[p.type] = p.value;
  const key = `${parts.year}-${parts.month}`;
  const text = remembered(`m|${locale}|${timeZone}|${key}`, () => formatter(locale, timeZone, "month").format(new Date(iso)));
  return { label: text.charAt(0).toLocaleUpperCase(locale) + text.slice(1), key };
}
