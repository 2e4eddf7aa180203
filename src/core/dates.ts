const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date or date-time strictly (no rollover of impossible dates).
 * Without a zone the time is taken as UTC. Returns null when the text is not such a date.
 */
export function parseIsoDate(text: string): Date | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", zone = "Z"] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return new Date(local - offsetMinutes * 60_000);
}

const zoneParts = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `ms` in `timeZone`, as milliseconds of a UTC date with the same fields. */
function wallClock(ms: number, timeZone: string): number {
  let f = zoneParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    zoneParts.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** "2026-11-29T14:30" (seconds only when not zero): `iso` as a clock in `timeZone` shows it, for `<input type="datetime-local">`. */
export function toZonedInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const local = new Date(wallClock(Math.floor(ms / 1000) * 1000, timeZone)).toISOString();
  return local.endsWith(":00.000Z") ? local.slice(0, 16) : local.slice(0, 19);
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

/**
 * The instant (ISO, UTC) of a wall-clock time "2026-11-29T14:30[:ss]" in `timeZone`; null when
 * the text is not such a time. A time skipped by a daylight-saving change lands just after it.
 */
export function fromZonedInput(local: string, timeZone: string): string | null {
  if (!LOCAL.test(local)) return null;
  const asUtc = parseIsoDate(`${local}Z`);
  if (!asUtc) return null;
  const t = asUtc.getTime();
  let guess = t - (wallClock(t, timeZone) - t);
  guess = t - (wallClock(guess, timeZone) - guess);
  return new Date(guess).toISOString();
}
