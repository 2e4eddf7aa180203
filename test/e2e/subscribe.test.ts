import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, BOTH_WORKERS, launchChromium, publish, ROOT, run, signInAsOperator, startDev, type DevServer } from "./processes";

let work: string;
let state: string;
let posts: string;
let server: DevServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "edge-blog-subscribe-"));
  state = join(work, "state");
  posts = join(work, "posts");
  await cp(join(ROOT, "posts"), posts, { recursive: true });
  const first = await publish("--posts", posts, "--persist-to", state);
  expect(first.code, first.output).toBe(0);
  // The federation worker beside, as deployed: it reads imported subscriber lists (its Exporter entrypoint).
  server = await startDev(state, [...BOTH_WORKERS, "--test-scheduled", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`]);
});

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

async function outbox(): Promise<any[]> {
  const res = await fetch(`${server.url}/api/admin/outbox`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).messages;
}

const link = (text: string, path: string) => new RegExp(`(http://\\S+${path.replace("?", "\\?")}=\\S+)`).exec(text)![1]!;
const cron = async () => {
  const res = await fetch(`${server.url}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
};

async function publishNew(slug: string, title: string) {
  await writeFile(
    join(posts, `${slug}.md`),
    `---\ntitle: "${title}"\ndate: ${new Date().toISOString()}\ntags: [news]\n---\nJust published: ${title}.\n`,
  );
  const result = await publish("--posts", posts, "--persist-to", state);
  expect(result.code, result.output).toBe(0);
}

describe("subscriptions against wrangler dev --test-scheduled", () => {
  it("subscribe without JavaScript, confirm from the outbox, get exactly one announcement, unsubscribe in one click", async () => {
    const subscribed = await fetch(`${server.url}/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "e2e.reader@example.org" }),
    });
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain("Check your inbox");

    // The confirmation mail goes out just after the answer.
    let confirmation: any;
    await vi.waitFor(async () => {
      confirmation = (await outbox()).find((m) => m.to === "e2e.reader@example.org");
      expect(confirmation).toBeDefined();
    });
    expect(confirmation.subject).toContain("Confirm your subscription");
    const confirmUrl = link(confirmation.text, "/subscribe/confirm?token").replace("http://localhost:8787", server.url);
    const page = await fetch(confirmUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm my subscription");
    const confirmed = await fetch(`${server.url}/subscribe/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: new URL(confirmUrl).searchParams.get("token")! }),
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("You are subscribed");

    // The cron finds the post published by file; the jobs queue's consumer under wrangler dev mails it, whole.
    await publishNew("e2e-breaking-news", "E2E breaking news");
    await cron();
    let mails: any[] = [];
    await vi.waitFor(
      async () => {
        mails = (await outbox()).filter((m) => m.subject.startsWith("E2E breaking news"));
        expect(mails).toHaveLength(1);
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(mails[0].to).toBe("e2e.reader@example.org");
    expect(mails[0].headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mails[0].html).toContain('<p style="margin:0 0 1em;">Just published: E2E breaking news.</p>');
    expect(mails[0].text).toContain("Just published: E2E breaking news.");
    await cron();
    await new Promise((r) => setTimeout(r, 3000));
    mails = (await outbox()).filter((m) => m.subject.startsWith("E2E breaking news"));
    expect(mails).toHaveLength(1);

    const unsubscribeUrl = /<([^>]+)>/.exec(mails[0].headers["List-Unsubscribe"])![1]!.replace("http://localhost:8787", server.url);
    const oneClick = await fetch(unsubscribeUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);

    await publishNew("e2e-after-unsubscribe", "E2E after unsubscribe");
    await cron();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await outbox()).some((m) => m.subject.startsWith("E2E after unsubscribe"))).toBe(false);
  });

  it("subscribes from the box on a post page in a real browser", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/posts/the-library-that-never-closes`);
      expect(await page.locator("#subscribe label").textContent()).toBe("To be informed of the latest articles, subscribe:");
      await page.fill("#subscribe-email", "browser.reader@example.org");
      await Promise.all([page.waitForURL(`${server.url}/subscribe`), page.click("#subscribe button")]);
      expect(await page.locator("h1").textContent()).toBe("Check your inbox");
      expect((await outbox()).some((m) => m.to === "browser.reader@example.org")).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it("imports a list from another platform in the browser and asks it to confirm through the jobs queue", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await signInAsOperator(page, server.url);
      await page.goto(`${server.url}/admin/subscribers`);
      const csv = ["Email Address,First Name,Last Name", "one@example.org,One,", "two@example.org,Two,", "ONE@example.org,One again,"].join(
        "\n",
      );
      await page.setInputFiles("#import-file", { name: "mailchimp.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.check('input[name="consent"][value="ask"]');
      await Promise.all([
        page.waitForURL(`${server.url}/admin/subscribers`, { waitUntil: "domcontentloaded" }),
        page.click('form[action="/admin/subscribers"] button[type="submit"]'),
      ]);
      // biome-ignore lint/performance/useDomNodeTextContent: what the owner reads
      const report = await page.locator(".notice").first().innerText();
      expect(report).toContain("Imported from the column “Email Address”. New: 2.");
      expect(report).toContain("Repeated rows: 1.");
    } finally {
      await browser.close();
    }
    // The queue's consumer under wrangler dev mails each of them the confirmation link.
    await vi.waitFor(
      async () => {
        const asked = (await outbox()).filter(
          (m) => m.subject.startsWith("Confirm your subscription") && /^(one|two)@example\.org$/.test(m.to),
        );
        expect(asked.map((m) => m.to).sort()).toEqual(["one@example.org", "two@example.org"]);
      },
      { timeout: 30_000, interval: 500 },
    );
  });

  it("imports a list from the command line (npm run import -- --subscribers) into the running blog", async () => {
    const file = join(work, "substack.csv");
    await writeFile(
      file,
      [
        "email,active_subscription,email_disabled",
        "cli-one@example.org,false,false",
        "cli-gone@example.org,false,true",
        "not an address,false,false",
      ].join("\n"),
    );
    const cli = (...args: string[]) =>
      run("npm", ["run", "--silent", "import", "--", file, "--subscribers", "--url", server.url, ...args], 90_000, {
        EDGE_BLOG_TOKEN: ADMIN_TOKEN,
      });
    // A bad row: named by file and line, nothing imported.
    const refused = await cli("--consented");
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain(`${file}: line 4: “not an address” is not an email address`);
    expect(refused.output).toContain("Nothing was imported");
    const imported = await cli("--consented", "--skip-bad-rows");
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toContain("1 new subscriber(s), 0 already subscribed");
    // Consented: the next post reaches them, and not the address the export marked as unsubscribed.
    await publishNew("for-the-imported", "For the imported");
    await cron();
    let mails: any[] = [];
    await vi.waitFor(
      async () => {
        mails = (await outbox()).filter((m) => m.subject.includes("For the imported"));
        expect(mails.map((m) => m.to)).toContain("cli-one@example.org");
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(mails.map((m) => m.to)).not.toContain("cli-gone@example.org");
  });

  it("answers the JSON API with 202 and bad addresses with 400", async () => {
    const ok = await fetch(`${server.url}/api/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "api@example.org" }),
    });
    expect(ok.status).toBe(202);
    const bad = await fetch(`${server.url}/api/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "nope" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe("invalid_email");
    expect((await fetch(`${server.url}/api/admin/outbox`)).status).toBe(401);
  });
});
