/**
 * `npm run import -- list.csv --subscribers`: another platform's subscriber export into a blog. The
 * file is read here first, with the administration's own rules (core/subscriber-csv.ts), so a
 * problem is named by file and line before anything is sent; then the blog imports it through
 * `POST /api/subscribers/import`, all or nothing, as the owners' page does. Subscribers live in
 * the blog's Subscribers object, which only the running worker can write: this needs its address
 * and a token of an owner.
 */
import { readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { MAIN_BLOG } from "../../src/core/blogs";
import { CONFIRMATIONS_PER_STEP, STEP_SECONDS } from "../../src/core/jobs";
import { describeFailure, describeProblem, readSubscriberCsv } from "../../src/core/subscriber-csv";
import { runningDevServer } from "../lib/dev-server";

export interface SubscriberImportOptions {
  file: string;
  blog: string;
  /** The list already agreed to receive the blog's mail: confirmed at once (otherwise each is asked). */
  consented: boolean;
  /** Import the good rows and list the others, instead of importing nothing. */
  skipBadRows: boolean;
  dryRun: boolean;
  /** The blog's address; default: where `npm run dev` serves it. */
  url?: string;
  /** An owner's personal token or the operator's ADMIN_TOKEN; default: EDGE_BLOG_TOKEN, else (locally) .dev.vars. */
  token?: string;
  root: string;
  log?: (line: string) => void;
}

/** Where the blog answers locally: `npm run dev`'s port, the main blog at localhost, the others at <name>.localhost. */
function localUrl(root: string, blog: string): string {
  const port = runningDevServer(root)?.port ?? "8787";
  return `http://${blog === MAIN_BLOG ? "" : `${blog}.`}localhost:${port}`;
}

const isLocal = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1";

/** The ADMIN_TOKEN of .dev.vars, which `npm run dev` serves with. */
async function devToken(root: string): Promise<string | undefined> {
  const text = await readFile(join(root, ".dev.vars"), "utf8").catch(() => "");
  return /^\s*ADMIN_TOKEN\s*=\s*"?([^"\n]+?)"?\s*$/m.exec(text)?.[1];
}

/**
 * POSTs the CSV and reads the JSON answer. node:http, not fetch: a `*.localhost` host must reach
 * 127.0.0.1 with its Host header kept (Node's resolver and fetch do neither).
 */
function post(url: URL, token: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: isLocal(url.hostname) ? "127.0.0.1" : url.hostname,
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        servername: url.hostname,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          Host: url.host,
          Authorization: `Bearer ${token}`,
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Length": Buffer.byteLength(body),
          Accept: "application/json",
        },
        timeout: 120_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
          } catch {
            reject(new Error(`${url.origin} answered ${res.statusCode} without JSON: is it this platform's blog?`));
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${url.origin} did not answer within 2 minutes`)));
    req.on("error", (err) =>
      reject(new Error(`cannot reach ${url.origin} (${err.message}); is the blog running (npm run dev), or give --url`)),
    );
    req.end(body);
  });
}

/** Imports a subscriber list; returns the process exit code. */
export async function importSubscribers(opts: SubscriberImportOptions): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const text = await readFile(opts.file, "utf8").catch(() => null);
  if (text === null) {
    log(`${opts.file}: no such file\nNothing was imported.`);
    return 1;
  }
  log(`Reading ${opts.file} …`);
  const list = readSubscriberCsv(text);
  if ("failure" in list) {
    log(`  ${opts.file}: ${describeFailure(list)}\nNothing was imported.`);
    return 1;
  }
  for (const p of list.problems) log(`  ${opts.file}: ${describeProblem(p)}`);
  if (list.problems.length && !opts.skipBadRows) {
    log(
      `Nothing was imported: fix ${list.problems.length === 1 ? "this row" : `these ${list.problems.length} rows`}, or add --skip-bad-rows to import the others.`,
    );
    return 1;
  }
  log(
    `  ${list.emails.length} address(es) in the column "${list.column}"` +
      (list.duplicates ? `, ${list.duplicates} repeated row(s) merged` : "") +
      (list.notSubscribed ? `, ${list.notSubscribed} row(s) the export marks as unsubscribed left out` : "") +
      (list.problems.length ? `, ${list.problems.length} row(s) with a problem left out` : ""),
  );
  if (opts.dryRun) {
    log("--dry-run: nothing was sent to the blog.");
    return 0;
  }

  const url = new URL("/api/subscribers/import", opts.url ?? localUrl(opts.root, opts.blog));
  url.searchParams.set("consented", String(opts.consented));
  if (opts.skipBadRows) url.searchParams.set("skipBadRows", "true");
  const token = opts.token ?? process.env.EDGE_BLOG_TOKEN ?? (isLocal(url.hostname) ? await devToken(opts.root) : undefined);
  if (!token) {
    log(
      "No token: set EDGE_BLOG_TOKEN to a personal token of one of the blog's owners (Administration → Your account → Tokens), or to the operator's ADMIN_TOKEN.\nNothing was imported.",
    );
    return 1;
  }
  log(`Importing into ${url.origin} …`);
  const { status, json } = await post(url, token, text);
  if (status !== 200) {
    const error = json.error as { code?: string; message?: string } | undefined;
    log(`  the blog refused (${status} ${error?.code ?? ""}): ${error?.message ?? "no reason given"}\nNothing was imported.`);
    return 1;
  }
  const r = json.import as { added: number; kept: number; unsubscribedBefore: number; toConfirm: number };
  log(
    `  ${r.added} new subscriber(s), ${r.kept} already subscribed` +
      (r.unsubscribedBefore ? `, ${r.unsubscribedBefore} who unsubscribed from this blog before (not subscribed again)` : "") +
      ".",
  );
  if (r.toConfirm)
    log(
      `  ${r.toConfirm} will be asked by mail to confirm, ${CONFIRMATIONS_PER_STEP} every ${STEP_SECONDS} seconds; the owners' page /admin/subscribers shows how many are left.`,
    );
  else if (opts.consented) log("  They receive the next post.");
  return 0;
}
