import { describe, expect, it } from "vitest";
import { CACHE_POLICY, ifNoneMatchHits, notModifiedHeaders } from "../../src/http/freshness";

describe("If-None-Match (RFC 9110 §13.1.2)", () => {
  it("compares weakly, in a list, and lets * match any current representation", () => {
    expect(ifNoneMatchHits('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"x", W/"abc" ,"y"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatchHits("*", '"abc"')).toBe(true);
    expect(ifNoneMatchHits(" * ", '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"abd"', '"abc"')).toBe(false);
    expect(ifNoneMatchHits('"abc', '"abc"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"abc"')).toBe(false);
    expect(ifNoneMatchHits("", '"abc"')).toBe(false);
    // No representation with a tag: nothing to be "not modified" from.
    expect(ifNoneMatchHits("*", null)).toBe(false);
  });
});

describe("a 304 (RFC 9110 §15.4.5)", () => {
  it("keeps the validators and caching headers of the 200 it stands for, and nothing else, from a list or a Headers", () => {
    const full: [string, string][] = [
      ["content-type", "text/html"],
      ["etag", '"t"'],
      ["cache-control", CACHE_POLICY.revalidate],
      ["vary", "Accept"],
      ["content-length", "12"],
      ["date", "Thu, 03 Dec 2026 10:00:00 GMT"],
      ["x-cache", "HIT"],
      ["set-cookie", "a=b"],
    ];
    for (const headers of [full, new Headers(full)]) {
      const kept: Record<string, string> = {};
      notModifiedHeaders(headers).forEach((value, name) => {
        kept[name] = value;
      });
      expect(kept).toEqual({
        etag: '"t"',
        "cache-control": CACHE_POLICY.revalidate,
        vary: "Accept",
        date: "Thu, 03 Dec 2026 10:00:00 GMT",
      });
    }
  });
});
