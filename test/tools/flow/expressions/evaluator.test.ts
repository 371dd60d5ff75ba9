import { createContext, evaluate, evaluateDeep, WdlError, type ContextData } from "../../../../tools/flow/expressions";

const data: ContextData = {
  trigger: { outputs: { headers: { "x-id": "7" }, body: { name: "Contoso", owner: null, lines: [{ qty: 2 }, { qty: 3 }], nested: { deep: { value: 42 } } } } },
  actions: { Get_row: { outputs: { statusCode: 200, body: { accountid: "a-1", "@odata.etag": "W/1" } } }, Compose: { outputs: "composed" } },
  variables: { count: 3, tags: ["a", "b"] },
  parameters: { "Threshold (tcc_Threshold)": 100000 },
  loops: [{ name: "Each_line", item: { qty: 2 }, index: 0 }],
};
const ctx = createContext(data);
const run = (s: string) => evaluate(s, ctx);

function errorOf(s: string): WdlError {
  try {
    run(s);
  } catch (e) {
    if (e instanceof WdlError) return e;
    throw e;
  }
  throw new Error(`expected '${s}' to fail`);
}

describe("whole-value expressions and interpolation", () => {
  it("keeps the type of a whole-value expression", () => {
    expect(run("@variables('count')")).toBe(3);
  });

  it("turns an interpolation into a string even when it is the whole value", () => {
    expect(run("@{variables('count')}")).toBe("3");
  });

  it("renders null as empty text in an interpolation", () => {
    expect(run("[@{triggerBody()?['owner']}]")).toBe("[]");
  });

  it("renders booleans as True and False in an interpolation", () => {
    expect(run("@{equals(1, 1)}/@{equals(1, 2)}")).toBe("True/False");
  });

  it("renders objects and arrays as compact JSON in an interpolation", () => {
    expect(run("tags=@{variables('tags')}")).toBe('tags=["a","b"]');
  });

  it("returns plain text unchanged", () => {
    expect(run("no expressions here")).toBe("no expressions here");
  });
});

describe("navigation", () => {
  it("selects with [] and .", () => {
    expect(run("@triggerBody()['nested'].deep.value")).toBe(42);
  });

  it("indexes arrays by integer", () => {
    expect(run("@triggerBody()?['lines'][1]['qty']")).toBe(3);
  });

  it("walks a slash path inside one key, as connector outputs are addressed", () => {
    expect(run("@triggerOutputs()?['body/nested/deep/value']")).toBe(42);
  });

  it("prefers a property whose name contains a slash over the path", () => {
    const c = createContext({ trigger: { outputs: { "body/x": 1, body: { x: 2 } } } });
    expect(evaluate("@triggerOutputs()?['body/x']", c)).toBe(1);
  });

  it("returns null for a missing property with ?[]", () => {
    expect(run("@triggerBody()?['missing']")).toBeNull();
  });

  it("returns null when ?[] is applied to null", () => {
    expect(run("@triggerBody()?['owner']?['name']")).toBeNull();
  });

  it("fails on a missing property with [] and lists the available ones", () => {
    expect(errorOf("@body('Get_row')['name']").reason).toBe("property 'name' doesn't exist; available properties are 'accountid', '@odata.etag'");
  });

  it("fails when [] is applied to null, suggesting ?[]", () => {
    const e = errorOf("@triggerBody()['owner']['name']");
    expect(e.column).toBe(24);
    expect(e.reason).toContain("use ?['name']");
  });

  it("fails on an index outside the array with []", () => {
    expect(errorOf("@triggerBody()['lines'][5]").reason).toBe("index 5 is outside the array, which has 2 element(s)");
  });

  it("returns null for an index outside the array with ?[]", () => {
    expect(run("@triggerBody()['lines']?[5]")).toBeNull();
  });

  it("fails when selecting from a string", () => {
    expect(errorOf("@triggerBody()['name']['x']").reason).toContain("only objects and arrays have properties");
  });
});

describe("references to the run", () => {
  it("reads a Compose action's outputs directly", () => {
    expect(run("@outputs('Compose')")).toBe("composed");
  });

  it("reads body() as the outputs' body", () => {
    expect(run("@body('Get_row')?['accountid']")).toBe("a-1");
  });

  it("reads environment-variable parameters by their display name", () => {
    expect(run("@parameters('Threshold (tcc_Threshold)')")).toBe(100000);
  });

  it("reads the current loop element with item() and items()", () => {
    expect(run("@add(item()['qty'], items('Each_line')['qty'])")).toBe(4);
  });

  it("reads the loop position with iterationIndexes()", () => {
    expect(run("@iterationIndexes('Each_line')")).toBe(0);
  });

  it("names an undefined variable, with the ones that exist, at the call's column", () => {
    const e = errorOf("@add(1, variables('missing'))");
    expect(e.column).toBe(9);
    expect(e.reason).toBe("the variable 'missing' does not exist (defined: 'count', 'tags')");
  });

  it("names an undefined action", () => {
    expect(errorOf("@outputs('Nope')").reason).toBe("the action 'Nope' does not exist (defined: 'Get_row', 'Compose')");
  });

  it("says that items() needs an enclosing loop of that name", () => {
    expect(errorOf("@items('Other')").reason).toBe("'Other' is not a Foreach loop that contains this expression");
  });
});

describe("evaluateDeep over action inputs", () => {
  it("evaluates strings in nested objects and arrays", () => {
    expect(evaluateDeep({ a: ["@variables('count')", "x"], b: { c: "n=@{variables('count')}" }, d: 5 }, ctx)).toEqual({
      a: [3, "x"],
      b: { c: "n=3" },
      d: 5,
    });
  });

  it("unescapes @@ in property names", () => {
    expect(evaluateDeep({ "@@odata.type": "#microsoft.graph.aadUserConversationMember" }, ctx)).toEqual({
      "@odata.type": "#microsoft.graph.aadUserConversationMember",
    });
  });
});

describe("runtime errors", () => {
  it("say which function failed and why, at the function's column", () => {
    const e = errorOf("@concat('a', toLower(variables('count')))");
    expect(e.column).toBe(14);
    expect(e.reason).toBe("the function 'toLower' expects its first argument to be a string, but it is Integer 3");
  });

  it("include the whole expression in the message", () => {
    expect(errorOf("@div(1, 0)").message).toBe("Expression '@div(1, 0)' at column 2: the function 'div' cannot divide by zero");
  });
});
