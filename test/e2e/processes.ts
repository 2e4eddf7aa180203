import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");
const OFFLINE = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", FORCE_COLOR: "0", CI: "true" };

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Runs a command to completion; never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  timeoutMs = 90_000,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...OFFLINE, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

export const publish = (...args: string[]) => run("npm", ["run", "--silent", "publish", "--", ...args]);

/** `npm run publish` with a wrangler that fails when uploading the listings. */
export const publishWithFailingWrangler = (...args: string[]) =>
  run("npm", ["run", "--silent", "publish", "--", ...args], 90_000, {
    EDGE_BLOG_WRANGLER: resolve(ROOT, "test/fixtures/failing-wrangler.sh"),
  });

export interface DevServer {
  url: string;
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `wrangler dev` (or, with `viaNpm`, the README's `npm run dev`, which publishes posts/
 * first) in its own process group and waits until it answers.
 */
export async function startDev(
  persistTo: string,
  extraArgs: string[] | ((port: number) => string[]) = [],
  extraEnv: Record<string, string> = {},
  viaNpm = false,
): Promise<DevServer & { port: number }> {
  const port = await freePort();
  const args = typeof extraArgs === "function" ? extraArgs(port) : extraArgs;
  const inspector = await freePort();
  const [command, prefix] = viaNpm ? ["npm", ["run", "--silent", "dev", "--"]] : [resolve(ROOT, "node_modules/.bin/wrangler"), ["dev"]];
  const child: ChildProcess = spawn(
    command,
    [
      ...prefix,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      persistTo,
      "--show-interactive-dev-session=false",
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, ...OFFLINE, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d));
  child.stderr!.on("data", (d: Buffer) => (log += d));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    if (!killed) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
      await exited;
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/`);
      if (res.status < 500) {
        await res.arrayBuffer();
        return { url, port, log: () => log, stop };
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer within 60 s:\n${log}`);
}

export const ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef0123456789";

/** `wrangler dev`'s arguments for the reader with the federation worker beside it, as deployed. */
export const BOTH_WORKERS = ["-c", resolve(ROOT, "wrangler.toml"), "-c", resolve(ROOT, "federation/wrangler.toml")];

/** `npm run import` of the test WordPress export into `posts` for `blog` (its images are on a host that does not exist: --no-media). */
export const importFixture = (blog: string, posts: string) =>
  run("npm", [
    "run",
    "--silent",
    "import",
    "--",
    resolve(ROOT, "test/fixtures/import/wordpress.xml"),
    "--blog",
    blog,
    "--posts",
    posts,
    "--no-media",
  ]);

/**
 * Signs a page in with the operator's token and waits for the dashboard's document. Not for its
 * "load" event: on a busy two-core machine one subresource can stall wrangler dev for half a minute
 * (a CI run failed there once), and nothing after this needs the dashboard's styles.
 */
export async function signInAsOperator(page: import("playwright-core").Page, base: string) {
  await page.goto(`${base}/admin?operator`);
  await page.fill("#admin-token", ADMIN_TOKEN);
  await Promise.all([
    page.waitForURL(`${base}/admin`, { waitUntil: "domcontentloaded", timeout: 60_000 }),
    page.click('button[type="submit"]'),
  ]);
}

/** Headless Chromium from Debian, driven by playwright-core. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export interface HostResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request to 127.0.0.1:`port` with its own Host header (a blog's host name): Node's resolver
 * does not resolve `*.localhost` here, and Node's fetch drops a Host header.
 */
export function requestAt(
  port: number,
  host: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HostResponse> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        method: opts.method ?? "GET",
        headers: { ...opts.headers, host: `${host}:${port}`, ...(opts.body ? { "content-length": Buffer.byteLength(opts.body) } : {}) },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", fail);
    req.end(opts.body);
  });
}
