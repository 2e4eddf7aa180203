import { describe, expect, it } from "vitest";
import { isPublicUrl } from "../../federation/src/public-address";
import { customCssProblem } from "../../src/core/theme";
import { byteRange } from "../../src/http/r2-file";
import { safeUrl } from "../../src/core/html-filter";
import { renderMarkdown } from "../../src/core/markdown";

describe("custom CSS", () => {
  it.each([
    ['a { background: url("https://evil.example/a)b") }', "url() may only name a path on this blog"],
    ["a { background: url('//evil.example/x.png') }", "url() may only name a path on this blog"],
    ["a { background: url(//evil.example/x.png) }", "url() may only name a path on this blog"],
    ['a { background: image-set("https://evil.example/a.png" 1x) }', "image-set() is not allowed"],
    ['a { background: -webkit-image-set(url("/a.png") 1x) }', "-webkit-image-set() is not allowed"],
    ['@namespace url("https://evil.example/)");', "@namespace is not allowed"],
    ["@IMPORT '/x.css';", "@import is not allowed"],
    ['a { background: url("/ok.png" "https://evil.example/") }', "url() may only name a path on this blog"],
    ["a { background: url(/a b) }", "a string or url() is not closed"],
    ['input[name=csrf][value^="a"] { background: url(https://evil.example/a) }', "url() may only name a path on this blog"],
    ["a { color: expression(alert(1)) }", "may not run scripts"],
    ["a { -moz-binding: x }", "may not run scripts"],
  ])("refuses %s", (css, message) => {
    expect(customCssProblem(css)).toContain(message);
  });

  it("accepts same-origin paths, quoted or not, and ordinary rules", () => {
    expect(customCssProblem('a { background: url(/images/t.png) } b { background: url( "/x.png" ) } .u { content: "a)b" }')).toBeNull();
  });
});

describe("follower inboxes outside production's reach", () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => table[host] ?? [];

  it.each([
    "http://[::ffff:7f00:1]:8080/inbox",
    "http://[::ffff:127.0.0.1]/inbox",
    "http://[::1]/inbox",
    "http://[64:ff9b::a00:1]/inbox",
    "http://[fd00::1]/inbox",
    "http://[fe80::1]/inbox",
    "http://127.0.0.1:9/inbox",
    "http://10.1.2.3/inbox",
    "http://169.254.169.254/latest",
    "http://0.0.0.0/inbox",
    "http://localhost/inbox",
    "http://peer.localhost:9/inbox",
    "http://resolves-home.example/inbox",
    "http://unresolvable.example/inbox",
    "ftp://198.51.100.1/inbox",
  ])("refuses %s", async (url) => {
    expect(await isPublicUrl(url, resolver({ "resolves-home.example": ["127.0.0.1"] }))).toBe(false);
  });

  it("accepts public addresses and names whose every address is public", async () => {
    const resolve = resolver({
      "mastodon.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
      "mixed.example": ["93.184.216.34", "10.0.0.1"],
    });
    expect(await isPublicUrl("https://mastodon.example/inbox", resolve)).toBe(true);
    expect(await isPublicUrl("https://93.184.216.34/inbox", resolve)).toBe(true);
    expect(await isPublicUrl("https://[2606:4700::1111]/inbox", resolve)).toBe(true);
    expect(await isPublicUrl("https://mixed.example/inbox", resolve)).toBe(false);
  });
});

describe("media byte ranges (RFC 9110 §14)", () => {
  it.each([
    ["bytes=0-7", { offset: 0, length: 8 }],
    ["bytes=500-", { offset: 500, length: 500 }],
    ["bytes=-100", { offset: 900, length: 100 }],
    ["bytes=990-2000", { offset: 990, length: 10 }],
    ["bytes=1000-", "unsatisfiable"],
    ["bytes=5000-6000", "unsatisfiable"],
    ["bytes=abc", null],
    ["bytes=5-2", null],
    ["bytes=0-1,5-6", null],
    ["items=0-1", null],
    [undefined, null],
  ] as const)("reads %s of a 1,000-byte file as %j", (header, expected) => {
    expect(byteRange(header, 1000)).toEqual(expected);
  });
});

describe("addresses in posts (html-filter safeUrl)", () => {
  it("keeps a link whose query has several parameters: `&b=2` is text to a browser, not a reference", () => {
    expect(safeUrl("https://example.org/page?a=1&b=2")).toBe(true);
    expect(safeUrl("https://example.org/page?a=1&amp;b=2")).toBe(true);
    const html = renderMarkdown("Read [the page](https://example.org/page?a=1&b=2).").html;
    expect(html).toContain('<a href="https://example.org/page?a=1&amp;b=2">the page</a>');
  });

  it("still refuses a scheme hidden behind references, known or not", () => {
    expect(safeUrl("javascript&colon;alert(1)")).toBe(false);
    expect(safeUrl("java&#115;cript:alert(1)")).toBe(false);
    expect(safeUrl("java&Tab;script:alert(1)")).toBe(false);
    expect(safeUrl(" javascript:alert(1)")).toBe(false);
  });
});
