// Builds the peer's static files into dist/: Enketo's formhub theme (sass, as Enketo Express
// compiles it) and the page script with enketo-core (esbuild, minified, as Express bundles
// it). The form itself is transformed in Chromium by bench/enketo_peer.py (enketo-
// transformer's web build uses the browser's XSLTProcessor; its Node build needs the
// native libxslt, which does not build here).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });

// The published SCSS names one file by its path inside Enketo's own monorepo.
const monorepo = "/packages/enketo-core/node_modules/";
const css = sass.compile(join(here, "src", "theme.scss"), {
  style: "compressed",
  loadPaths: [join(here, "node_modules")],
  silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div", "mixed-decls"],
  quietDeps: true,
  importers: [{
    findFileUrl(url) {
      if (!url.startsWith(monorepo)) return null;
      return pathToFileURL(join(here, "node_modules", url.slice(monorepo.length)) + ".css");
    },
  }],
});
writeFileSync(join(dist, "formhub.css"), css.css);

await esbuild.build({
  entryPoints: [join(here, "src", "entry.js")],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  outfile: join(dist, "enketo.js"),
  logLevel: "warning",
});
