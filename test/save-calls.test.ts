import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { recordCalls } from "../src/data/rpc";
import { forgetHeldAccess } from "../src/http/auth";
import { at } from "./helpers";
import { ALPHA, addMember, FORM, setUp, signInAs } from "./people-helpers";

afterEach(() => reset());

/**
 * What one click of "Update" in the editor costs: the form's POST, the page it is sent back to,
 * and the live preview that page asks for. Durable Object calls are counted as the worker makes
 * them; the figures are in the Code health II note.
 */
describe("one click of Update", () => {
  it("asks each Durable Object only what the save needs", async () => {
    await setUp();
    await addMember(ALPHA, "ed@example.com", "editor");
    const cookie = await signInAs(ALPHA, "ed@example.com");
    const edit = await (await at(ALPHA, "/admin/posts/hello/edit", { headers: { Cookie: cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(edit)![1]!;
    const form = new URLSearchParams({
      csrf,
      live: "1",
      slug: "hello",
      title: "Hello again",
      date: "2026-01-01T09:00",
      updated: "",
      tags: "",
      author: "",
      summary: "",
      cover: "",
      markdown: "Changed.",
      action: "publish",
    });
    const click = () =>
      recordCalls(async () => {
        const saved = await at(ALPHA, "/admin/posts/hello", {
          method: "POST",
          headers: { ...FORM, Cookie: cookie },
          body: form.toString(),
        });
        expect(saved.status).toBe(303);
        const page = await at(ALPHA, saved.headers.get("location")!, { headers: { Cookie: cookie } });
        expect(await page.text()).toContain("Hello again");
        const preview = await at(ALPHA, "/api/preview", {
          method: "POST",
          headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
          body: JSON.stringify({ markdown: "Changed." }),
        });
        expect(preview.status).toBe(200);
      });
    // Right after opening the editor: the session and the role are held by the isolate.
    expect(await click()).toEqual(["the editor.save", "accounts.record", "the editor.editing"]);
    // Coming back later (nothing held): the session and the role once for the three requests.
    forgetHeldAccess();
    expect((await click()).sort()).toEqual(
      ["sessions.active", "accounts.role", "the editor.save", "accounts.record", "the editor.editing"].sort(),
    );
  });
});
