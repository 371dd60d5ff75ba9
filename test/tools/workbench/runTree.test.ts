import { type ActionDefinition, type FlowFile, runFlow, ScriptedDispatcher, VirtualClock } from "../../../tools/flow/runner";
import { runTree, type RunTreeNode } from "../../../tools/workbench/runTree";

function flow(actions: Record<string, ActionDefinition>): FlowFile {
  return {
    properties: {
      connectionReferences: { shared_teams: { api: { name: "shared_teams" }, connection: { connectionReferenceLogicalName: "tcc_teams" } } },
      definition: { triggers: { manual: { type: "Request" } }, actions },
    },
  };
}

async function treeOf(actions: Record<string, ActionDefinition>, dispatcher = new ScriptedDispatcher()): Promise<RunTreeNode[]> {
  const file = flow(actions);
  const run = await runFlow(file, { trigger: { body: { lines: [1, 2, 3], big: true } }, dispatcher, clock: new VirtualClock("2024-01-01T00:00:00Z") });
  return runTree(file, run);
}

/** name, status and repetition, indented by depth: the shape a maker reads in the panel. */
function outline(nodes: readonly RunTreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${"  ".repeat(depth)}${n.name}${n.repetition} ${n.status}`, ...outline(n.children, depth + 1)]);
}

const post: ActionDefinition = { type: "OpenApiConnection", inputs: { host: { connectionName: "shared_teams", operationId: "PostMessage" }, parameters: { "body/text": "hi" } } };

describe("runTree", () => {
  it("lists top-level actions in the order they ran, not the order the definition declares them", async () => {
    const tree = await treeOf({
      Second: { type: "Compose", inputs: "b", runAfter: { First: ["Succeeded"] } },
      First: { type: "Compose", inputs: "a" },
    });
    expect(outline(tree)).toEqual(["First Succeeded", "Second Succeeded"]);
    expect(tree[0]).toMatchObject({ type: "Compose", startedAfterSeconds: 0, retries: [], children: [] });
  });

  it("hangs a loop's repetitions under the loop, numbered from #0 as the run history numbers them", async () => {
    const tree = await treeOf({
      Each: { type: "Foreach", foreach: "@triggerBody()?['lines']", operationOptions: "Sequential", actions: { Double: { type: "Compose", inputs: "@mul(item(), 2)" } } },
    });
    expect(outline(tree)).toEqual(["Each Succeeded", "  Double#0 Succeeded", "  Double#1 Succeeded", "  Double#2 Succeeded"]);
  });

  it("shows only the branch of a condition that ran; the other branch's actions are left out", async () => {
    const tree = await treeOf({
      Check: {
        type: "If",
        expression: { equals: ["@triggerBody()?['big']", true] },
        actions: { Escalate: { type: "Compose", inputs: "yes" } },
        else: { actions: { Ignore: { type: "Compose", inputs: "no" } } },
      },
    });
    expect(outline(tree)).toEqual(["Check Succeeded", "  Escalate Succeeded"]);
  });

  it("keeps the status codes of retried attempts and the error of an action that failed, and skipped actions after it", async () => {
    const dispatcher = new ScriptedDispatcher().on("shared_teams", "PostMessage", { statusCode: 500, body: { error: { message: "boom" } } });
    const tree = await treeOf({ Post: post, After: { type: "Compose", inputs: "x", runAfter: { Post: ["Succeeded"] } } }, dispatcher);
    expect(outline(tree)).toEqual(["Post Failed", "After Skipped"]);
    expect(tree[0].retries).toEqual([500, 500, 500, 500]);
    expect(tree[0].error).toBe("Http500: boom");
    expect(tree[0].startedAfterSeconds).toBe(0);
  });

  it("measures when an action started from the run's start on the run's clock", async () => {
    const tree = await treeOf({
      Wait: { type: "Wait", inputs: { interval: { count: 2, unit: "Minute" } } },
      Then: { type: "Compose", inputs: "x", runAfter: { Wait: ["Succeeded"] } },
    });
    expect(tree.map((n) => [n.name, n.startedAfterSeconds])).toEqual([
      ["Wait", 0],
      ["Then", 120],
    ]);
  });
});
