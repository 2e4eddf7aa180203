import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closeLocalKv } from "./local-kv";

/**
 * A command's entry: its options from the arguments (a usage error prints the message and the
 * help, exit 2), `--help` (exit 0), then the work, whose exit code it returns; a failure prints
 * `<name> failed: …` and `afterFailure` (what the user's files or data look like now), exit 1.
 */
export async function runCommand<T>(command: {
  name: string;
  help: string;
  parse: (argv: string[]) => T | "help";
  run: (options: T) => Promise<number>;
  afterFailure: string;
}): Promise<number> {
  let options: T | "help";
  try {
    options = command.parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${command.name}: ${(err as Error).message}\n\n${command.help}`);
    return 2;
  }
  if (options === "help") {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(options);
  } catch (err) {
    console.error(`\n${command.name} failed: ${(err as Error).message}`);
    console.error(command.afterFailure);
    return 1;
  } finally {
    // A local KV runtime this command started (scripts/lib/local-kv.ts) ends with it.
    await closeLocalKv();
  }
}

/** Runs `main` when `moduleUrl` is the script node was started with, and exits with its code. */
export function runIfEntry(moduleUrl: string, main: () => Promise<number>): void {
  if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(moduleUrl)) main().then((code) => process.exit(code));
}
