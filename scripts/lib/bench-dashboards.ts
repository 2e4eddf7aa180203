/**
 * `npm run bench`: signed-in dashboards on many blogs at once against one blog alone. Each blog
 * gets an owner signed in the way a person is (invited, the mailed link accepted: a session in the
 * blog's own Sessions object, a role in its own Accounts object); then the same number of
 * connections asks /admin of one blog, and of BLOGS blogs, one connection each.
 */
import autocannon from "autocannon";
import type { Miniflare } from "miniflare";

const BLOGS = 50;

/** What both Node's fetch and Miniflare's dispatchFetch answer. */
type Answer = { status: number; text(): Promise<string>; headers: { get(name: string): string | null } };

async function ok<R extends Answer>(res: R, status: number, what: string): Promise<R> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res;
}

/** Makes blog `name` with an owner and signs them in; answers the session cookie. */
async function signedInOwner(mf: Miniflare, url: string, token: string, name: string): Promise<string> {
  const operator = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  await ok(
    await fetch(`${url}/api/admin/blogs`, { method: "POST", headers: operator, body: JSON.stringify({ name, title: name }) }),
    201,
    name,
  );
  const host = `http://${name}.localhost`;
  const email = `owner@${name}.example`;
  await ok(
    await mf.dispatchFetch(`${host}/api/members`, { method: "POST", headers: operator, body: JSON.stringify({ email, role: "owner" }) }),
    202,
    `inviting to ${name}`,
  );
  let invite: string | undefined;
  for (let i = 0; i < 100 && !invite; i++) {
    const box = (await (await mf.dispatchFetch(`${host}/api/admin/outbox`, { headers: operator })).json()) as {
      messages: { to: string; text: string }[];
    };
    invite = /\/invite\/accept\?token=([^\s"&<]+)/.exec(box.messages.find((m) => m.to === email)?.text ?? "")?.[1];
    if (!invite) await new Promise((r) => setTimeout(r, 20));
  }
  if (!invite) throw new Error(`no invitation mailed on ${name}`);
  const accepted = await ok(
    await mf.dispatchFetch(`${host}/invite/accept`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=${invite}`,
      redirect: "manual",
    }),
    303,
    `accepting on ${name}`,
  );
  return accepted.headers.get("set-cookie")!.split(";")[0]!;
}

async function dashboards(url: string, targets: { host: string; cookie: string }[], connections: number, seconds: number) {
  const runs = await Promise.all(
    targets.map((t) =>
      autocannon({
        url,
        connections,
        duration: seconds,
        requests: [{ method: "GET", path: "/admin", headers: { host: t.host, cookie: t.cookie } }],
      } as autocannon.Options),
    ),
  );
  const errors = runs.reduce((n, r) => n + r.errors + r.non2xx, 0);
  if (errors) throw new Error(`${errors} dashboard requests failed`);
  const total = runs.reduce((n, r) => n + r.requests.total, 0) / seconds;
  return { total, perBlog: total / targets.length, p99: Math.max(...runs.map((r) => r.latency.p99)) };
}

/** The figures as lines of results.md. */
export async function benchDashboards(mf: Miniflare, url: string, token: string, rounds: number): Promise<string[]> {
  const targets: { host: string; cookie: string }[] = [];
  for (let i = 0; i < BLOGS; i++) {
    const name = `desk-${i}`;
    targets.push({ host: `${name}.localhost`, cookie: await signedInOwner(mf, url, token, name) });
  }
  const seconds = 3;
  const one: number[] = [];
  const many: number[] = [];
  const p99 = { one: 0, many: 0 };
  await dashboards(url, targets, 1, 1);
  for (let r = 0; r < rounds; r++) {
    // Alternately first, so drift on the machine falls on both alike.
    for (const kind of r % 2 ? ["many", "one"] : ["one", "many"]) {
      if (kind === "one") {
        const run = await dashboards(url, [targets[0]!], BLOGS, seconds);
        one.push(run.total);
        p99.one = Math.max(p99.one, run.p99);
      } else {
        const run = await dashboards(url, targets, 1, seconds);
        many.push(run.total);
        p99.many = Math.max(p99.many, run.p99);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = many.map((m, i) => m / one[i]!);
  return [
    `Signed-in dashboards (GET /admin as each blog's owner, a session cookie; ${BLOGS} connections in all, ${rounds} rounds of ${seconds} s): ` +
      `one blog alone ${median(one).toFixed(0)} req/s (p99 ${p99.one.toFixed(0)} ms); ${BLOGS} blogs in parallel, one connection each, ` +
      `${median(many).toFixed(0)} req/s in all, ${(median(many) / BLOGS).toFixed(1)} per blog (p99 ${p99.many.toFixed(0)} ms): ` +
      `${median(ratios).toFixed(2)}× the one blog's (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}). ` +
      "Each request reads its blog's own Sessions (held per isolate for 5 s) and Accounts objects and nothing shared by all blogs; " +
      "here every blog runs in one workerd process on this machine's cores, which is all they share.",
  ];
}
