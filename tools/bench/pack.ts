/**
 * Times the solution pipeline after the controls are built: staging, packing each zip, verifying it.
 * Target (issue 2): pack under 2 s on a 2-core machine.
 */
import fs from "node:fs";
import path from "node:path";
import { pack } from "../build/pack";
import { repositorySources, stage } from "../build/stage";
import { verifyZip } from "../build/verify";

const ROOT = path.resolve(__dirname, "../..");
const RUNS = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const sources = repositorySources(ROOT);
  if (!sources.controlDirs.every((d) => fs.existsSync(path.join(d, "ControlManifest.xml")))) {
    console.log("pack benchmark: the controls are not built; run npm run build first");
    process.exitCode = 1;
    return;
  }
  const timings = { stage: [] as number[], pack: [] as number[], verify: [] as number[] };
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    let started = performance.now();
    const { tree } = stage(sources);
    timings.stage.push(performance.now() - started);
    started = performance.now();
    const zip = pack(tree, { managed: true });
    timings.pack.push(performance.now() - started);
    bytes = zip.length;
    started = performance.now();
    await verifyZip(zip, "TeamsCustomerCollaboration_1_0_0_0_managed.zip");
    timings.verify.push(performance.now() - started);
  }
  console.log(`pack benchmark (${RUNS} runs, median; first run ${timings.pack[0].toFixed(0)} ms pack):`);
  for (const [name, values] of Object.entries(timings)) console.log(`  ${name.padEnd(7)} ${median(values).toFixed(1)} ms`);
  console.log(`  zip     ${bytes} bytes`);
}

void main();
