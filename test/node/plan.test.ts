import { describe, expect, it } from "vitest";
import { parseCli } from "../../scripts/publish";
import { batches, hashValue, isEmpty, parseManifest, planChanges } from "../../scripts/lib/plan";
import { MAIN_BLOG } from "../../src/core/blogs";
import { keysFor } from "../../src/core/keys";

const entries = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

describe("planChanges", () => {
  it("writes everything the first time, posts before listings", () => {
    const plan = planChanges(keysFor(MAIN_BLOG), entries({ "v1:list:home:0": "L", "v1:post:a": "A", "v1:post:b": "B" }), null);
    expect(plan.posts.map(([k]) => k)).toEqual(["v1:post:a", "v1:post:b"]);
    expect(plan.listings.map(([k]) => k)).toEqual(["v1:list:home:0"]);
    expect(plan.deletions).toEqual([]);
    expect(plan.manifest.hashes["v1:post:a"]).toBe(hashValue("A"));
  });

  it("writes nothing when nothing changed", () => {
    const first = planChanges(keysFor(MAIN_BLOG), entries({ "v1:post:a": "A", "v1:list:home:0": "L" }), null);
    const second = planChanges(keysFor(MAIN_BLOG), entries({ "v1:post:a": "A", "v1:list:home:0": "L" }), first.manifest);
    expect(isEmpty(second)).toBe(true);
    expect(second.unchanged).toBe(2);
  });

  it("writes only changed keys and deletes keys no longer produced", () => {
    const first = planChanges(
      keysFor(MAIN_BLOG),
      entries({ "v1:post:a": "A", "v1:post:gone": "G", "v1:list:tag:old:0": "T", "v1:list:home:0": "L" }),
      null,
    );
    const next = planChanges(keysFor(MAIN_BLOG), entries({ "v1:post:a": "A2", "v1:list:home:0": "L" }), first.manifest);
    expect(next.posts.map(([k]) => k)).toEqual(["v1:post:a"]);
    expect(next.listings).toEqual([]);
    expect(next.deletions).toEqual(["v1:list:tag:old:0", "v1:post:gone"]);
  });
});

describe("planChanges after edits in the browser", () => {
  it("rewrites the keys the editor touched and deletes those the files no longer produce", () => {
    const keys = keysFor(MAIN_BLOG);
    const first = planChanges(keys, entries({ "v1:post:a": "A", "v1:list:home:head": "L" }), null);
    // The editor changed a's record and the head, and created b, behind the manifest's back.
    const touched = ["v1:post:a", "v1:list:home:head", "v1:post:b", "v1:edited", "v1:version", "blog:other:v1:post:x"];
    const next = planChanges(keys, entries({ "v1:post:a": "A", "v1:list:home:head": "L" }), first.manifest, touched);
    expect(next.posts.map(([k]) => k)).toEqual(["v1:post:a"]);
    expect(next.listings.map(([k]) => k)).toEqual(["v1:list:home:head"]);
    expect(next.deletions).toEqual(["v1:post:b"]);
  });
});

describe("parseManifest", () => {
  it("ignores anything that is not a manifest", () => {
    expect(parseManifest(null)).toBeNull();
    expect(parseManifest("Value not found")).toBeNull();
    expect(parseManifest('{"v":2}')).toBeNull();
    expect(parseManifest('{"v":1,"hashes":{"k":"h"}}')).toEqual({ v: 1, hashes: { k: "h" } });
  });
});

describe("batches", () => {
  it("splits by count and by size", () => {
    const pairs = Array.from({ length: 25 }, (_, i) => [`k${i}`, "v".repeat(100)] as [string, string]);
    expect(batches(pairs, 10).map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches(pairs, 100, 700).every((b) => b.length <= 5)).toBe(true);
    expect(batches(pairs, 100, 700).flat()).toEqual(pairs);
  });
});

describe("parseCli", () => {
  it("reads the documented options", () => {
    expect(parseCli(["--dry-run", "--persist-to", ".state"])).toMatchObject({ dryRun: true, persistTo: ".state", remote: false });
    expect(parseCli(["--remote"])).toMatchObject({ remote: true });
    expect(parseCli(["--help"])).toBe("help");
    expect(parseCli(["-h"])).toBe("help");
  });

  it("rejects unknown and conflicting options", () => {
    expect(() => parseCli(["--frobnicate"])).toThrow(/frobnicate/);
    expect(() => parseCli(["--remote", "--persist-to", "x"])).toThrow(/cannot be used together/);
    expect(() => parseCli(["extra"])).toThrow();
  });
});
