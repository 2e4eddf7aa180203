import { describe, expect, it } from "vitest";
import { dayIn, daysEnding, deviceOf, estimate, isBot, referrerOf, SKETCH_SIZE, sketchPoint } from "../../src/core/stats";

describe("what a view is counted as", () => {
  it("keeps a referrer's host only, classed", () => {
    expect(referrerOf(null, "blog.example")).toBe("direct");
    expect(referrerOf("https://blog.example/posts/a?x=1", "blog.example")).toBe("internal");
    expect(referrerOf("https://www.google.fr/", "blog.example")).toBe("search google.fr");
    expect(referrerOf("https://duckduckgo.com/?q=secret+words", "blog.example")).toBe("search duckduckgo.com");
    expect(referrerOf("https://t.co/abc", "blog.example")).toBe("social t.co");
    expect(referrerOf("https://old.reddit.com/r/x/comments/1", "blog.example")).toBe("social old.reddit.com");
    expect(referrerOf("https://fosstodon.org/@ada/123", "blog.example")).toBe("fediverse fosstodon.org");
    expect(referrerOf("https://mastodon.example.net/@bob", "blog.example")).toBe("fediverse mastodon.example.net");
    expect(referrerOf("https://user:pw@someones.blog:8443/private/path#x", "blog.example")).toBe("other someones.blog");
    expect(referrerOf("android-app://com.slack/", "blog.example")).toBe("other com.slack");
    expect(referrerOf("not a url", "blog.example")).toBe("direct");
    expect(referrerOf("https://<script>/", "blog.example")).toBe("other ?");
  });

  it("tells readers from crawlers, link previews and scripts, and phones from computers", () => {
    const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    const ipad =
      "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    const androidTablet = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    for (const ua of [chrome, iphone, ipad, androidTablet]) expect(isBot(ua), ua).toBe(false);
    for (const ua of [
      null,
      "",
      "curl/8.5.0",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      "http.rb/5.1.1 (Mastodon/4.2.8; +https://mastodon.social/) Bot",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
      "python-requests/2.31.0",
    ]) {
      expect(isBot(ua), String(ua)).toBe(true);
    }
    expect(deviceOf(chrome)).toBe("desktop");
    expect(deviceOf(iphone)).toBe("mobile");
    expect(deviceOf(ipad)).toBe("tablet");
    expect(deviceOf(androidTablet)).toBe("tablet");
  });
});

describe("visitors, estimated without keeping anyone", () => {
  const sketchOf = (visitors: number, day = "2026-12-04") => {
    const registers = new Uint8Array(SKETCH_SIZE);
    for (let i = 0; i < visitors; i++) {
      // Each visitor comes three times: the same register and rank each time.
      for (let visit = 0; visit < 3; visit++) {
        const [r, rank] = sketchPoint(day, "alpha", `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, "Mozilla/5.0 Reader");
        if (registers[r]! < rank) registers[r] = rank;
      }
    }
    return registers;
  };

  it("counts small numbers almost exactly and large ones within a few percent", () => {
    expect(estimate(new Uint8Array(SKETCH_SIZE))).toBe(0);
    expect(estimate(sketchOf(1))).toBe(1);
    expect(Math.abs(estimate(sketchOf(50)) - 50)).toBeLessThanOrEqual(2);
    for (const n of [1_000, 20_000, 200_000]) {
      const e = estimate(sketchOf(n));
      expect(Math.abs(e - n) / n, `${n} visitors estimated ${e}`).toBeLessThan(0.06);
    }
  });

  it("sets unrelated registers for the same reader on another day or blog", () => {
    const a = sketchPoint("2026-12-04", "alpha", "203.0.113.7", "UA");
    expect(sketchPoint("2026-12-04", "alpha", "203.0.113.7", "UA")).toEqual(a);
    expect(sketchPoint("2026-12-05", "alpha", "203.0.113.7", "UA")).not.toEqual(a);
    expect(sketchPoint("2026-12-04", "beta", "203.0.113.7", "UA")).not.toEqual(a);
  });
});

describe("days", () => {
  it("in the blog's time zone, and periods ending today", () => {
    const at = Date.parse("2026-12-04T23:30:00Z");
    expect(dayIn("UTC", at)).toBe("2026-12-04");
    expect(dayIn("Europe/Paris", at)).toBe("2026-12-05");
    expect(dayIn("America/New_York", at)).toBe("2026-12-04");
    expect(daysEnding("2026-03-01", 3)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });
});
