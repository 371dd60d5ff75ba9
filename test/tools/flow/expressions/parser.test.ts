import { parseExpression, parseTemplate, WdlError } from "../../../../tools/flow/expressions";

function parseError(run: () => unknown): WdlError {
  try {
    run();
  } catch (e) {
    if (e instanceof WdlError) return e;
    throw e;
  }
  throw new Error("expected a WdlError");
}

describe("parseTemplate classification", () => {
  it("keeps a string without @ as text", () => {
    expect(parseTemplate("hello world")).toEqual({ kind: "text", value: "hello world" });
  });

  it("keeps an @ inside text (an e-mail address) as text", () => {
    expect(parseTemplate("admin@contoso.com")).toEqual({ kind: "text", value: "admin@contoso.com" });
  });

  it("reads a leading @ as a whole-value expression", () => {
    expect(parseTemplate("@add(1, 2)").kind).toBe("expression");
  });

  it("reads @@ at the start as an escaped literal @", () => {
    expect(parseTemplate("@@odata.type")).toEqual({ kind: "text", value: "@odata.type" });
  });

  it("reads @{...} anywhere as an interpolation with text and expression parts", () => {
    const t = parseTemplate("Hello @{variables('name')}!");
    expect(t.kind).toBe("interpolation");
    if (t.kind === "interpolation") {
      expect(t.parts).toHaveLength(3);
      expect(t.parts[0]).toBe("Hello ");
      expect(t.parts[2]).toBe("!");
    }
  });

  it("reads @@{ as an escaped literal @{", () => {
    expect(parseTemplate("a @@{b}")).toEqual({ kind: "text", value: "a @{b}" });
  });

  it("finds the closing brace after a string literal that contains one", () => {
    const t = parseTemplate("x @{concat('}', 'a')} y");
    expect(t.kind === "interpolation" && t.parts.length).toBe(3);
  });
});

describe("parseExpression syntax", () => {
  it("parses integer, float, leading-dot and negative number literals", () => {
    expect(parseExpression("createArray(1, 2.5, .3, -4)")).toMatchObject({
      args: [
        { value: 1, float: false },
        { value: 2.5, float: true },
        { value: 0.3, float: true },
        { value: -4, float: false },
      ],
    });
  });

  it("unescapes doubled single quotes in string literals", () => {
    expect(parseExpression("concat('it''s')")).toMatchObject({ args: [{ value: "it's" }] });
  });

  it("reads true, false and null case-insensitively", () => {
    expect(parseExpression("createArray(TRUE, False, NULL)")).toMatchObject({
      args: [{ value: true }, { value: false }, { value: null }],
    });
  });

  it("parses ?[] and . navigation with their positions", () => {
    const node = parseExpression("triggerBody()?['a'].b");
    expect(node).toMatchObject({ kind: "member", name: "b", optional: false, pos: 19, target: { kind: "index", optional: true, pos: 13 } });
  });

  it("parses ?. as optional member access", () => {
    expect(parseExpression("triggerBody()?.a")).toMatchObject({ kind: "member", optional: true });
  });

  it("resolves function names case-insensitively to their catalogue spelling", () => {
    expect(parseExpression("BASE64TOSTRING('aGk=')")).toMatchObject({ kind: "call", name: "base64ToString" });
  });
});

describe("parse errors say which expression, where and why", () => {
  it("names an unknown function and its column", () => {
    const e = parseError(() => parseTemplate("@concat(1, frobnicate(2))"));
    expect(e.column).toBe(12);
    expect(e.message).toBe("Expression '@concat(1, frobnicate(2))' at column 12: 'frobnicate' is not a known function");
  });

  it("names the function and the expected count for a wrong number of arguments", () => {
    const e = parseError(() => parseExpression("substring('abc')"));
    expect(e.reason).toBe("the function 'substring' takes between 2 and 3 argument(s) but was given 1");
  });

  it("reports a variadic function's minimum", () => {
    expect(parseError(() => parseExpression("union(createArray(1))")).reason).toBe(
      "the function 'union' takes at least 2 argument(s) but was given 1",
    );
  });

  it("reports an unterminated string at its opening quote", () => {
    const e = parseError(() => parseExpression("concat('abc"));
    expect(e.column).toBe(8);
    expect(e.reason).toContain("unterminated string literal");
  });

  it("rejects double-quoted strings with a hint", () => {
    expect(parseError(() => parseExpression('concat("a")')).reason).toContain("single quotes");
  });

  it("reports a missing closing parenthesis at the end", () => {
    const e = parseError(() => parseExpression("concat('a'"));
    expect(e.column).toBe(11);
    expect(e.reason).toBe("expected ',' or ')' in the call of 'concat' but found the end of the expression");
  });

  it("reports text after a complete expression", () => {
    expect(parseError(() => parseExpression("add(1, 2) 3")).reason).toBe("expected the end of the expression but found '3'");
  });

  it("reports a bare word that is not a value", () => {
    expect(parseError(() => parseExpression("concat(abc)")).reason).toContain("'abc' is not a value");
  });

  it("reports an unclosed interpolation with its column in the whole string", () => {
    const e = parseError(() => parseTemplate("Hi @{variables('x')"));
    expect(e.column).toBe(20);
    expect(e.reason).toContain("'}' to close '@{'");
  });

  it("reports an empty interpolation", () => {
    expect(parseError(() => parseTemplate("a @{} b")).reason).toBe("the expression inside @{ } is empty");
  });

  it("reports an empty expression after @", () => {
    expect(parseError(() => parseTemplate("@ ")).reason).toBe("the expression is empty");
  });

  it("reports an unexpected character", () => {
    expect(parseError(() => parseExpression("add(1 # 2)")).reason).toBe("unexpected character '#'");
  });

  it("reports a malformed number", () => {
    expect(parseError(() => parseExpression("add(12abc, 1)")).reason).toContain("malformed number");
  });

  it("can skip function checks to parse expressions for other catalogues", () => {
    expect(parseExpression("myFunction(1)", { checkFunctions: false })).toMatchObject({ name: "myFunction" });
  });
});
