import { MAX_TAG_SLUG_LENGTH, slugify } from "./vocabulary";

/** The URL form of a tag name: "Climate Policy" → "climate-policy", "Économie" → "economie". */
export const tagSlug = (name: string): string => slugify(name, MAX_TAG_SLUG_LENGTH);
