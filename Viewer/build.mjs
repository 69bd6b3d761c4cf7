// Builds the viewer into dist/ (index.html, viewer.js, viewer.css), which the gateway embeds:
//   npm ci && npm run generate && npm run build
// The output is deterministic, so test/bundle.test.ts can check that dist/ matches the sources.
import * as esbuild from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const options = {
  entryPoints: ["src/main.ts"],
  bundle: true,
  format: "esm",
  target: ["chrome110", "firefox110", "safari16"],
  minify: true,
  legalComments: "eof",
  outfile: "dist/viewer.js",
  logLevel: "warning",
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await mkdir("dist", { recursive: true });
  await esbuild.build(options);
  await copyFile("src/index.html", "dist/index.html");
  await copyFile("src/viewer.css", "dist/viewer.css");
}
