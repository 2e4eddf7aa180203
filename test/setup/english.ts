/**
 * Node-side tests render views and mails without a worker: they hold English as the worker holds
 * it once read from its assets (data/catalogs.ts).
 */
import { keepMessages } from "../../src/core/i18n";
import { CATALOGS } from "../../src/core/i18n/all";

keepMessages("en", CATALOGS.en!);
