import { BoundedMap, getOrMake } from "../core/maps";

/**
 * Values parsed by this isolate, by their KV text: a value read again costs no JSON.parse and keeps
 * its identity, which the views' markup is kept by (views/memo.ts). Frozen, as every request of
 * the isolate shares them. Least recently used goes first; a very large value is not kept.
 * `kind` keeps apart texts parsed by different readers.
 */
const parsed = new Map<string, BoundedMap<string, object>>();
/** Per kind. */
const MAX_PARSED = 256;
const MAX_PARSED_TEXT = 256 * 1024;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function heldParse<T extends object>(kind: string, text: string | null | undefined, read: (text: string) => T | null): T | null {
  if (!text) return null;
  if (text.length > MAX_PARSED_TEXT) return read(text);
  const texts = getOrMake(parsed, kind, () => new BoundedMap<string, object>(MAX_PARSED));
  const known = texts.get(text);
  if (known) return known as T;
  const value = read(text);
  if (!value) return null;
  texts.set(text, deepFreeze(value));
  return value;
}

/** For measuring a fresh isolate: forget every parsed value. */
export function forgetParsed(): void {
  parsed.clear();
}
