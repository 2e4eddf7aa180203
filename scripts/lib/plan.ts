export { hashValue, isEmpty, parseManifest, parseTouched, planChanges, type Manifest, type Plan } from "../../src/core/plan";

/** Splits key/value pairs into batches within `wrangler kv bulk put` limits (10,000 pairs, well under 100 MB). */
export function batches<T extends [string, string]>(pairs: T[], maxPairs = 10_000, maxBytes = 90 * 1024 * 1024): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const pair of pairs) {
    const size = Buffer.byteLength(pair[0]) + Buffer.byteLength(pair[1]) + 32;
    if (current.length && (current.length >= maxPairs || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(pair);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}
