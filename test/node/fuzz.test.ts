import fc from "fast-check";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { loadPostText } from "../../scripts/lib/load";

describe("the front-matter parser under hostile input", () => {
  it("never throws: every file is either a post or a list of errors naming the file and a field", () => {
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), fc.string({ unit: "grapheme", maxLength: 200 }));
    const frontMatter = fc.dictionary(
      fc.constantFrom("title", "date", "author", "tags", "summary", "draft", "updated", "__proto__", "constructor"),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        text,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    );
    let posts = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.tuple(frontMatter, text).map(([fm, body]) => `---\n${YAML.stringify(fm)}---\n${body}`),
          // Valid required fields, hostile everything else.
          fc
            .tuple(
              frontMatter,
              text,
              fc.string({ minLength: 1, maxLength: 80 }).filter((t) => t.trim().length > 0),
            )
            .map(([fm, body, title]) => `---\n${YAML.stringify({ ...fm, title, date: "2024-05-01T10:00:00Z" })}---\n${body}`),
        ),
        (file) => {
          const result = loadPostText("posts/fuzz.md", "fuzz", file);
          expect(result.posts.length + result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.file).toBe("posts/fuzz.md");
            expect(e.field.length).toBeGreaterThan(0);
          }
          if (result.posts.length) posts++;
          else rejected++;
          expect(Object.prototype).not.toHaveProperty("polluted");
        },
      ),
      { numRuns: 1000 },
    );
    console.log(`front matter: 1000 generated files, ${posts} accepted, ${rejected} rejected`);
  });

  it("does not let __proto__ keys pollute objects", () => {
    const result = loadPostText(
      "posts/p.md",
      "p",
      "---\ntitle: T\ndate: 2022-01-01\n__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\n---\nx",
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.posts).toHaveLength(1);
  });
});
