import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, launchChromium, requestAt, startDev, type DevServer } from "./processes";

let state: string;
let server: DevServer & { port: number };

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "edge-blog-people-"));
  server = await startDev(state, ["--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", "PAGE_CACHE_SECONDS:0"]);
});

afterAll(async () => {
  await server?.stop();
  await rm(state, { recursive: true, force: true });
});

async function outbox(host: string): Promise<{ to: string; subject: string; text: string }[]> {
  const res = await requestAt(server.port, host, "/api/admin/outbox", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  return JSON.parse(res.body).messages;
}

describe("+ Create my blog in a real browser", () => {
  it("creates a blog from /create, signs its owner in on its host, publishes, invites an editor, and stays on its own blog", async () => {
    const port = server.port;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://localhost:${port}/create`);
      await page.fill("#create-email", "founder@example.org");
      await page.fill("#create-name", "harbour-notes");
      await page.fill("#create-title", "Harbour Notes");
      await page.click('button[type="submit"]');
      expect(await page.locator("h1").textContent()).toBe("Check your inbox");

      const mail = (await outbox("localhost")).find((m) => m.to === "founder@example.org")!;
      const link = /(http:\/\/\S+\/create\/confirm\?token=\S+)/.exec(mail.text)![1]!;
      await page.goto(link);
      await Promise.all([page.waitForURL(`http://harbour-notes.localhost:${port}/admin`), page.click('button[type="submit"]')]);
      expect(await page.locator("h2").first().textContent()).toBe("Posts");
      expect(await page.locator('a[href="/admin/settings"]').count()).toBe(1);

      // A post written in the browser editor.
      await page.click('a[href="/admin/posts/new"]');
      await page.fill("#ed-slug", "first-light");
      await page.fill("#ed-title", "First light over the harbour");
      // The Markdown view, chosen with the switch above the text (the rich editor is the default).
      const [kept] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/admin/me/editor-mode")),
        page.click('.mode-switch button[data-mode="markdown"]'),
      ]);
      expect(kept.status()).toBe(204);
      await page.fill("#ed-markdown", "The **first** post of a new blog.");
      // Publish puts it online now, and the editor says so with a link to the post.
      await Promise.all([
        page.waitForURL(`http://harbour-notes.localhost:${port}/admin/posts/first-light/edit?saved=published`),
        page.click('button[value="publish"]'),
      ]);
      await Promise.all([page.waitForURL(`http://harbour-notes.localhost:${port}/posts/first-light`), page.click(".post-state a")]);
      expect(await page.locator("h1").textContent()).toBe("First light over the harbour");

      // An editor invited through the members API, as a script on the dashboard would.
      await page.goto(`http://harbour-notes.localhost:${port}/admin`);
      const csrf = await page.locator("#moderation").getAttribute("data-csrf");
      const invited = await page.evaluate(async (token) => {
        const res = await fetch("/api/members", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": token ?? "" },
          body: JSON.stringify({ email: "editor@example.org", role: "editor" }),
        });
        return { status: res.status, body: (await res.json()) as { invitation: { email: string; role: string } } };
      }, csrf);
      expect(invited.status).toBe(202);
      expect(invited.body.invitation).toMatchObject({ email: "editor@example.org", role: "editor" });
      expect((await outbox(`harbour-notes.localhost`)).some((m) => m.to === "editor@example.org")).toBe(true);

      // The owner's session is worth nothing on the main blog.
      const cookie = (await context.cookies(`http://harbour-notes.localhost:${port}`)).find((c) => c.name === "__Host-edge_admin")!;
      const onMain = await requestAt(port, "localhost", "/api/posts/intruder", {
        method: "PUT",
        headers: { "Content-Type": "application/json", Cookie: `${cookie.name}=${cookie.value}`, "X-CSRF-Token": csrf ?? "" },
        body: JSON.stringify({ title: "Intruder", date: new Date().toISOString(), markdown: "x" }),
      });
      expect(onMain.status).toBe(401);
      expect((await requestAt(port, "localhost", "/posts/intruder")).status).toBe(404);
      expect((await requestAt(port, "harbour-notes.localhost", "/")).body).toContain("First light over the harbour");

      // The switch is the person's: signed in on another browser, the editor opens in Markdown.
      const other = await (await browser.newContext()).newPage();
      await other.goto(`http://harbour-notes.localhost:${port}/signin`);
      await other.fill('input[name="email"]', "founder@example.org");
      await other.click('button[type="submit"]');
      const signIn = (await outbox("harbour-notes.localhost")).findLast(
        (m) => m.to === "founder@example.org" && m.subject.startsWith("Sign in"),
      )!;
      await other.goto(/(http:\/\/\S+\/signin\/confirm\?token=\S+)/.exec(signIn.text)![1]!);
      await Promise.all([other.waitForURL(`http://harbour-notes.localhost:${port}/admin`), other.click('button[type="submit"]')]);
      await other.goto(`http://harbour-notes.localhost:${port}/admin/posts/first-light/edit`);
      await other.waitForSelector('.mode-switch button[data-mode="markdown"][aria-pressed="true"]');
      expect(await other.locator(".ProseMirror").count()).toBe(0);
      expect(await other.inputValue("#ed-markdown")).toBe("The **first** post of a new blog.");
    } finally {
      await browser.close();
    }
  });
});
