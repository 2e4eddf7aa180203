// rich.js is built from editor/rich.ts (scripts/build-editor.mjs): its types are the source's.
export { mountRich } from "../../editor/rich";
