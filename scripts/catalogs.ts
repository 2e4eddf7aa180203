/**
 * `npm run catalogs`: writes public/i18n/<language>.json from src/core/i18n/ (a test checks they
 * are current). Static assets, not part of the worker: it reads the one a blog speaks through
 * ASSETS (src/data/catalogs.ts). The readers' English stays in the worker, so it has no file; the
 * administration's are all files (public/i18n/admin/).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_CATALOGS, CATALOGS } from "../src/core/i18n/all";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CATALOG_DIR = join(ROOT, "public", "i18n");

/** The files there should be: name (admin/ for the administration's, English included) → text. */
export function catalogFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [language, messages] of Object.entries(CATALOGS)) {
    files.set(`${language}.json`, `${JSON.stringify(messages, null, 2)}\n`);
  }
  for (const [language, messages] of Object.entries(ADMIN_CATALOGS)) {
    files.set(`admin/${language}.json`, `${JSON.stringify(messages, null, 2)}\n`);
  }
  return files;
}

/** The files in the directory now, admin/ ones by that name. */
export function catalogsWritten(): string[] {
  return [
    ...readdirSync(CATALOG_DIR).filter((name) => name.endsWith(".json")),
    ...readdirSync(join(CATALOG_DIR, "admin")).map((name) => `admin/${name}`),
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(join(CATALOG_DIR, "admin"), { recursive: true });
  const files = catalogFiles();
  for (const name of catalogsWritten()) if (!files.has(name)) rmSync(join(CATALOG_DIR, name));
  for (const [name, text] of files) writeFileSync(join(CATALOG_DIR, name), text);
  console.log(`wrote ${files.size} catalogs to ${CATALOG_DIR}`);
}
