/**
 * Throughput of the WDL expression engine: parsing (no cache) and evaluating (parsed once, as a run
 * does inside loops). Run with `npx tsx tools/bench/wdl.ts`.
 */
import { compileTemplate, createContext, evaluateTemplate, parseTemplate } from "../flow/expressions";

const EXPRESSIONS = [
  "@triggerOutputs()?['body/name']",
  "@equals(triggerOutputs()?['body/statecode'], 1)",
  "@concat('Team for ', triggerBody()?['name'], ' (', formatNumber(triggerBody()?['revenue'], 'N0'), ')')",
  "@if(greaterOrEquals(triggerBody()?['revenue'], parameters('Threshold')), 'escalate', 'skip')",
  "Welcome @{triggerBody()?['name']}! Owner: @{coalesce(triggerBody()?['owner'], 'nobody')}",
  "@convertFromUtc(utcNow(), 'China Standard Time', 'yyyy-MM-dd HH:mm')",
  "@length(split(toLower(trim(triggerBody()?['tags'])), ','))",
  "@addDays(startOfDay(utcNow()), 7)",
];

const ctx = createContext({
  now: new Date("2024-06-01T12:00:00Z"),
  trigger: { outputs: { body: { name: "Contoso 客户", statecode: 1, revenue: 1250000, owner: null, tags: " A,B,C " } } },
  parameters: { Threshold: 1000000 },
});

function measure(label: string, iterations: number, body: (i: number) => void): void {
  for (let i = 0; i < Math.min(1000, iterations); i++) body(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(iterations / seconds);
  console.log(`${label.padEnd(34)} ${perSecond.toLocaleString("en-US").padStart(12)} /s  (${iterations} in ${seconds.toFixed(2)} s)`);
}

const N = Number(process.argv[2] ?? 200_000);
measure("parse (uncached)", N, (i) => parseTemplate(EXPRESSIONS[i % EXPRESSIONS.length]));
const compiled = EXPRESSIONS.map((e) => compileTemplate(e));
measure("evaluate (pre-parsed)", N, (i) => evaluateTemplate(compiled[i % compiled.length], ctx));
measure("parse + evaluate (uncached)", N / 2, (i) => evaluateTemplate(parseTemplate(EXPRESSIONS[i % EXPRESSIONS.length]), ctx));
