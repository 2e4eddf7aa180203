/**
 * Which local folder `npm run dev` is serving, so that `npm run publish`, `pull` and `import`
 * without `--persist-to` write where the running server reads (not into wrangler's default folder,
 * where the post would 404). `npm run dev` notes its folder in `.wrangler/dev-server.json` while it
 * runs; a note whose process has ended is ignored.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";

interface Note {
  pid: number;
  port: string;
  /** Absolute; undefined: wrangler's default (.wrangler/state). */
  persistTo?: string;
}

const noteFile = (root: string) => join(root, ".wrangler", "dev-server.json");

/** Called by `npm run dev` once it serves; the note goes when it ends. */
export function noteDevServer(root: string, persistTo: string | undefined, port: string): void {
  mkdirSync(join(root, ".wrangler"), { recursive: true });
  const note: Note = { pid: process.pid, port, ...(persistTo ? { persistTo: resolve(persistTo) } : {}) };
  writeFileSync(noteFile(root), JSON.stringify(note));
  process.on("exit", () => {
    try {
      if ((JSON.parse(readFileSync(noteFile(root), "utf8")) as Note).pid === process.pid) rmSync(noteFile(root), { force: true });
    } catch {
      // Already gone.
    }
  });
}

/** The running `npm run dev`, if any. */
export function runningDevServer(root: string): Note | null {
  let note: Note;
  try {
    note = JSON.parse(readFileSync(noteFile(root), "utf8")) as Note;
    process.kill(note.pid, 0);
  } catch {
    return null;
  }
  return note;
}

/**
 * The local folder a command should use: the one given, or else the one `npm run dev` serves.
 * Says which, and warns when the folder given is not the one being served.
 */
export function localFolder(root: string, given: string | undefined, log: (line: string) => void): string | undefined {
  const dev = runningDevServer(root);
  if (!dev) return given;
  const served = dev.persistTo ?? resolve(root, ".wrangler", "state");
  const shown = relative(process.cwd(), served) || served;
  if (given === undefined) {
    if (dev.persistTo) log(`npm run dev (port ${dev.port}) serves ${shown}: using it (give --persist-to to choose another folder).`);
    return dev.persistTo;
  }
  if (resolve(given) !== served) {
    log(`  warning: npm run dev (port ${dev.port}) serves ${shown}, not ${given}: the running server will not show this.`);
  }
  return given;
}
