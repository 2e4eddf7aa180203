/**
 * Every catalog, for `npm run catalogs` (which writes the JSON the worker reads) and the tests;
 * the worker itself never imports this. A new language: its file beside these, and a line here.
 */
import { de } from "./de";
import { en as bundled, enErrors, type Messages } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { pt } from "./pt";
import { adminDe } from "./admin/de";
import { adminEn, type AdminMessages } from "./admin/en";
import { adminEs } from "./admin/es";
import { adminFr } from "./admin/fr";
import { adminIt } from "./admin/it";
import { adminPt } from "./admin/pt";

/** English whole: the worker's copy leaves out the errors' general words, which English never shows. */
const en: Messages = { ...bundled, errors: enErrors };

export const CATALOGS: Record<string, Messages> = { en, fr, es, de, it, pt };

/** The administration's, by the same languages (LANGUAGES in ./index.ts names them for the worker). */
export const ADMIN_CATALOGS: Record<string, AdminMessages> = {
  en: adminEn,
  fr: adminFr,
  es: adminEs,
  de: adminDe,
  it: adminIt,
  pt: adminPt,
};
