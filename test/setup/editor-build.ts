import { buildEditor } from "../../scripts/build-editor.mjs";

/** vitest globalSetup of the browser tests: builds public/editor/rich.js from editor/ as it is now. */
export default async function setup(): Promise<void> {
  await buildEditor({ quiet: true });
}
