import { createExecutionContext, createMessageBatch, getQueueResult, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Job } from "../src/core/jobs";
import { forgetBlogRecords } from "../src/data/blogs";
import { subscribers } from "../src/data/objects";
import worker from "../src/index";
import { at, createBlog, signIn } from "./helpers";
import { addMember, ALPHA, csrfOf as csrfOfApi, OPERATOR, outbox, signInAs } from "./people-helpers";

afterEach(async () => {
  await reset();
  forgetBlogRecords();
});

/**
 * The exports people bring, with the columns each platform writes (the header rows of Substack's
 * email list, Ghost's members CSV and Mailchimp's audience export; WordPress.com's download has an
 * address column whose name has varied, so a plain "email" one stands for it).
 */
const SUBSTACK = [
  "email,active_subscription,expiry,plan,email_disabled,created_at,first_payment_at",
  "ada@example.org,false,,,false,2024-01-02T10:00:00.000Z,",
  "gone@example.org,false,,,true,2024-01-03T10:00:00.000Z,",
  "BOB@Example.org,true,2025-01-01,monthly,false,2024-02-01T10:00:00.000Z,2024-02-01",
].join("\n");
const GHOST = [
  "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers",
  '64a1,cleo@example.org,"Cleo, the writer",,true,false,,2024-03-01T00:00:00.000Z,,"friends, family",',
  "64a2,dan@example.org,Dan,,false,false,,2024-03-02T00:00:00.000Z,,,",
].join("\r\n");
const MAILCHIMP = [
  "\ufeffEmail Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME",
  "eve@example.org,Eve,,2,2024-04-01 10:00:00",
  "ada@example.org,Ada,,5,",
].join("\n");

async function ownerSession(): Promise<{ cookie: string; csrf: string }> {
  await createBlog("alpha", "Alpha");
  await addMember(ALPHA, "owner@example.org", "owner");
  const cookie = await signInAs(ALPHA, "owner@example.org");
  const page = await (await at(ALPHA, "/admin/subscribers", { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1]! };
}

function upload(session: { cookie: string; csrf: string }, csv: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("csrf", session.csrf);
  form.set("file", new File([csv], "export.csv", { type: "text/csv" }));
  form.set("consent", "yes");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return at(ALPHA, "/admin/subscribers", { method: "POST", headers: { Cookie: session.cookie, Origin: `https://${ALPHA}` }, body: form });
}

const statusOf = async (email: string) =>
  (await subscribers(env, "alpha").csv())
    .split("\r\n")
    .find((l) => l.startsWith(`${email},`))
    ?.split(",")[1];

describe("importing subscribers from another platform's export", () => {
  it("reads Substack's, Ghost's and Mailchimp's exports by their email column, merges repeats and leaves out who unsubscribed there", async () => {
    const session = await ownerSession();
    const substack = await upload(session, SUBSTACK);
    expect(substack.status).toBe(200);
    const text = await substack.text();
    expect(text).toContain("Imported from the column “email”. New: 2. Already here: 0.");
    expect(text).toContain("Marked unsubscribed in the export, left out: 1.");
    expect(await statusOf("ada@example.org")).toBe("confirmed");
    expect(await statusOf("bob@example.org")).toBe("confirmed");
    expect(await statusOf("gone@example.org")).toBeUndefined();
    const ghost = await (await upload(session, GHOST)).text();
    expect(ghost).toContain("New: 1.");
    expect(await statusOf("cleo@example.org")).toBe("confirmed");
    expect(await statusOf("dan@example.org")).toBeUndefined();
    const mailchimp = await (await upload(session, MAILCHIMP)).text();
    expect(mailchimp).toContain("Imported from the column “Email Address”. New: 1. Already here: 1.");
    expect(await subscribers(env, "alpha").counts()).toEqual({ confirmed: 4, pending: 0, unsubscribed: 0 });
    // On the dashboard's activity, for the other owners.
    const audit = await (await at(ALPHA, "/api/audit", { headers: OPERATOR })).json<{ entries: { action: string }[] }>();
    expect(audit.entries.filter((e) => e.action === "subscribers.imported")).toHaveLength(3);
  });

  it("imports nothing when a row has a problem, names each by its line, and imports the rest only when asked to", async () => {
    const session = await ownerSession();
    const csv = ["name,email", "Ada,ada@example.org", "Nobody,", '"Quoted, name",not-an-address', "Bob,bob@example.org"].join("\n");
    const refused = await upload(session, csv);
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain("Nothing was imported: 2 rows have problems.");
    expect(text).toContain("Line 3: no email address.");
    expect(text).toContain("Line 4: “not-an-address” is not an email address.");
    expect(await subscribers(env, "alpha").counts()).toEqual({ confirmed: 0, pending: 0, unsubscribed: 0 });
    const partial = await upload(session, csv, { skipProblems: "1" });
    expect(partial.status).toBe(200);
    const partialText = await partial.text();
    expect(partialText).toContain("New: 2.");
    expect(partialText).toContain("2 rows with problems were left out:");
    // A file that is no list at all.
    const noColumn = await upload(session, "name,city\nAda,Paris\n");
    expect(noColumn.status).toBe(400);
    expect(await noColumn.text()).toContain("No column of email addresses in the first line (name, city)");
  });

  it("never subscribes again someone who unsubscribed here, and asks a list without consent to confirm, a step at a time through the jobs queue", async () => {
    const session = await ownerSession();
    const store = subscribers(env, "alpha");
    // Carol unsubscribed from this blog once.
    await store.importAddresses(["carol@example.org"], true, new Date().toISOString());
    const delivery = (
      await store.claimDeliveries([{ slug: "x", title: "X", summary: "", date: new Date(Date.now() + 1000).toISOString() }], 1)
    )[0]!;
    expect((await store.unsubscribe(delivery.unsubscribeToken)).ok).toBe(true);
    const emails = Array.from({ length: 130 }, (_, i) => `reader${i}@example.org`);
    const res = await upload(session, ["email", "carol@example.org", ...emails].join("\n"), { consent: "ask" });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("New: 130.");
    expect(text).toContain("Unsubscribed here before, left alone: 1.");
    expect(text).toContain("130 imported addresses are still to be asked to confirm: the mails go out 100 a minute.");
    expect(await statusOf("carol@example.org")).toBe("unsubscribed");
    expect(await store.counts()).toEqual({ confirmed: 0, pending: 130, unsubscribed: 1 });

    // The queue's consumer, step by step: 100 mails, then the rest in a later step it sends itself.
    const step = async () => {
      const batch = createMessageBatch<Job>("edge-blog-jobs", [
        { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: { kind: "confirmations", blog: "alpha" } },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      return getQueueResult(batch, ctx);
    };
    expect((await step()).explicitAcks).toHaveLength(1);
    expect(await store.dueConfirmations()).toBe(30);
    await step();
    expect(await store.dueConfirmations()).toBe(0);
    const mails = (await outbox(ALPHA)).filter((m) => m.subject === "Confirm your subscription to Alpha");
    expect(mails).toHaveLength(130);
    expect(new Set(mails.map((m) => m.to))).toEqual(new Set(emails));
    expect(mails.some((m) => m.to === "carol@example.org")).toBe(false);
    // A link of these mails confirms, like the form's.
    const token = decodeURIComponent(/subscribe\/confirm\?token=([^\s"&<]+)/.exec(mails[0]!.text)![1]!);
    expect((await store.confirm(token)).ok).toBe(true);
    // Nothing more to send: a further step sends nothing.
    await step();
    expect((await outbox(ALPHA)).filter((m) => m.subject === "Confirm your subscription to Alpha")).toHaveLength(130);
  });

  it("is the owners': an editor is refused, and the page speaks the person's language", async () => {
    await createBlog("alpha", "Alpha");
    await addMember(ALPHA, "editor@example.org", "editor");
    const cookie = await signInAs(ALPHA, "editor@example.org");
    expect((await at(ALPHA, "/admin/subscribers", { headers: { Cookie: cookie } })).status).toBe(403);
    const operator = await at(ALPHA, "/admin/subscribers", { headers: { Cookie: await signIn(ALPHA), "Accept-Language": "fr" } });
    expect(operator.status).toBe(200);
    expect(await operator.text()).toContain("Importer des abonnés");
  });

  it("is an API for scripts (npm run import -- --subscribers): an owner's token imports, all or nothing, in English", async () => {
    const session = await ownerSession();
    const minted = await at(ALPHA, "/api/tokens", {
      method: "POST",
      headers: { Cookie: session.cookie, "X-CSRF-Token": await csrfOfApi(session.cookie), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "import", role: "owner" }),
    });
    expect(minted.status).toBe(201);
    const { token } = await minted.json<{ token: string }>();
    const send = (csv: string, query = "", headers: Record<string, string> = {}) =>
      at(ALPHA, `/api/subscribers/import${query}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", ...headers },
        body: csv,
      });
    // A bad row refuses all of it, and the message names the line.
    const refused = await send("email\nada@example.org\nnot-an-address\n", "?consented=true");
    expect(refused.status).toBe(400);
    const error = (await refused.json<{ error: { code: string; message: string } }>()).error;
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain("line 3: “not-an-address” is not an email address");
    expect(await statusOf("ada@example.org")).toBeUndefined();
    // Asked to leave such rows out, it imports the rest and lists what it left.
    const some = await send("email\nada@example.org\nnot-an-address\n", "?consented=true&skipBadRows=true");
    expect(some.status).toBe(200);
    expect(await some.json()).toMatchObject({
      import: { column: "email", added: 1, skipped: [{ line: 3, kind: "notEmail" }], toConfirm: 0 },
    });
    expect(await statusOf("ada@example.org")).toBe("confirmed");
    // Without consent, each new address waits for its confirmation mail.
    const ghost = await (await send(GHOST)).json<{ import: { added: number; toConfirm: number } }>();
    expect(ghost.import).toMatchObject({ added: 1, toConfirm: 1 });
    expect(await statusOf("cleo@example.org")).toBe("pending");
    // Only a CSV body, only known flags, only owners.
    expect((await send("email\nx@example.org", "", { "Content-Type": "application/json" })).status).toBe(415);
    expect((await send("email\nx@example.org", "?consented=yes")).status).toBe(400);
    expect((await send("", "?consented=true")).status).toBe(400);
    await addMember(ALPHA, "editor@example.org", "editor");
    const editor = await signInAs(ALPHA, "editor@example.org");
    const editorToken = await (
      await at(ALPHA, "/api/tokens", {
        method: "POST",
        headers: { Cookie: editor, "X-CSRF-Token": await csrfOfApi(editor), "Content-Type": "application/json" },
        body: JSON.stringify({ name: "ci", role: "editor" }),
      })
    ).json<{ token: string }>();
    const asEditor = await at(ALPHA, "/api/subscribers/import", {
      method: "POST",
      headers: { Authorization: `Bearer ${editorToken.token}`, "Content-Type": "text/csv" },
      body: "email\nx@example.org",
    });
    expect(asEditor.status).toBe(403);
    const anonymous = await at(ALPHA, "/api/subscribers/import", {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: "email\nx@example.org",
    });
    expect(anonymous.status).toBe(401);
    expect(await statusOf("x@example.org")).toBeUndefined();
  });
});
