import { describe, expect, it } from "vitest";
import { postFile, updatePostFile } from "../../scripts/lib/write-posts";
import { loadPostText } from "../../scripts/lib/load";
import type { PostSource } from "../../src/core/types";

const FILE = `---
title: "Talks resume in Geneva"
date: 2022-01-21T14:14:00Z
tags: [world, diplomacy]
# the desk's note stays
summary: 'Both sides return.'
---
The body.
`;

/** The post as the editor's file says it, as KV holds it after a publish. */
function source(text = FILE): PostSource {
  const loaded = loadPostText("posts/talks.md", "talks", text);
  expect(loaded.errors).toEqual([]);
  return loaded.posts[0]!;
}

describe("updatePostFile (npm run pull)", () => {
  it("leaves a file whose post did not change byte for byte as it was", () => {
    expect(updatePostFile(FILE, source())).toBe(FILE);
  });

  it("rewrites only the changed field, keeping quotes, flow lists, dates as typed and comments", () => {
    const changed = { ...source(), title: "Talks resume in Geneva, day two" };
    const out = updatePostFile(FILE, changed);
    expect(out).toBe(FILE.replace('"Talks resume in Geneva"', '"Talks resume in Geneva, day two"'));
    expect(source(out)).toEqual(changed);
  });

  it("rewrites the body and adds or drops fields as the browser edit did", () => {
    const edited = { ...source(), markdown: "A new body.\n", draft: true, summary: null, tags: ["world"] };
    const out = updatePostFile(FILE, edited);
    expect(out).toContain("date: 2022-01-21T14:14:00Z\n");
    expect(out).toContain("draft: true\n");
    expect(out).not.toContain("summary");
    expect(out.endsWith("---\nA new body.\n")).toBe(true);
    expect(source(out)).toEqual(edited);
  });

  it("writes a whole new file when the old one has no front matter to keep", () => {
    expect(updatePostFile("no front matter", source())).toBe(postFile(source()));
  });
});
