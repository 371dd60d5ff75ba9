/** `npm run bench`: runs every benchmark in this folder, one after another, each in its own process. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const benches = fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts") && f !== "run.ts").sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, bench)], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
