import { expect } from "vitest";
import { ADMIN_TOKEN, at, createBlog, makePost, publish } from "./helpers";

/** Accounts, invitations and sign-in as people go through them (the mailed links), shared by the people and hardening tests. */
export const OPERATOR = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };
export const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
export const ALPHA = "alpha.localhost";
export const BETA = "beta.localhost";

export async function outbox(host: string): Promise<{ to: string; subject: string; text: string }[]> {
  return ((await (await at(host, "/api/admin/outbox", { headers: OPERATOR })).json()) as { messages: any[] }).messages;
}

/** Invites a member through the API and accepts in their name with the mailed link; answers their person id. */
export async function addMember(host: string, email: string, role: string): Promise<number> {
  const res = await invite(host, email, role);
  expect(res.status).toBe(202);
  const mail = await mailTo(host, email, "You are invited");
  const token = decodeURIComponent(/\/invite\/accept\?token=([^\s"&<]+)/.exec(mail.text)![1]!);
  const accepted = await at(host, "/invite/accept", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(token)}` });
  expect(accepted.status).toBe(303);
  const { members } = (await (await at(host, "/api/members", { headers: OPERATOR })).json()) as { members: any[] };
  return members.find((m) => m.email === email).personId;
}

export const invite = (host: string, email: string, role: string, headers: Record<string, string> = OPERATOR) =>
  at(host, "/api/members", { method: "POST", headers, body: JSON.stringify({ email, role }) });

/**
 * The newest mail to `email` whose subject starts with `subject`, once there are more than `seen`
 * of them; mail goes out after the answer, so it may take a moment.
 */
export async function mailTo(
  host: string,
  email: string,
  subject: string,
  seen = 0,
): Promise<{ to: string; subject: string; text: string }> {
  // Mail leaves after the answer (waitUntil): up to 10 s on a machine busy with other tests.
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const all = (await outbox(host)).filter((m) => m.to === email && m.subject.startsWith(subject));
    if (all.length > seen) return all.at(-1)!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no mail "${subject}…" to ${email}`);
}

export const linkIn = (text: string) => decodeURIComponent(/\/signin\/confirm\?token=([^\s"&<]+)/.exec(text)![1]!);

/** Signs a member in through the mailed link; answers the session cookie. */
export async function signInAs(host: string, email: string): Promise<string> {
  // Signed in before: wait for this request's mail, not the last one's (its link is spent).
  const seen = (await outbox(host)).filter((m) => m.to === email && m.subject.startsWith("Sign in")).length;
  const asked = await at(host, "/signin", { method: "POST", headers: FORM, body: `email=${encodeURIComponent(email)}` });
  expect(asked.status).toBe(200);
  const mail = await mailTo(host, email, "Sign in", seen);
  const done = await at(host, "/signin/confirm", { method: "POST", headers: FORM, body: `token=${encodeURIComponent(linkIn(mail.text))}` });
  expect(done.status).toBe(303);
  expect(done.headers.get("location")).toBe("/admin");
  return done.headers.get("set-cookie")!.split(";")[0]!;
}

export async function setUp() {
  await createBlog("alpha", "Alpha");
  await createBlog("beta", "Beta");
  await publish([makePost({ slug: "hello", date: new Date(Date.now() - 3_600_000).toISOString() })], new Date(), "alpha");
}

/** The CSRF token a signed-in page carries for the JSON API. */
export async function csrfOf(cookie: string, host = ALPHA): Promise<string> {
  const page = await (await at(host, "/admin", { headers: { Cookie: cookie } })).text();
  return /data-csrf="([^"]+)"/.exec(page)![1]!;
}
