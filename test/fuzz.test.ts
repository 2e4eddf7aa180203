import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearKv, getJson, makePost, publish, request } from "./helpers";

/** Hostile input, generated: every answer must be < 500, errors in the documented shape, and rejected input must change nothing. */

const RUNS = 100;
const SLOW = { timeout: 120_000 };
const tried = { json: 0, forms: 0, queries: 0, raw: 0 };

beforeAll(async () => {
  await publish([makePost({ slug: "fuzzed", tags: ["t"], markdown: "fuzz target body" })]);
});
afterAll(async () => {
  console.log(`hostile inputs tried: ${JSON.stringify(tried)}`);
  await clearKv();
});

const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.constantFrom(
    "\u0000",
    "\uD800",
    "\uDFFF",
    "\u202E\u202D",
    "<script>alert(1)</script>",
    "__proto__",
    "constructor",
    "prototype",
    "💥".repeat(300),
    " ",
    "",
    "x".repeat(6000),
    "%00",
    "../../etc/passwd",
    "{{7*7}}",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as typed
    "${7*7}",
  ),
);

const pollution = fc.record({ __proto__: fc.jsonValue(), constructor: fc.jsonValue(), prototype: fc.jsonValue() }, { requiredKeys: [] });

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      author: nasty,
      body: nasty,
      email: fc.oneof(nasty, fc.emailAddress()),
      parentId: fc.oneof(fc.integer(), fc.double(), nasty, fc.constant(null)),
    },
    { requiredKeys: [] },
  ),
  pollution,
);

async function expectShape(res: Response) {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400 && (res.headers.get("content-type") ?? "").includes("json")) {
    const body = (await res.json()) as any;
    expect(typeof body.error.code).toBe("string");
    expect(typeof body.error.message).toBe("string");
  } else await res.arrayBuffer();
}

async function commentCount(): Promise<number> {
  return (await getJson("/api/posts/fuzzed/comments")).body.meta.pagination.total;
}

describe("hostile input", () => {
  it("the comments JSON API never answers 5xx and stores only what it accepts", SLOW, async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonBody,
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=utf-16"),
        async (value, type) => {
          tried.json++;
          const before = await commentCount();
          const body = JSON.stringify(value) ?? "null";
          const res = await request("/api/posts/fuzzed/comments", {
            method: "POST",
            headers: { "Content-Type": type, "CF-Connecting-IP": `198.18.${tried.json % 250}.1` },
            body,
          });
          const status = res.status;
          await expectShape(res);
          expect(await commentCount()).toBe(status === 201 ? before + 1 : before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("deeply nested and huge JSON is refused cleanly", async () => {
    const cases: [string, number[]][] = [
      ["[".repeat(20000) + "]".repeat(20000), [400]],
      // Unknown fields are ignored, however deep.
      [`{"author":"a","body":"b","x":${"[".repeat(5000)}${"]".repeat(5000)}}`, [201]],
      [JSON.stringify({ author: "a", body: "b".repeat(70_000) }), [413]],
      ["\uFEFF{}", [400]],
      ['{"author":"a","body":"b"'.repeat(3), [400]],
      ['{"author":"a","body":"b","__proto__":{"admin":true}}', [201]],
    ];
    for (const [body, statuses] of cases) {
      tried.raw++;
      const res = await request("/api/posts/fuzzed/comments", { method: "POST", headers: { "Content-Type": "application/json" }, body });
      expect(statuses, body.slice(0, 40)).toContain(res.status);
      await expectShape(res);
    }
    // The __proto__ body granted nothing: an admin-only list still refuses an anonymous reader.
    expect((await request("/api/posts/fuzzed/comments?status=held")).status).toBe(401);
  });

  it("the HTML forms never answer 5xx", SLOW, async () => {
    const field = fc.dictionary(fc.constantFrom("author", "body", "email", "parentId", "website", "__proto__", "x"), nasty, { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/posts/fuzzed/comments", "/subscribe", "/unsubscribe?token=x"), field, async (path, fields) => {
        tried.forms++;
        const res = await request(path, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": `198.19.${tried.forms % 250}.1` },
          body: new URLSearchParams(fields).toString(),
        });
        expect(res.status).toBeLessThan(500);
        await res.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });

  it("query strings and paths never answer 5xx", SLOW, async () => {
    const paths = fc.constantFrom(
      "/",
      "/archive",
      "/tags/t",
      "/search",
      "/api/posts",
      "/api/search",
      "/api/posts/fuzzed/comments",
      "/posts/fuzzed",
      "/tags/t/feed.xml",
    );
    const params = fc.dictionary(fc.constantFrom("page", "limit", "tag", "q", "cursor", "status", "replyto", "token"), nasty, {
      maxKeys: 4,
    });
    await fc.assert(
      fc.asyncProperty(paths, params, fc.string({ maxLength: 40 }), async (path, query, suffix) => {
        tried.queries++;
        const qs = new URLSearchParams(query).toString();
        const res = await request(`${path}${qs ? `?${qs}` : ""}`);
        await expectShape(res);
        const odd = await request(`/posts/${encodeURIComponent(suffix)}`);
        expect(odd.status).toBeLessThan(500);
        await odd.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
  });
});
