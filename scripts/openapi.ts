/**
 * `npm run openapi`: writes public/openapi.json from the route validators (a test checks it is
 * current). A static asset, not part of the worker: the worker reads it through ASSETS and names the blog.
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "../src/openapi";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const OPENAPI_FILE = join(ROOT, "public", "openapi.json");

export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
