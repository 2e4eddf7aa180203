import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPENAPI_FILE, openApiText } from "../../scripts/openapi";

describe("public/openapi.json", () => {
  it("is what the route validators generate now (run `npm run openapi` after changing one)", () => {
    expect(readFileSync(OPENAPI_FILE, "utf8")).toBe(openApiText());
  });
});
