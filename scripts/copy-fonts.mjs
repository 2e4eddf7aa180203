// Copies the themes' web fonts from their @fontsource packages into public/fonts/ (run by
// `npm install`): the blog serves them from its own origin, and git keeps no binary copies.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FONTS = {
  "source-serif-4": ["latin-wght-normal", "latin-ext-wght-normal"],
  "playfair-display": ["latin-wght-normal", "latin-ext-wght-normal"],
};
const out = join(root, "public", "fonts");
mkdirSync(out, { recursive: true });
let copied = 0;
for (const [family, subsets] of Object.entries(FONTS)) {
  for (const subset of subsets) {
    const name = `${family}-${subset}.woff2`;
    const from = join(root, "node_modules", "@fontsource-variable", family, "files", name);
    if (!existsSync(from)) {
      console.warn(`copy-fonts: ${from} is missing; the themes fall back to system fonts`);
      continue;
    }
    copyFileSync(from, join(out, name));
    copied++;
  }
}
console.log(`copy-fonts: ${copied} font files in public/fonts/`);
