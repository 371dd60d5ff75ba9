/** The OData and template helpers behind flow check's Dataverse name checks. */
import { expandItems, filterReferences, hasUnterminatedString, orderbyPaths, selectNames, splitTopLevel } from "../../../../tools/flow/check/odata";
import { caseOnlyMatch, DYNAMIC, isWholeExpression, maskInterpolations } from "../../../../tools/flow/check/names";

describe("maskInterpolations", () => {
  it("replaces each @{...} by one marker, skipping braces and quotes inside the expression's strings", () => {
    expect(maskInterpolations("a @{concat('}', 'it''s {')} b @{x()}")).toBe(`a ${DYNAMIC} b ${DYNAMIC}`);
    expect(maskInterpolations("plain")).toBe("plain");
  });

  it("tells whole-value expressions from interpolations and escaped @", () => {
    expect(isWholeExpression("@variables('x')")).toBe(true);
    expect(isWholeExpression("@{variables('x')}")).toBe(false);
    expect(isWholeExpression("@@odata.type")).toBe(false);
  });
});

describe("OData option parsing", () => {
  it("tells a string literal with no closing quote, counting a doubled quote as part of the text", () => {
    expect(hasUnterminatedString("name eq 'Contoso")).toBe(true);
    expect(hasUnterminatedString("name eq 'o''brien'")).toBe(false);
    expect(hasUnterminatedString("name eq 'o''brien")).toBe(true);
    expect(hasUnterminatedString("statecode eq 0")).toBe(false);
  });

  it("splits at top level only", () => {
    expect(splitTopLevel("a($select=b,c),d('x,y')", ",")).toEqual(["a($select=b,c)", "d('x,y')"]);
  });

  it("reads $select, $orderby and $expand", () => {
    expect(selectNames(` name , _ownerid_value,${DYNAMIC}`)).toEqual(["name", "_ownerid_value"]);
    expect(orderbyPaths("name asc, parentaccountid/name desc")).toEqual([["name"], ["parentaccountid", "name"]]);
    expect(expandItems("a($select=x,y;$filter=z eq 'q;r'),b")).toEqual([
      { navigation: "a", options: { $select: "x,y", $filter: "z eq 'q;r'" } },
      { navigation: "b", options: {} },
    ]);
  });

  it("finds property paths in a $filter, not keywords, literals, functions or strings", () => {
    const refs = filterReferences(
      "name eq 'statecode eq 1' and not contains(subject,'x') and id eq 0a1b2c3d-0000-0000-0000-000000000000 and d ge 2024-01-01T00:00:00Z and a/b eq null and x in (1,2)",
    );
    expect(refs.map((r) => r.path.join("/"))).toEqual(["name", "subject", "id", "d", "a/b", "x"]);
  });

  it("reads lambdas and Microsoft.Dynamics.CRM query functions", () => {
    expect(filterReferences("Notes/any(n: n/subject eq 'x') and Microsoft.Dynamics.CRM.In(PropertyName='ownerid',PropertyValues=['1'])")).toEqual([
      { path: ["Notes"], lambda: "n" },
      { path: ["subject"], variable: "n" },
      { path: ["ownerid"], queryFunction: "In" },
    ]);
  });

  it("skips paths that contain an interpolation", () => {
    expect(filterReferences(`_${DYNAMIC}_value eq 1 and a/${DYNAMIC} eq 2 and b eq ${DYNAMIC}`).map((r) => r.path.join("/"))).toEqual(["b"]);
  });
});

describe("caseOnlyMatch", () => {
  it("finds only a case-only difference", () => {
    expect(caseOnlyMatch("tcc_accountid", ["tcc_AccountId", "tcc_OpportunityId"])).toBe("tcc_AccountId");
    expect(caseOnlyMatch("tcc_acountid", ["tcc_AccountId"])).toBeUndefined();
    expect(caseOnlyMatch("name", ["name"])).toBeUndefined();
  });
});
