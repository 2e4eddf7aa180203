import { reset } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { say } from "../src/core/i18n";
import { ADMIN_CATALOGS } from "../src/core/i18n/all";
import { adminEn } from "../src/core/i18n/admin/en";
import { forgetBlogRecords } from "../src/data/blogs";
import { asWords, decode, englishSentences } from "./catalog-text";
import { at, createBlog, makePost, publish } from "./helpers";
import { addMember, FORM, linkIn, OPERATOR, outbox } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

const HOST = "alpha.localhost";
const EMAIL = "owner@example.org";

/** The newest mail to `email` whose subject is `subject`, once the answer's background work has sent it. */
/** The newest such mail once there are more than `seen` (a sign-in again must not take the last one's spent link). */
async function mailWithSubject(email: string, subject: string, seen = 0) {
  // Mail leaves after the answer (waitUntil): up to 10 s on a machine busy with other tests.
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const all = (await outbox(HOST)).filter((m) => m.to === email && m.subject === subject);
    if (all.length > seen) return all.at(-1) as { to: string; subject: string; text: string; html: string };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no mail “${subject}” to ${email}`);
}

/** Signs the member in from a browser that asks for `language`; answers the cookies the sign-in set (session, and a remembered language). */
async function signInAsking(language: string, expectedSubject: string): Promise<{ cookies: string; mail: { text: string; html: string } }> {
  const seen = (await outbox(HOST)).filter((m) => m.to === EMAIL && m.subject === expectedSubject).length;
  const asked = await at(HOST, "/signin", {
    method: "POST",
    headers: { ...FORM, "Accept-Language": language },
    body: `email=${encodeURIComponent(EMAIL)}`,
  });
  expect(asked.status).toBe(200);
  const mail = await mailWithSubject(EMAIL, expectedSubject, seen);
  const done = await at(HOST, "/signin/confirm", {
    method: "POST",
    headers: { ...FORM, "Accept-Language": language },
    body: `token=${encodeURIComponent(linkIn(mail.text))}`,
  });
  expect(done.status).toBe(303);
  const cookies = done.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => !c.endsWith("="))
    .join("; ");
  return { cookies, mail };
}

/** What a page in the blog's own frame (sign-in, "+ Create my blog") says itself: its <main>, which carries the person's language. */
const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)![1]!;

const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

describe("the administration in the signed-in person's language", () => {
  it.each(Object.keys(ADMIN_CATALOGS).filter((code) => code !== "en"))(
    "%s: every page and mail, none of the English catalog's sentences",
    async (code) => {
      const w = ADMIN_CATALOGS[code]!;
      // An English blog: the administration follows the person, not the blog.
      await createBlog("alpha", "Alpha");
      await publish(
        [makePost({ slug: "hello", title: "Hello", date: new Date(Date.now() - 3_600_000).toISOString() })],
        new Date(),
        "alpha",
      );
      await addMember(HOST, EMAIL, "owner");

      // The browser asks for the language: the sign-in page, the mail and everything after speak it.
      const signInPage = await at(HOST, "/signin", { headers: { "Accept-Language": `${code}-XX, en;q=0.5` } });
      expect(signInPage.headers.get("cache-control")).toBe("no-store");
      const signInHtml = await signInPage.text();
      expect(signInHtml).toContain(`<main id="main" class="wrap" lang="${code}">`);
      const seen: [string, string][] = [["/signin", decode(mainOf(signInHtml))]];
      const { cookies, mail } = await signInAsking(`${code}-XX, en;q=0.5`, say(w.mail.signInSubject, { blog: "Alpha" }));
      seen.push(["sign-in mail (text)", mail.text], ["sign-in mail (HTML)", decode(mail.html)]);
      const browser = { Cookie: cookies, "Accept-Language": code };
      const pages = [
        "/admin",
        "/admin/posts/new",
        "/admin/posts/hello/edit",
        "/admin/settings",
        "/admin/people",
        "/admin/me",
        "/admin/media",
        "/admin/followers",
        "/admin/subscribers",
        "/admin/export",
        "/admin/erase",
        "/admin/domain",
        "/admin/backups",
      ];
      let csrf = "";
      for (const path of pages) {
        const res = await at(HOST, path, { headers: browser });
        expect(res.status, path).toBe(200);
        const html = await res.text();
        expect(html, path).toContain(`<html lang="${code}"`);
        csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
        // The mail kept on the dashboard is listed by its subjects: the invitation's speaks the (English) blog's language.
        const kept = html.indexOf(`<h2>${w.dashboard.outboxTitle}</h2>`);
        seen.push([path, decode(kept < 0 ? html : html.slice(0, kept) + html.slice(html.indexOf("</ul>", kept)))]);
      }
      // Forms sent back with problems, and the confirmation step of a deletion.
      const post = (path: string, fields: Record<string, string>) =>
        at(HOST, path, {
          method: "POST",
          headers: { ...browser, ...FORM, Origin: `https://${HOST}` },
          body: new URLSearchParams({ csrf, ...fields }),
        });
      const badSettings = await post("/admin/settings", {
        title: "",
        description: "",
        author: "",
        language: "en",
        timeZone: "Nowhere/City",
        moderation: "open",
        blockedWords: "",
        rateLimit: "5",
      });
      expect(badSettings.status).toBe(400);
      const badSettingsText = decode(await badSettings.text());
      expect(badSettingsText).toContain(say(w.formProblems, { fields: "" }).replace(/\.$/, "").trim());
      seen.push(["settings refused", badSettingsText]);
      const badInvite = await post("/admin/people", { email: "nope", role: "owner" });
      expect(badInvite.status).toBe(400);
      seen.push(["invitation refused", decode(await badInvite.text())]);
      const confirmDelete = await post("/admin/posts/hello", {
        action: "confirm-delete",
        title: "Hello",
        slug: "hello",
        date: "2026-01-01T10:00",
        tz: "UTC",
        updated: "",
        tags: "",
        author: "",
        summary: "",
        cover: "",
        markdown: "x",
      });
      expect(confirmDelete.status).toBe(200);
      seen.push(["delete confirmation", decode(await confirmDelete.text())]);
      const invited = await post("/admin/people", { email: "new@example.org", role: "editor" });
      expect(invited.status).toBe(200);
      seen.push(["invited", decode(await invited.text())]);
      // The operator's pages and "+ Create my blog" follow the browser too.
      for (const [host, path] of [
        [HOST, "/admin?operator"],
        ["blog.example", "/create"],
      ] as const) {
        const res = await at(host, path, { headers: { "Accept-Language": code } });
        expect(res.status, path).toBe(200);
        seen.push([path, decode(mainOf(await res.text()))]);
      }

      const english = englishSentences(w, adminEn);
      expect(english.length).toBeGreaterThan(150);
      for (const [where, text] of seen) {
        for (const [path, sentence] of english)
          expect(asWords(sentence).test(text), `${code} ${where}: ${path}: “${sentence}”`).toBe(false);
      }
    },
  );

  it("keeps a person's choice on /admin/me, on this browser and with the person (a new sign-in brings it back)", async () => {
    await createBlog("alpha", "Alpha");
    await addMember(HOST, EMAIL, "owner");
    // No Accept-Language: English, and the choice offers "as my browser asks".
    const { cookies } = await signInAsking("", say(adminEn.mail.signInSubject, { blog: "Alpha" }));
    const me = await (await at(HOST, "/admin/me", { headers: { Cookie: cookies } })).text();
    expect(me).toContain('<html lang="en"');
    expect(me).toContain(">As my browser asks (English)</option>");
    const chose = await at(HOST, "/admin/me/language", {
      method: "POST",
      headers: { Cookie: cookies, ...FORM, Origin: `https://${HOST}` },
      body: new URLSearchParams({ csrf: csrfIn(me), language: "de" }),
    });
    expect(chose.status).toBe(303);
    const remembered = chose.headers.get("set-cookie")!;
    expect(remembered).toMatch(/^__Host-edge_lang=de;/);
    expect(remembered).toContain("Secure");
    const after = await (await at(HOST, chose.headers.get("location")!, { headers: { Cookie: `${cookies}; __Host-edge_lang=de` } })).text();
    expect(after).toContain('<html lang="de"');
    expect(after).toContain(say(ADMIN_CATALOGS.de!.me.languageSaved, { language: "Deutsch" }));
    expect(after).toMatch(/<option value="de" lang="de" selected="">Deutsch<\/option>/);
    // A new browser that asks for nothing: the sign-in restores the choice.
    const again = await signInAsking("", say(adminEn.mail.signInSubject, { blog: "Alpha" }));
    expect(again.cookies).toContain("__Host-edge_lang=de");
    // A language the platform does not speak is refused, and nothing changes.
    const refused = await at(HOST, "/admin/me/language", {
      method: "POST",
      headers: { Cookie: cookies, ...FORM, Origin: `https://${HOST}` },
      body: new URLSearchParams({ csrf: csrfIn(me), language: "xx" }),
    });
    expect(refused.status).toBe(400);
    // Back to the browser's: the cookie goes.
    const cleared = await at(HOST, "/admin/me/language", {
      method: "POST",
      headers: { Cookie: cookies, ...FORM, Origin: `https://${HOST}` },
      body: new URLSearchParams({ csrf: csrfIn(me), language: "" }),
    });
    expect(cleared.headers.get("set-cookie")).toMatch(/^__Host-edge_lang=;.*Max-Age=0/);
  });

  it("keeps the person's editor, Rich text or Markdown, with them: a new sign-in on any browser brings it back", async () => {
    await createBlog("alpha", "Alpha");
    await addMember(HOST, EMAIL, "editor");
    const { cookies } = await signInAsking("", say(adminEn.mail.signInSubject, { blog: "Alpha" }));
    expect(cookies).not.toContain("__Host-edge_editor");
    const csrf = csrfIn(await (await at(HOST, "/admin/me", { headers: { Cookie: cookies } })).text());
    const choose = (mode: string, token = csrf, cookie = cookies) =>
      at(HOST, "/admin/me/editor-mode", {
        method: "POST",
        headers: { Cookie: cookie, ...FORM, Origin: `https://${HOST}` },
        body: new URLSearchParams({ csrf: token, mode }),
      });
    const chose = await choose("markdown");
    expect(chose.status).toBe(204);
    // The editor page's script reads it: Secure and this host only, but not HttpOnly.
    const cookie = chose.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-edge_editor=markdown;/);
    expect(cookie).toContain("Secure");
    expect(cookie).not.toContain("HttpOnly");
    // Neither another mode, nor a form without its token, nor someone signed out.
    expect((await choose("wysiwyg")).status).toBe(400);
    expect((await choose("rich", "forged")).status).toBe(403);
    expect((await choose("rich", csrf, "")).status).toBe(401);
    // A new browser: the sign-in brings the choice back, and the person's data says it.
    const again = await signInAsking("", say(adminEn.mail.signInSubject, { blog: "Alpha" }));
    expect(again.cookies).toContain("__Host-edge_editor=markdown");
    const data = (await (await at(HOST, "/admin/me/data.json", { headers: { Cookie: again.cookies } })).json()) as { person: object };
    expect(data.person).toMatchObject({ email: EMAIL, editorMode: "markdown" });
    expect((await choose("rich")).status).toBe(204);
    expect((await signInAsking("", say(adminEn.mail.signInSubject, { blog: "Alpha" }))).cookies).toContain("__Host-edge_editor=rich");
  });

  it("invites in the blog's language, and the moderators' buttons on a post speak the person's", async () => {
    await createBlog("alpha", "Alpha");
    const patched = await at(HOST, "/api/admin/blogs/alpha", {
      method: "PATCH",
      headers: OPERATOR,
      body: JSON.stringify({ language: "it" }),
    });
    expect(patched.status).toBe(200);
    const invited = await at(HOST, "/api/members", {
      method: "POST",
      headers: OPERATOR,
      body: JSON.stringify({ email: "new@example.org", role: "editor" }),
    });
    expect(invited.status).toBe(202);
    const mail = await mailWithSubject("new@example.org", say(ADMIN_CATALOGS.it!.mail.inviteSubject, { blog: "Alpha" }));
    expect(mail.text).toContain(say(ADMIN_CATALOGS.it!.mail.invited, { blog: "Alpha", role: ADMIN_CATALOGS.it!.roles.editor }));
    expect(mail.html).toContain('lang="it"');
  });
});
