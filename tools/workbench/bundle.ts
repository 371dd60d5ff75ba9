/**
 * Bundles the workbench's own browser code (the app page and the simulated Teams host) with esbuild, in memory.
 * Only the workbench is bundled here: the controls stay the production bundles pcf-scripts builds.
 */
import * as path from "node:path";
import { build, type Plugin } from "esbuild";

export interface PageBundles {
  readonly app: string;
  readonly teams: string;
}

/**
 * The Teams dispatcher imports the connector toolkit's index, which also holds Node-only parts (the stand-in server,
 * the swagger reader); in the browser it needs only the request builder, so that import resolves there.
 */
function connectorForBrowser(root: string): Plugin {
  const dispatcher = path.join(root, "tools", "flow", "dispatchers", "teams.ts");
  return {
    name: "connector-for-browser",
    setup(b) {
      b.onResolve({ filter: /^\.\.\/\.\.\/connector$/ }, (args) =>
        args.importer === dispatcher ? { path: path.join(root, "tools", "connector", "requestBuilder.ts") } : undefined,
      );
    },
  };
}

export async function bundlePages(root: string): Promise<PageBundles> {
  const pageDir = path.join(root, "tools", "workbench", "page");
  const result = await build({
    entryPoints: { app: path.join(pageDir, "app.ts"), teams: path.join(pageDir, "teams.ts") },
    bundle: true,
    write: false,
    outdir: "/workbench",
    platform: "browser",
    format: "iife",
    target: "chrome110",
    charset: "utf8",
    logLevel: "silent",
    plugins: [connectorForBrowser(root)],
  });
  const text = (name: string) => {
    const file = result.outputFiles.find((f) => path.basename(f.path) === `${name}.js`);
    if (!file) throw new Error(`tools/workbench/bundle.ts: esbuild produced no ${name}.js`);
    return file.text;
  };
  return { app: text("app"), teams: text("teams") };
}
