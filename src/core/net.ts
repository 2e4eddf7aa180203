/**
 * The bucket a client address counts in for rate limits: an IPv4 address as it is, an IPv6
 * address by its /64 (one subscriber line gets a whole /64, so its other addresses are the same client).
 */
export function ipBucket(ip: string): string {
  const text = ip.trim().toLowerCase();
  if (!text.includes(":")) return text;
  const [head = "", tail = ""] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) takes two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const groups = text.includes("::") ? [...left, ...Array(Math.max(0, 8 - width(left) - width(right))).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The values of an Accept-style header ("text/html, application/json;q=0.9", "fr-CH, fr;q=0.9")
 * best first: by quality, then the more specific ("text/html" before "text/*" before "*\/*"), then
 * in the header's order; refused ones (q=0) left out. At most 20 are read.
 */
export function ranked(header: string | null | undefined): string[] {
  if (!header) return [];
  const specificity = (v: string) => (v === "*" || v === "*/*" ? 0 : v.endsWith("/*") ? 1 : 2);
  return header
    .split(",")
    .slice(0, 20)
    .map((part, i) => {
      const [value = "", ...params] = part.split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { value: value.trim().toLowerCase(), q: Number.isFinite(quality) ? quality : 0, i };
    })
    .filter((x) => x.value !== "" && x.q > 0)
    .sort((a, b) => b.q - a.q || specificity(b.value) - specificity(a.value) || a.i - b.i)
    .map((x) => x.value);
}
