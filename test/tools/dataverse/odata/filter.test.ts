import { parseFilter } from "../../../../tools/dataverse/odata/filter";

describe("$filter parser", () => {
  it("binds and tighter than or", () => {
    expect(parseFilter("a eq 1 or b eq 2 and c eq 3")).toEqual({
      kind: "or",
      items: [
        { kind: "compare", column: "a", op: "eq", value: 1 },
        { kind: "and", items: [{ kind: "compare", column: "b", op: "eq", value: 2 }, { kind: "compare", column: "c", op: "eq", value: 3 }] },
      ],
    });
  });

  it("reads doubled quotes inside a string literal as one quote", () => {
    expect(parseFilter("name eq 'O''Brien'")).toEqual({ kind: "compare", column: "name", op: "eq", value: "O'Brien" });
  });

  it("reads unquoted GUIDs and dates as values", () => {
    expect(parseFilter("_ownerid_value eq 8bde628b-96dc-43c4-a534-4c7cdc521097 and estimatedclosedate lt 2025-03-14")).toEqual({
      kind: "and",
      items: [
        { kind: "compare", column: "_ownerid_value", op: "eq", value: "8bde628b-96dc-43c4-a534-4c7cdc521097" },
        { kind: "compare", column: "estimatedclosedate", op: "lt", value: "2025-03-14" },
      ],
    });
  });

  it("understands Microsoft.Dynamics.CRM.In", () => {
    expect(parseFilter("Microsoft.Dynamics.CRM.In(PropertyName='statuscode',PropertyValues=['1','2'])")).toEqual({ kind: "in", column: "statuscode", values: ["1", "2"] });
  });

  it("resolves EqualUserId to the calling user", () => {
    expect(parseFilter("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')", { userId: "u1" })).toEqual({ kind: "compare", column: "_ownerid_value", op: "eq", value: "u1" });
  });

  it("refuses navigation paths it cannot evaluate", () => {
    expect(() => parseFilter("parentcustomerid_account/name eq 'x'")).toThrow("navigation paths");
  });
});
