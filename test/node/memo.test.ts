import { raw } from "hono/html";
import { describe, expect, it } from "vitest";
import { MarkupByKey } from "../../src/views/memo";

describe("MarkupByKey", () => {
  it("does not count a peek as a use: what was only looked at still goes first", () => {
    const kept = new MarkupByKey(2);
    kept.get("a", () => raw("<p>A</p>"));
    kept.get("b", () => raw("<p>B</p>"));
    expect(String(kept.peek("a"))).toBe("<p>A</p>");
    kept.get("c", () => raw("<p>C</p>"));
    expect(kept.peek("a")).toBeUndefined();
    expect(String(kept.peek("b"))).toBe("<p>B</p>");
    // A get is a use: "b" stays when "d" comes, "c" goes.
    kept.get("b", () => raw("unused"));
    kept.get("d", () => raw("<p>D</p>"));
    expect(kept.peek("c")).toBeUndefined();
    expect(String(kept.peek("b"))).toBe("<p>B</p>");
  });
});
