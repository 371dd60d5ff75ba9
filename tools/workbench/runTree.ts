/**
 * A flow run's history as a tree for the workbench's flows panel: each action of the definition in the order it
 * first ran, containers holding their actions, one node per execution (loop repetitions as #n), retries and errors
 * kept. Actions that never ran (not reached, or in a branch not taken) are left out, as the run history shows them.
 */
import type { ActionDefinition, ActionRun, FlowFile, RunResult } from "../flow/runner";

export interface RunTreeNode {
  readonly name: string;
  readonly type: string;
  readonly status: ActionRun["status"];
  /** "#2" or "#1.3" for repetitions inside loops; empty otherwise. */
  readonly repetition: string;
  /** Seconds from the run's start on the run's clock. */
  readonly startedAfterSeconds: number;
  readonly retries: readonly number[];
  readonly error?: string;
  readonly children: readonly RunTreeNode[];
}

interface DefinitionNode {
  readonly name: string;
  readonly children: readonly DefinitionNode[];
}

function definitionTree(actions: Readonly<Record<string, ActionDefinition>>): DefinitionNode[] {
  return Object.entries(actions).map(([name, def]) => {
    const inner = [def.actions, def.else?.actions, def.default?.actions, ...Object.values(def.cases ?? {}).map((c) => c.actions)];
    return { name, children: inner.flatMap((a) => (a === undefined ? [] : definitionTree(a))) };
  });
}

export function runTree(flow: FlowFile, run: RunResult): RunTreeNode[] {
  const start = Date.parse(run.startTime);
  const executions = new Map<string, ActionRun[]>();
  const order = new Map<string, number>();
  run.actions.forEach((action, i) => {
    executions.set(action.name, [...(executions.get(action.name) ?? []), action]);
    if (!order.has(action.name)) order.set(action.name, i);
  });
  const NEVER = Number.MAX_SAFE_INTEGER;
  const firstRun = (node: DefinitionNode): number => Math.min(order.get(node.name) ?? NEVER, ...node.children.map(firstRun));
  const build = (nodes: readonly DefinitionNode[]): RunTreeNode[] =>
    nodes
      .filter((node) => firstRun(node) !== NEVER)
      .sort((a, b) => firstRun(a) - firstRun(b))
      .flatMap((node) => {
        const runs = executions.get(node.name) ?? [];
        // A container runs once; its inner actions (with their loop repetitions) hang under that execution.
        return runs.map((action, i) => ({
          name: node.name,
          type: action.type,
          status: action.status,
          repetition: action.repetition.length === 0 ? "" : `#${action.repetition.map((r) => r.index).join(".")}`,
          startedAfterSeconds: Math.round((Date.parse(action.startTime) - start) / 1000),
          retries: (action.retryHistory ?? []).map((r) => r.statusCode),
          ...(action.error !== undefined && { error: `${action.error.code}: ${action.error.message}` }),
          children: i === runs.length - 1 ? build(node.children) : [],
        }));
      });
  return build(definitionTree(flow.properties.definition.actions));
}
