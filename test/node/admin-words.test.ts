import { describe, expect, it } from "vitest";
import { activityText } from "../../src/views/activity";
import { postState, stateText } from "../../src/views/pages/editor";
import { adminEn } from "../../src/core/i18n/admin/en";
import { adminFr } from "../../src/core/i18n/admin/fr";

/** The administration's words, as a blogger reads them (not codes, not repeated times). */
describe("the editor's badge", () => {
  const published = {
    slug: "x",
    title: "X",
    date: "2026-12-04T02:19:00Z",
    updated: null,
    author: null,
    summary: null,
    markdown: "",
    tags: [],
    draft: false,
  };

  it("says nothing of an update made within the minute the post went out", () => {
    const state = postState({ ...published, editedAt: "2026-12-04T02:19:41Z" }, false, "2026-12-04T03:00:00Z");
    expect(stateText(adminEn, state, "UTC")).toBe("Published December 4, 2026 at 02:19");
  });

  it("names a later update, in the blog's time zone", () => {
    const state = postState({ ...published, editedAt: "2026-12-04T09:05:00Z" }, false, "2026-12-04T10:00:00Z");
    expect(stateText(adminEn, state, "Europe/Paris")).toBe("Published December 4, 2026 at 03:19 · updated December 4, 2026 at 10:05");
  });

  it("tells drafts, new posts and scheduled ones apart", () => {
    expect(stateText(adminEn, postState({ ...published, draft: true }, false, "2026-12-05T00:00:00Z"), "UTC")).toBe("Draft · not public");
    expect(stateText(adminEn, postState(published, true, "2026-12-05T00:00:00Z"), "UTC")).toBe("New draft");
    expect(stateText(adminEn, postState(published, false, "2026-12-01T00:00:00Z"), "UTC")).toBe("Scheduled for December 4, 2026 at 02:19");
  });

  it("speaks the person's language, dates included", () => {
    const state = postState({ ...published, editedAt: "2026-12-04T09:05:00Z" }, false, "2026-12-04T10:00:00Z");
    expect(stateText(adminFr, state, "Europe/Paris")).toBe("Publié le 4 décembre 2026 à 03:19 · mis à jour le 4 décembre 2026 à 10:05");
  });
});

describe("the dashboard's activity", () => {
  const titles = new Map([["my-first-post", "My first post"]]);

  it("names posts by their title where the dashboard knows it, by their address otherwise", () => {
    expect(activityText(adminEn, "post.saved", "my-first-post", titles)).toBe("Saved the post “My first post”");
    expect(activityText(adminEn, "comment.approved", "my-first-post#12", titles)).toBe("Approved a comment on “My first post”");
    expect(activityText(adminEn, "post.saved", "gone-since", titles)).toBe("Saved the post “gone-since”");
    expect(activityText(adminFr, "comment.approved", "my-first-post#12", titles)).toBe("A approuvé un commentaire sur « My first post »");
  });
});
