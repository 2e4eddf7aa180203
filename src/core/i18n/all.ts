/**
 * Every catalog, for `npm run catalogs` (which writes the JSON the worker reads) and the tests;
 * the worker itself never imports this. A new language: its file beside these, and a line here.
 */
import { de } from "./de";
import { en, type Messages } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { pt } from "./pt";

export const CATALOGS: Record<string, Messages> = { en, fr, es, de, it, pt };
