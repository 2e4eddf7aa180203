/**
 * Node-side tests render views and mails without a worker: they hold English as the worker holds
 * it once read from its assets (data/catalogs.ts), and highlight code as the publish script does.
 */
import { keepMessages } from "../../src/core/i18n";
import { CATALOGS } from "../../src/core/i18n/all";

keepMessages("en", CATALOGS.en!);
// And highlight code blocks as the publish script does (the worker asks the federation worker).
import "../../src/core/highlight";
