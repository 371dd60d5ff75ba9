import { runFlow, ScriptedDispatcher, VirtualClock, type ActionDefinition, type FlowFile, type RunResult } from "../../../../tools/flow/runner";

function flow(actions: Record<string, ActionDefinition>): FlowFile {
  return {
    properties: {
      connectionReferences: { shared_teams: { api: { name: "shared_teams" }, connection: { connectionReferenceLogicalName: "tcc_teams" } } },
      definition: {
        parameters: { Threshold: { type: "Int", defaultValue: 10 } },
        triggers: { manual: { type: "Request" } },
        actions,
      },
    },
  };
}

const run = (actions: Record<string, ActionDefinition>, dispatcher = new ScriptedDispatcher(), clock = new VirtualClock("2024-01-01T00:00:00Z")) =>
  runFlow(flow(actions), { trigger: { body: { name: "Contoso", amount: 12, lines: [1, 2, 3] } }, dispatcher, clock });

const entry = (r: RunResult, name: string) => r.actions.filter((a) => a.name === name);
const post: ActionDefinition = {
  type: "OpenApiConnection",
  inputs: { host: { connectionName: "shared_teams", operationId: "PostMessage" }, parameters: { "body/text": "@{triggerBody()?['name']}" } },
};

describe("runAfter graph", () => {
  it("runs actions in runAfter order and passes outputs along", async () => {
    const r = await run({
      B: { type: "Compose", inputs: "@concat(outputs('A'), '!')", runAfter: { A: ["Succeeded"] } },
      A: { type: "Compose", inputs: "@triggerBody()?['name']" },
    });
    expect(r.actions.map((a) => a.name)).toEqual(["A", "B"]);
    expect(entry(r, "B")[0].outputs).toBe("Contoso!");
    expect(r.status).toBe("Succeeded");
  });

  it("skips an action whose predecessor ended in a status it does not run after, and fails the run", async () => {
    const r = await run({
      A: { type: "Compose", inputs: "@div(1, 0)" },
      B: { type: "Compose", inputs: "x", runAfter: { A: ["Succeeded"] } },
    });
    expect(entry(r, "A")[0].error?.code).toBe("InvalidTemplate");
    expect(entry(r, "B")[0].status).toBe("Skipped");
    expect(r.status).toBe("Failed");
  });

  it("treats a failure handled by a runAfter-Failed action as handled", async () => {
    const r = await run({
      A: { type: "Compose", inputs: "@div(1, 0)" },
      Handle: { type: "Compose", inputs: "@actions('A')?['error']?['code']", runAfter: { A: ["Failed"] } },
    });
    expect(entry(r, "Handle")[0].outputs).toBe("InvalidTemplate");
    expect(r.status).toBe("Succeeded");
  });

  it("names the action and the expression in an expression error", async () => {
    const r = await run({ A: { type: "Compose", inputs: "@variables('nope')" } });
    expect(r.error?.message).toBe(
      "Unable to process template language expressions in action 'A' inputs: Expression '@variables('nope')' at column 2: the variable 'nope' is not initialized (variables are created by an Initialize variable action)",
    );
  });
});

describe("variables", () => {
  it("initializes, sets, appends and increments", async () => {
    const r = await run({
      Init_n: { type: "InitializeVariable", inputs: { variables: [{ name: "n", type: "integer", value: 1 }] } },
      Init_list: { type: "InitializeVariable", inputs: { variables: [{ name: "list", type: "array" }] }, runAfter: { Init_n: ["Succeeded"] } },
      Inc: { type: "IncrementVariable", inputs: { name: "n", value: 2 }, runAfter: { Init_list: ["Succeeded"] } },
      Append: { type: "AppendToArrayVariable", inputs: { name: "list", value: "@variables('n')" }, runAfter: { Inc: ["Succeeded"] } },
    });
    expect(r.variables).toEqual({ n: 3, list: [3] });
  });

  it("fails setting a value of the wrong type", async () => {
    const r = await run({
      Init: { type: "InitializeVariable", inputs: { variables: [{ name: "n", type: "integer", value: 1 }] } },
      Set: { type: "SetVariable", inputs: { name: "n", value: "text" }, runAfter: { Init: ["Succeeded"] } },
    });
    expect(entry(r, "Set")[0].error?.message).toBe("the variable 'n' is of type integer; the value is of type string");
  });
});

describe("control flow", () => {
  it("evaluates the designer's object-form condition and runs the matching branch", async () => {
    const r = await run({
      Check: {
        type: "If",
        expression: { and: [{ greaterOrEquals: ["@triggerBody()?['amount']", "@parameters('Threshold')"] }, { not: { equals: ["@triggerBody()?['name']", ""] } }] },
        actions: { Yes: { type: "Compose", inputs: "yes" } },
        else: { actions: { No: { type: "Compose", inputs: "no" } } },
      },
    });
    expect(entry(r, "Check")[0].outputs).toEqual({ expression: true });
    expect(entry(r, "Yes")).toHaveLength(1);
    expect(entry(r, "No")).toHaveLength(0);
  });

  it("runs the Switch case equal to the value, or the default", async () => {
    const r = await run({
      S: {
        type: "Switch",
        expression: "@triggerBody()?['amount']",
        cases: { Twelve: { case: 12, actions: { Hit: { type: "Compose", inputs: 1 } } } },
        default: { actions: { Miss: { type: "Compose", inputs: 0 } } },
      },
    });
    expect(r.actions.map((a) => a.name)).toEqual(["Hit", "S"]);
  });

  it("runs a sequential Foreach with item() and records each repetition", async () => {
    const r = await run({
      Init: { type: "InitializeVariable", inputs: { variables: [{ name: "s", type: "string" }] } },
      Each: {
        type: "Foreach",
        foreach: "@triggerBody()?['lines']",
        operationOptions: "Sequential",
        runAfter: { Init: ["Succeeded"] },
        actions: { Add: { type: "AppendToStringVariable", inputs: { name: "s", value: "@{item()}" } } },
      },
    });
    expect(r.variables.s).toBe("123");
    expect(entry(r, "Add").map((a) => a.repetition)).toEqual([[{ loop: "Each", index: 0 }], [{ loop: "Each", index: 1 }], [{ loop: "Each", index: 2 }]]);
  });

  it("keeps each concurrent Foreach repetition's outputs separate", async () => {
    const r = await run({
      Each: {
        type: "Foreach",
        foreach: "@triggerBody()?['lines']",
        actions: {
          Double: { type: "Compose", inputs: "@mul(item(), 2)" },
          Read: { type: "Compose", inputs: "@outputs('Double')", runAfter: { Double: ["Succeeded"] } },
        },
      },
    });
    expect(entry(r, "Read").map((a) => a.outputs)).toEqual([2, 4, 6]);
  });

  it("stops an Until at its count limit", async () => {
    const r = await run({
      Init: { type: "InitializeVariable", inputs: { variables: [{ name: "n", type: "integer", value: 0 }] } },
      Loop: {
        type: "Until",
        expression: "@equals(variables('n'), 100)",
        limit: { count: 3, timeout: "PT1H" },
        runAfter: { Init: ["Succeeded"] },
        actions: { Inc: { type: "IncrementVariable", inputs: { name: "n" } } },
      },
    });
    expect(r.variables.n).toBe(3);
    expect(entry(r, "Loop")[0].outputs).toEqual({ iterationCount: 3, limitReached: "count limit 3" });
  });

  it("ends the run with Terminate's status and error", async () => {
    const r = await run({
      Stop: { type: "Terminate", inputs: { runStatus: "Failed", runError: { code: "NoCustomer", message: "no customer" } } },
      After: { type: "Compose", inputs: 1, runAfter: { Stop: ["Succeeded"] } },
    });
    expect(r.status).toBe("Failed");
    expect(r.error).toEqual({ code: "NoCustomer", message: "no customer" });
    expect(entry(r, "After")).toHaveLength(0);
  });

  it("marks a Scope failed when an action inside fails unhandled", async () => {
    const r = await run({
      Try: { type: "Scope", actions: { Bad: { type: "Compose", inputs: "@int('x')" } } },
      Catch: { type: "Compose", inputs: "@result('Try')[0]['status']", runAfter: { Try: ["Failed"] } },
    });
    expect(entry(r, "Try")[0].status).toBe("Failed");
    expect(entry(r, "Catch")[0].outputs).toBe("Failed");
    expect(r.status).toBe("Succeeded");
  });
});

describe("data operations", () => {
  it("filters, selects and joins", async () => {
    const r = await run({
      Filter: { type: "Query", inputs: { from: "@triggerBody()?['lines']", where: "@greater(item(), 1)" } },
      Pick: { type: "Select", inputs: { from: "@body('Filter')", select: { n: "@item()" } }, runAfter: { Filter: ["Succeeded"] } },
      Text: { type: "Join", inputs: { from: "@body('Filter')", joinWith: ", " }, runAfter: { Pick: ["Succeeded"] } },
    });
    expect(entry(r, "Pick")[0].outputs).toEqual({ body: [{ n: 2 }, { n: 3 }] });
    expect(entry(r, "Text")[0].outputs).toEqual({ body: "2, 3" });
  });

  it("fails ParseJson content that does not match the schema, naming the property", async () => {
    const r = await run({
      Parse: { type: "ParseJson", inputs: { content: '{"id": 5}', schema: { type: "object", required: ["name"], properties: { id: { type: "string" } } } } },
    });
    expect(entry(r, "Parse")[0].error?.message).toBe("The schema validation failed: the content is missing the required property 'name'; 'id' is integer, expected \"string\"");
  });
});

describe("virtual clock, retries and connectors", () => {
  it("advances the virtual clock for a Delay", async () => {
    const r = await run({ Wait: { type: "Wait", inputs: { interval: { count: 2, unit: "Hour" } } } });
    expect(entry(r, "Wait")[0]).toMatchObject({ startTime: "2024-01-01T00:00:00.000Z", endTime: "2024-01-01T02:00:00.000Z" });
  });

  it("dispatches by connection reference with evaluated parameters", async () => {
    const d = new ScriptedDispatcher().on("shared_teams", "PostMessage", { statusCode: 201, body: { id: "m1" } });
    const r = await run({ Post: post }, d);
    expect(d.requests[0]).toMatchObject({ actionName: "Post", apiName: "shared_teams", operationId: "PostMessage", parameters: { "body/text": "Contoso" } });
    // The parameters as written, so that a dispatcher can tell a value an expression produced from one written out.
    expect(d.requests[0].authoredParameters).toEqual({ "body/text": "@{triggerBody()?['name']}" });
    expect(entry(r, "Post")[0].outputs).toMatchObject({ statusCode: 201, body: { id: "m1" } });
  });

  it("retries a 429 after Retry-After on the virtual clock, then succeeds", async () => {
    const d = new ScriptedDispatcher().on("shared_teams", "PostMessage", { statusCode: 429, headers: { "Retry-After": "30" } }, { statusCode: 201 });
    const r = await run({ Post: post }, d);
    expect(entry(r, "Post")[0]).toMatchObject({ status: "Succeeded", endTime: "2024-01-01T00:00:30.000Z", retryHistory: [{ statusCode: 429 }] });
  });

  it("gives up after the default four retries on a persistent 500", async () => {
    const d = new ScriptedDispatcher().on("shared_teams", "PostMessage", { statusCode: 500, body: { error: { message: "boom" } } });
    const r = await run({ Post: post }, d);
    expect(d.requests).toHaveLength(5);
    expect(entry(r, "Post")[0].error).toEqual({ code: "Http500", message: "boom" });
    expect(r.status).toBe("Failed");
  });

  it("does not retry a 400", async () => {
    const d = new ScriptedDispatcher().on("shared_teams", "PostMessage", { statusCode: 400 });
    await run({ Post: post }, d);
    expect(d.requests).toHaveLength(1);
  });

  it("masks secure inputs and outputs in the history but not in expressions", async () => {
    const d = new ScriptedDispatcher().on("shared_teams", "PostMessage", { statusCode: 200, body: { secret: "s3" } });
    const r = await run(
      {
        Post: { ...post, runtimeConfiguration: { secureData: { properties: ["inputs", "outputs"] } } },
        Use: { type: "Compose", inputs: "@body('Post')?['secret']", runAfter: { Post: ["Succeeded"] } },
      },
      d,
    );
    expect(JSON.stringify(entry(r, "Post")[0])).not.toContain("s3");
    expect(JSON.stringify(entry(r, "Post")[0])).not.toContain("Contoso");
    expect(entry(r, "Use")[0].outputs).toBe("s3");
  });

  it("fails an action whose connection is not among the flow's references", async () => {
    const r = await run({ Post: { ...post, inputs: { host: { connectionName: "shared_other", operationId: "X" } } } });
    expect(entry(r, "Post")[0].error?.message).toBe("'Post' uses the connection 'shared_other', which is not in the flow's connectionReferences");
  });
});

describe("trigger concurrency and result() of containers that did not run", () => {
  const slowPost = (log: string[]) => {
    const d = new ScriptedDispatcher();
    d.on("shared_teams", "PostMessage", async (req) => {
      const name = JSON.stringify(req.parameters["body/text"]).replace(/"/g, "");
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      return { statusCode: 200, body: {} };
    });
    return d;
  };
  const withRuns = (runs: number | undefined): FlowFile => {
    const f = flow({ Post: post });
    if (runs !== undefined) f.properties.definition.triggers.manual.runtimeConfiguration = { concurrency: { runs } };
    return f;
  };
  const start = (f: FlowFile, d: ScriptedDispatcher, name: string) => runFlow(f, { trigger: { body: { name } }, dispatcher: d, clock: new VirtualClock("2024-01-01T00:00:00Z") });

  it("queues the runs of one flow when its trigger sets concurrency.runs to 1: the second starts after the first ends", async () => {
    const log: string[] = [];
    const d = slowPost(log);
    const f = withRuns(1);
    const results = await Promise.all([start(f, d, "a"), start(f, d, "b"), start(f, d, "c")]);
    expect(results.map((r) => r.status)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("lets runs overlap without the setting, and keeps going after a queued run fails", async () => {
    const log: string[] = [];
    await Promise.all([start(withRuns(undefined), slowPost(log), "a"), start(withRuns(undefined), slowPost(log), "b")]);
    expect(log.slice(0, 2)).toEqual(["start a", "start b"]);
    const f = withRuns(1);
    f.properties.definition.actions = { Fail: { type: "Compose", inputs: "@div(1, 0)" } };
    const results = await Promise.all([start(f, new ScriptedDispatcher(), "x"), start(f, new ScriptedDispatcher(), "y")]);
    expect(results.map((r) => r.status)).toEqual(["Failed", "Failed"]);
  });

  it("gives an empty result() for a Scope in a branch not taken and for a skipped Scope", async () => {
    const r = await run({
      Branch: { type: "If", expression: "@equals(1, 2)", actions: { Inner: { type: "Scope", actions: { X: { type: "Compose", inputs: 1 } } } } },
      Never: { type: "Scope", actions: { Y: { type: "Compose", inputs: 2 } }, runAfter: { Branch: ["Failed"] } },
      Results: { type: "Compose", inputs: "@concat(string(length(result('Inner'))), string(length(result('Never'))))", runAfter: { Never: ["Skipped"] } },
    });
    expect(entry(r, "Results")[0].outputs).toBe("00");
  });
});
