import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { localFolder, runningDevServer } from "../../scripts/lib/dev-server";

let root: string;
const note = (pid: number, persistTo?: string) => {
  mkdirSync(join(root, ".wrangler"), { recursive: true });
  writeFileSync(join(root, ".wrangler", "dev-server.json"), JSON.stringify({ pid, port: "8799", ...(persistTo ? { persistTo } : {}) }));
};

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the folder npm run dev serves", () => {
  it("is where publish and pull write without --persist-to, and a different one given is warned of", () => {
    root = mkdtempSync(join(tmpdir(), "dev-note-"));
    const served = join(root, ".state");
    note(process.pid, served);
    const lines: string[] = [];
    expect(localFolder(root, undefined, (l) => lines.push(l))).toBe(served);
    expect(lines.join("\n")).toContain("npm run dev (port 8799) serves");
    lines.length = 0;
    expect(localFolder(root, "elsewhere", (l) => lines.push(l))).toBe("elsewhere");
    expect(lines.join("\n")).toContain("the running server will not show this");
    lines.length = 0;
    expect(localFolder(root, resolve(served), (l) => lines.push(l))).toBe(resolve(served));
    expect(lines).toEqual([]);
  });

  it("is nothing once that npm run dev has ended, or when it serves wrangler's default folder", () => {
    root = mkdtempSync(join(tmpdir(), "dev-note-"));
    expect(runningDevServer(root)).toBeNull();
    // A process that has ended (its note was left behind by a crash).
    const ended = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    note(ended, join(root, ".state"));
    expect(runningDevServer(root)).toBeNull();
    expect(localFolder(root, undefined, () => {})).toBeUndefined();
    note(process.pid);
    expect(localFolder(root, undefined, () => {})).toBeUndefined();
  });
});
