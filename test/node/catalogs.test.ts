import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG_DIR, catalogFiles, catalogsWritten } from "../../scripts/catalogs";
import { LANGUAGES } from "../../src/core/i18n";
import { ADMIN_CATALOGS, CATALOGS } from "../../src/core/i18n/all";
import { adminEn } from "../../src/core/i18n/admin/en";

/** Every text of a catalog by its path ("comments.count.one"). */
function texts(node: unknown, path = "", out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof value === "string") out.set(at, value);
    else texts(value, at, out);
  }
  return out;
}

const places = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** English whole (the worker's copy leaves out words English never shows). */
const en = CATALOGS.en!;

describe("the language catalogs", () => {
  it("are in public/i18n as src/core/i18n writes them (run `npm run catalogs` after changing one)", () => {
    const files = catalogFiles();
    expect(catalogsWritten().sort()).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(readFileSync(join(CATALOG_DIR, name), "utf8"), name).toBe(text);
  });

  it("are the languages the worker offers (LANGUAGES), for readers and the administration alike", () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...LANGUAGES].sort());
    expect(Object.keys(ADMIN_CATALOGS).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each([
    ["readers'", en, CATALOGS],
    ["administration's", adminEn, ADMIN_CATALOGS],
  ] as const)("(the %s) fill the same places as English, and count with the language's own plural forms", (_, model, catalogs) => {
    const english = texts(model);
    for (const [code, messages] of Object.entries(catalogs as Record<string, { locale: string }>)) {
      for (const [path, text] of texts(messages)) {
        // A plural form may leave the number out ("un commentaire"); it may not invent a place.
        const form = /\.(zero|one|two|few|many|other)$/.exec(path);
        const model = english.get(form ? path.replace(/\.\w+$/, ".other") : path);
        expect(model, `${code}: ${path} is not in English`).toBeDefined();
        if (form) expect(places(model!), `${code}: ${path}`).toEqual(expect.arrayContaining(places(text)));
        else expect(places(text), `${code}: ${path}`).toEqual(places(model!));
        if (form) {
          const categories = new Intl.PluralRules(messages.locale).resolvedOptions().pluralCategories;
          expect(categories, `${code}: ${path} is not a plural form of ${messages.locale}`).toContain(form[1]);
        }
      }
    }
  });
});
