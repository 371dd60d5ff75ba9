/**
 * A production build of a PCF control that a CPU profile can be read against: pcf-scripts' own webpack configuration
 * (production mode, platform-library externals, its loaders) with minimization off, so the code is the shipped code
 * and only the names differ. pcf-scripts has no switch for it (a custom webpack file needs the pcfAllowCustomWebpack
 * feature flag and a file beside the control), so this runs pcf-scripts' webpack configuration itself.
 * Run from the control's project folder, whose pcfconfig.json and featureconfig.json pcf-scripts reads from the
 * current directory: node --import tsx readableBuild.ts <projectDir> <controlFolder> <outDir>
 * Writes <outDir>/<controlFolder>/ with bundle.js, ControlManifest.xml and strings/ copied from the project's
 * regular build (out/controls/<controlFolder>), which must exist.
 */
import { cpSync, existsSync, appendFileSync } from "node:fs";
import * as path from "node:path";

interface PcfControl {
  getControlNamespace(): string;
  getControlName(): string;
}
interface WebpackStats {
  hasErrors(): boolean;
  toString(options: { chunks: boolean; colors: boolean }): string;
}
type Webpack = (config: object, done: (error: Error | null, stats?: WebpackStats) => void) => void;

function main(): void {
  const [projectDir, folder, outDir] = process.argv.slice(2);
  if (projectDir === undefined || folder === undefined || outDir === undefined) throw new Error("readableBuild: usage: readableBuild.ts <projectDir> <controlFolder> <outDir>");
  const regular = path.join(projectDir, "out", "controls", folder);
  if (!existsSync(path.join(regular, "ControlManifest.xml"))) throw new Error(`readableBuild: no regular build in ${regular}; run npm run build:controls first`);
  const pcfScripts = path.dirname(require.resolve("pcf-scripts/package.json", { paths: [projectDir] }));
  /* eslint-disable @typescript-eslint/no-require-imports -- pcf-scripts' internals are CommonJS modules without types */
  const { ControlContext } = require(path.join(pcfScripts, "controlContext.js")) as { ControlContext: new (diag: object, controlPath: string) => PcfControl };
  const { getWebpackConfig, generateStub } = require(path.join(pcfScripts, "webpackConfig.js")) as {
    getWebpackConfig: (control: PcfControl, outDir: string, mode: string, watch: boolean) => { optimization?: object };
    generateStub: (namespace: string, constructor: string) => string;
  };
  const { webpack } = require(require.resolve("webpack", { paths: [pcfScripts] })) as { webpack: Webpack };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const problems: string[] = [];
  const diag = { push: (message: { message?: string }) => problems.push(message.message ?? JSON.stringify(message)), pushA: (message: { message?: string }, args: unknown[]) => problems.push(`${message.message ?? ""} ${args.join(" ")}`) };
  const control = new ControlContext(diag, path.join(projectDir, folder));
  if (problems.length > 0) throw new Error(`readableBuild: pcf-scripts could not read ${folder}'s manifest: ${problems.join("; ")}`);
  const target = path.join(outDir, folder);
  const config = getWebpackConfig(control, target, "production", false);
  config.optimization = { ...config.optimization, minimize: false };
  webpack(config, (error, stats) => {
    if (error !== null || stats === undefined || stats.hasErrors()) {
      console.error(`readableBuild: webpack failed for ${folder}: ${error?.message ?? stats?.toString({ chunks: false, colors: false }) ?? "no stats"}`);
      process.exitCode = 1;
      return;
    }
    appendFileSync(path.join(target, "bundle.js"), generateStub(control.getControlNamespace(), control.getControlName()), "utf8");
    cpSync(path.join(regular, "ControlManifest.xml"), path.join(target, "ControlManifest.xml"));
    if (existsSync(path.join(regular, "strings"))) cpSync(path.join(regular, "strings"), path.join(target, "strings"), { recursive: true });
    console.log(`readableBuild: ${path.join(target, "bundle.js")}`);
  });
}

main();
