import { describe, expect, it } from "vitest";
import { acceptedLanguage } from "../../src/core/i18n";
import { ranked } from "../../src/core/net";
import { acceptPrefersJson } from "../../src/http/negotiate";

describe("reading Accept headers", () => {
  it("ranks by quality, then the more specific, then the header's order, leaving out what is refused", () => {
    expect(ranked("text/*;q=0.5, text/html, */*;q=0.5, application/json;q=0")).toEqual(["text/html", "text/*", "*/*"]);
    expect(ranked("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")).toEqual(["fr-ch", "fr", "en", "de", "*"]);
    expect(ranked("")).toEqual([]);
    expect(ranked("en;q=abc, de")).toEqual(["de"]);
  });

  it("answers JSON only to a client that asks for it before HTML", () => {
    expect(acceptPrefersJson("application/json")).toBe(true);
    expect(acceptPrefersJson("application/json, text/plain, */*")).toBe(true);
    expect(acceptPrefersJson("*/*;q=1, application/json;q=0.5")).toBe(true);
    expect(acceptPrefersJson("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toBe(false);
    expect(acceptPrefersJson("text/html;q=0.5, application/json")).toBe(true);
    expect(acceptPrefersJson("application/activity+json")).toBe(false);
    expect(acceptPrefersJson("*/*")).toBe(false);
    expect(acceptPrefersJson(undefined)).toBe(false);
  });

  it("finds the first language the platform speaks, by its main tag", () => {
    expect(acceptedLanguage("pt-BR, pt;q=0.9, en;q=0.8")).toBe("pt");
    expect(acceptedLanguage("nl, de;q=0.5")).toBe("de");
    expect(acceptedLanguage("nl, sv")).toBeNull();
    expect(acceptedLanguage("en;q=0.2, fr;q=0.9")).toBe("fr");
    expect(acceptedLanguage(undefined)).toBeNull();
  });
});
