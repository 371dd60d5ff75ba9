import { bindTo, odataString, toQueryString } from "../../../../components/common/src/dataverse";

describe("OData query strings", () => {
  it("doubles quotes so user text cannot end a $filter literal", () => {
    expect(odataString("O'Brien' or 1 eq 1")).toBe("'O''Brien'' or 1 eq 1'");
  });

  it("encodes options and nests $expand options with semicolons", () => {
    const query = toQueryString({ select: ["name"], expand: [{ navigationProperty: "contact_customer_accounts", select: ["fullname"], top: 3 }] });
    expect(decodeURIComponent(query)).toBe("?$select=name&$expand=contact_customer_accounts($select=fullname;$top=3)");
  });

  it("is empty without options", () => {
    expect(toQueryString()).toBe("");
  });

  it("binds a lookup to a row by entity set and lower-case id", () => {
    expect(bindTo("opportunity", "{8BDE628B-96DC-43C4-A534-4C7CDC521097}")).toBe("/opportunities(8bde628b-96dc-43c4-a534-4c7cdc521097)");
  });
});
