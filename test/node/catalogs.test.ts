import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG_DIR, catalogFiles } from "../../scripts/catalogs";
import { CATALOGS } from "../../src/core/i18n/all";
import { en } from "../../src/core/i18n/en";

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

describe("the language catalogs", () => {
  it("are in public/i18n as src/core/i18n writes them (run `npm run catalogs` after changing one)", () => {
    const files = catalogFiles();
    expect(readdirSync(CATALOG_DIR).sort()).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(readFileSync(join(CATALOG_DIR, name), "utf8"), name).toBe(text);
  });

  it("fill the same places as English, and count with the language's own plural forms", () => {
    const english = texts(en);
    for (const [code, messages] of Object.entries(CATALOGS)) {
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
