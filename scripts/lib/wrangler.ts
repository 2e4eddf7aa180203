import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { kvMetadata } from "../../src/core/keys";
import { localRead, localWrite } from "./local-kv";

export interface KvTarget {
  remote: boolean;
  persistTo?: string;
  /** Folder holding wrangler.toml and node_modules. */
  root: string;
}

/**
 * Runs wrangler, up to three times: every KV command here is idempotent, and a local run fails
 * now and then with workerd's "internal error" while `wrangler dev` uses the same state on a
 * loaded machine (seen in CI); the last failure is the one reported.
 */
async function wrangler(target: KvTarget, args: string[], flags = kvFlags(target)): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await wranglerOnce(target, args, flags);
    } catch (err) {
      if (attempt === 3) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** Where a command acts: production, or the local state (in `--persist-to DIR` when given). */
function placeFlags(target: KvTarget): string[] {
  const flags = [target.remote ? "--remote" : "--local"];
  if (target.persistTo) flags.push("--persist-to", resolve(target.persistTo));
  return flags;
}

const kvFlags = (target: KvTarget) => ["--binding", "POSTS", ...placeFlags(target)];

/** Runs the project's own wrangler with `flags`; resolves with stdout, rejects with stderr. */
function wranglerOnce(target: KvTarget, args: string[], flags: string[]): Promise<string> {
  // EDGE_BLOG_WRANGLER lets a test put a failing wrangler in the way; normally the project's own.
  const bin = process.env.EDGE_BLOG_WRANGLER || join(target.root, "node_modules", ".bin", "wrangler");
  return new Promise((done, fail) => {
    const child = spawn(bin, [...args, ...flags], {
      cwd: target.root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      if (code === 0) done(out);
      else
        fail(
          new Error(
            `wrangler ${args.slice(0, 3).join(" ")} failed (exit ${code}): ${(err || out).trim().split("\n").slice(-5).join("\n")}`,
          ),
        );
    });
  });
}

/**
 * Whether KV is reached in this process (local storage) rather than through wrangler runs
 * (production; or a wrangler named by EDGE_BLOG_WRANGLER, which the tests use to fail on purpose).
 */
const inProcess = (target: KvTarget) => !target.remote && !process.env.EDGE_BLOG_WRANGLER;
/** Keys written or deleted at once in this process (what a wrangler bulk file holds is written the same way, in order). */
const LOCAL_BATCH = 500;

/** The value of one key, or null when it is not there. */
export async function kvGet(target: KvTarget, key: string): Promise<string | null> {
  if (inProcess(target)) return (await localRead(target.root, target.persistTo, [key])).get(key) ?? null;
  const out = await wrangler(target, ["kv", "key", "get", key, "--text"]);
  const text = out.replace(/\n$/, "");
  return text === "Value not found" ? null : text;
}

/**
 * The values of several keys (null: not there) with one wrangler run: locally it prints
 * `{ key: { value } }`, remotely the API's `{ key: value }`; then "Success!".
 */
export async function kvGetMany(target: KvTarget, keys: string[]): Promise<Map<string, string | null>> {
  if (inProcess(target)) return localRead(target.root, target.persistTo, keys);
  const out = await withJsonFile(keys, (path) => wrangler(target, ["kv", "bulk", "get", path]));
  const json = out.slice(out.indexOf("{"), out.lastIndexOf("}") + 1);
  const values = JSON.parse(json) as Record<string, string | null | { value: string | null }>;
  return new Map(
    keys.map((key) => {
      const v = Object.hasOwn(values, key) ? values[key] : null;
      return [key, v !== null && typeof v === "object" ? v.value : (v ?? null)];
    }),
  );
}

async function withJsonFile<T>(data: unknown, run: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "edge-blog-publish-"));
  const path = join(dir, "bulk.json");
  try {
    await writeFile(path, JSON.stringify(data));
    return await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the pairs, each with its KV metadata (kvMetadata: the sources keys' hashes, which nightly backups compare). */
export async function kvBulkPut(target: KvTarget, pairs: [string, string][]): Promise<string> {
  if (inProcess(target)) {
    const items = pairs.map(([key, value]) => [key, value, kvMetadata(key, value) ?? null]);
    await localWrite(target.root, target.persistTo, "put", items, LOCAL_BATCH);
    return "Success!";
  }
  return withJsonFile(
    pairs.map(([key, value]) => ({ key, value, metadata: kvMetadata(key, value) })),
    (path) => wrangler(target, ["kv", "bulk", "put", path]),
  );
}

export async function kvBulkDelete(target: KvTarget, keys: string[]): Promise<string> {
  if (inProcess(target)) {
    await localWrite(target.root, target.persistTo, "delete", keys, LOCAL_BATCH);
    return "Success!";
  }
  return withJsonFile(keys, (path) => wrangler(target, ["kv", "bulk", "delete", path, "--force"]));
}

/** Uploads one file to R2 as `bucket/key` (idempotent: the key names the content). */
export function r2Put(target: KvTarget, bucket: string, key: string, file: string, contentType: string): Promise<string> {
  return wrangler(target, ["r2", "object", "put", `${bucket}/${key}`, "--file", file, "--content-type", contentType], placeFlags(target));
}
