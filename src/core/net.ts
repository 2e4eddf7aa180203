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
