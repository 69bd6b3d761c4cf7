// The gateway embeds dist/ as committed; these checks fail when it no longer matches the sources
// (run `npm run generate && npm run build` and commit dist/ and src/gen/).
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { options } from "../build.mjs";

describe("the committed bundle", () => {
  it("is what the sources build to", async () => {
    const built = await esbuild.build({ ...options, write: false });
    expect(built.outputFiles).toHaveLength(1);
    expect(built.outputFiles[0].text === readFileSync("dist/viewer.js", "utf8"), "dist/viewer.js is stale: npm run build").toBe(true);
    for (const file of ["index.html", "viewer.css"])
      expect(readFileSync(`dist/${file}`, "utf8"), `dist/${file} is stale: npm run build`).toBe(readFileSync(`src/${file}`, "utf8"));
  }, 30_000);

  it("loads nothing from another origin", () => {
    const html = readFileSync("dist/index.html", "utf8");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(readFileSync("dist/viewer.js", "utf8")).not.toMatch(/import\s*\(?\s*["']https?:/);
  });

  it("has protobuf code generated from the contract's proto", () => {
    const out = mkdtempSync(join(tmpdir(), "viewer-gen-"));
    try {
      execFileSync("npx", ["buf", "generate", "-o", out], { stdio: "pipe", env: { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}` } });
      expect(readFileSync(join(out, "src/gen/pandadatastream_pb.ts"), "utf8"), "src/gen is stale: npm run generate")
        .toBe(readFileSync("src/gen/pandadatastream_pb.ts", "utf8"));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
