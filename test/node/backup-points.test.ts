import { describe, expect, it } from "vitest";
import { keptPoints, pointId } from "../../src/core/backups";

const DAY = 86_400_000;

describe("which backup points are kept", () => {
  it("keeps the last 7 days' newest points, then one a week for the 4 weeks before", () => {
    const now = new Date("2026-12-04T02:30:00Z");
    // A nightly point for 60 nights, and a few made on request on some days.
    const ids = Array.from({ length: 60 }, (_, i) => pointId(new Date(now.getTime() - i * DAY)));
    ids.push(pointId(new Date(now.getTime() - 2 * DAY + 3_600_000)), pointId(new Date(now.getTime() - 20 * DAY + 60_000)));
    const kept = [...keptPoints(ids, now)].sort().reverse();
    expect(kept).toEqual([
      "20261204T023000Z",
      "20261203T023000Z",
      "20261202T033000Z",
      "20261201T023000Z",
      "20261130T023000Z",
      "20261129T023000Z",
      "20261128T023000Z",
      // The newest point of each of the 4 weeks (Monday to Sunday) before the oldest daily one.
      "20261127T023000Z",
      "20261122T023000Z",
      "20261115T023000Z",
      "20261108T023000Z",
    ]);
  });

  it("keeps every point of the last 24 hours (one being restored from), 24 at most", () => {
    const now = new Date("2026-12-04T12:00:00Z");
    const ids = Array.from({ length: 30 }, (_, i) => pointId(new Date(now.getTime() - i * 1_800_000)));
    const kept = keptPoints(ids, now);
    expect(kept.size).toBe(24 + 1);
    expect(kept.has(pointId(new Date(now.getTime() - 23 * 1_800_000)))).toBe(true);
    // Older than that on the same day: only the day's newest stands for it (the 24 recent points are taken first).
    expect(kept.has(pointId(new Date(now.getTime() - 29 * 1_800_000)))).toBe(false);
  });
});
