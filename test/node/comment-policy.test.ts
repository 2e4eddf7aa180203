import { describe, expect, it } from "vitest";
import { parseComment } from "../../src/core/comment-markdown";
import {
  COMMENT_WINDOW_MS,
  editTokenValid,
  firstLimitHit,
  heldBySpamRules,
  needsModeration,
  signEditToken,
} from "../../src/core/comment-policy";
import type { CommentRules } from "../../src/core/comments";
import { EDIT_WINDOW_MS } from "../../src/core/vocabulary";

const rules = (overrides: Partial<CommentRules> = {}): CommentRules => ({
  moderation: "open",
  rateLimit: 5,
  blockedWords: [],
  secret: null,
  ...overrides,
});
const held = (body: string, blockedWords: string[] = []) => heldBySpamRules(parseComment(body), body, blockedWords);

describe("the spam rules", () => {
  it("hold a comment with more than two links", () => {
    expect(held("see https://a.example and https://b.example")).toBe(false);
    expect(held("see https://a.example, https://b.example and [c](https://c.example)")).toBe(true);
  });

  it("hold a blocked word as a whole word, in any case and script, and nothing that merely contains it", () => {
    expect(held("Buy CHEAP pills", ["cheap"])).toBe(true);
    expect(held("a cheapskate", ["cheap"])).toBe(false);
    expect(held("très écœurant", ["écœurant"])).toBe(true);
    expect(held("écœurantes", ["écœurant"])).toBe(false);
    // A word with pattern characters is a word, not a pattern.
    expect(held("a+b", ["a+b"])).toBe(true);
    expect(held("aab", ["a+b"])).toBe(false);
    expect(held("anything", [""])).toBe(false);
  });
});

describe("moderation", () => {
  const doc = parseComment("hello");
  it("holds everything in 'all' mode, strangers only in 'first-time' mode (asked only there), spam in every mode", () => {
    let asked = 0;
    const known = () => {
      asked++;
      return true;
    };
    expect(needsModeration(rules({ moderation: "all" }), doc, "hello", known)).toBe(true);
    expect(needsModeration(rules({ moderation: "open" }), doc, "hello", known)).toBe(false);
    expect(asked).toBe(0);
    expect(needsModeration(rules({ moderation: "first-time" }), doc, "hello", known)).toBe(false);
    expect(needsModeration(rules({ moderation: "first-time" }), doc, "hello", () => false)).toBe(true);
    expect(asked).toBe(1);
    expect(needsModeration(rules({ blockedWords: ["hello"] }), doc, "hello", known)).toBe(true);
  });
});

describe("comment limits", () => {
  const at = (...seconds: number[]) => seconds.map((s) => ({ at: s * 1000 }));
  it("refuse the comment over a limit with the seconds until the oldest counted one leaves the window", () => {
    const now = 30_000;
    const address = { times: () => at(0, 10, 20), max: 3, refusal: "Too many comments from your address" };
    expect(firstLimitHit([address], now)).toEqual({
      message: "Too many comments from your address. Try again in 30 seconds.",
      retryAfter: (COMMENT_WINDOW_MS - now) / 1000,
    });
    expect(firstLimitHit([{ ...address, max: 4 }], now)).toBeNull();
  });

  it("check them in order, and skip (without reading) a limit that is off", () => {
    let read = false;
    const off = {
      times: () => {
        read = true;
        return at(0);
      },
      max: 0,
      refusal: "off",
    };
    const post = { times: () => at(1, 2), max: 2, refusal: "Too many comments on this post right now" };
    expect(firstLimitHit([off, post], 2_000)?.message).toMatch(/^Too many comments on this post right now\. Try again in 59 seconds\.$/);
    expect(read).toBe(false);
    expect(firstLimitHit([], 0)).toBeNull();
  });
});

describe("edit tokens", () => {
  const comment = { slug: "post", id: 7, generation: "g1" };
  it("let the author edit that comment of that thread's lifetime, within the edit window only", async () => {
    const now = Date.now();
    const token = await signEditToken("secret", "post", 7, "g1", now + EDIT_WINDOW_MS);
    expect(await editTokenValid("secret", token, comment, now)).toBe(true);
    expect(await editTokenValid("secret", token, { ...comment, id: 8 }, now)).toBe(false);
    expect(await editTokenValid("secret", token, { ...comment, slug: "other" }, now)).toBe(false);
    // The thread was purged and made again: a new generation.
    expect(await editTokenValid("secret", token, { ...comment, generation: "g2" }, now)).toBe(false);
    expect(await editTokenValid("other secret", token, comment, now)).toBe(false);
    expect(await editTokenValid("secret", token, comment, now + EDIT_WINDOW_MS + 1)).toBe(false);
    expect(await editTokenValid("secret", `${token}x`, comment, now)).toBe(false);
  });

  it("refuse a token that claims to last longer than the edit window, even if signed", async () => {
    const now = Date.now();
    const long = await signEditToken("secret", "post", 7, "g1", now + EDIT_WINDOW_MS + 60_000);
    expect(await editTokenValid("secret", long, comment, now)).toBe(false);
  });
});
