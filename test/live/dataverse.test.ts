/**
 * The live suite: the Dataverse Web API contract our controls and flows depend on, checked over real HTTP.
 * `npm run test:live` runs it against the in-memory Dataverse (tools/dataverse, served by tools/dataverse/node/server);
 * with TCC_DATAVERSE_URL, TCC_TENANT_ID, TCC_CLIENT_ID and TCC_CLIENT_SECRET set it runs against that environment.
 * The expectations are Microsoft's documented behaviour, so both must pass the same tests.
 *
 * In a real environment the suite reads and writes only rows it creates (named `tcc-live-<random> …`) and deletes them
 * in afterAll, even when a test fails. A test that needs a table the environment lacks (opportunity comes with
 * Dynamics 365 Sales, tcc_teamslink with our solution) prints why and returns; in-memory nothing skips.
 */
import { type LiveResponse, LiveTarget } from "./support/target";

jest.setTimeout(60_000);

let live: LiveTarget;
let tables: { opportunity: boolean; opportunitysalesprocess: boolean; tcc_teamslink: boolean };
let startError: Error | undefined;

beforeAll(async () => {
  try {
    live = await LiveTarget.start();
  } catch (e) {
    startError = e as Error;
    throw e;
  }
  console.log(`live suite: ${live.mode === "real" ? live.apiUrl : `in-memory Dataverse at ${live.apiUrl}`}; rows it creates are named ${live.prefix} …`);
  tables = {
    opportunity: await live.hasTable("opportunity"),
    opportunitysalesprocess: await live.hasTable("opportunitysalesprocess"),
    tcc_teamslink: await live.hasTable("tcc_teamslink"),
  };
});

afterAll(async () => {
  if (!live) return;
  const left = await live.cleanUp();
  await live.close();
  if (live.skipped.length > 0) console.warn(`live suite: ${live.skipped.length} test(s) skipped:\n${live.skipped.join("\n")}`);
  if (left.length > 0) throw new Error(`live suite: these rows it created could not be deleted; delete them by hand:\n${left.join("\n")}`);
});

/** False (after printing why) when a table a test needs is absent; only possible against a real environment. */
function needs(test: string, ...names: (keyof typeof tables)[]): boolean {
  if (startError) throw startError;
  const absent = names.filter((n) => !tables[n]);
  if (absent.length === 0) return true;
  const why = absent.map((n) =>
    n === "tcc_teamslink"
      ? "table tcc_teamslink is absent: import the Teams Customer Collaboration solution first"
      : `table ${n} is absent: it comes with Dynamics 365 Sales, which this environment does not have`,
  );
  live.skip(test, why.join("; "));
  return false;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const quoteFetch = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** A Web API error body: `{ error: { code: "0x…", message } }`, with the status expected. */
function expectError(response: LiveResponse, status: number): { code: string; message: string } {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`);
  const { code, message } = response.body.error ?? {};
  if (typeof code !== "string" || !/^0x[0-9a-f]{8}$/i.test(code) || typeof message !== "string") {
    throw new Error(`expected a Web API error body { error: { code: "0x…", message } }, got ${response.text.slice(0, 2000)}`);
  }
  return { code, message };
}

function expectOk(response: LiveResponse, status = 200): void {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`);
}

describe("metadata", () => {
  test("EntityDefinitions by LogicalName with $select gives the set name, primary id and primary name", async () => {
    if (!needs("metadata: opportunity definition", "opportunity")) return;
    const response = await live.get("EntityDefinitions(LogicalName='opportunity')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute");
    expectOk(response);
    expect(response.body).toEqual(
      expect.objectContaining({ LogicalName: "opportunity", EntitySetName: "opportunities", PrimaryIdAttribute: "opportunityid", PrimaryNameAttribute: "name" }),
    );
    expect(response.body.MetadataId).toMatch(GUID);
    // $select keeps only what was asked for (plus the key and the OData annotations).
    const extra = Object.keys(response.body).filter((k) => !k.startsWith("@") && !["LogicalName", "EntitySetName", "PrimaryIdAttribute", "PrimaryNameAttribute", "MetadataId"].includes(k));
    expect(extra).toEqual([]);
  });

  test("$expand=Attributes($select=LogicalName) lists the columns the board reads, each with its type cast", async () => {
    if (!needs("metadata: opportunity attributes", "opportunity")) return;
    const response = await live.get("EntityDefinitions(LogicalName='opportunity')?$select=LogicalName&$expand=Attributes($select=LogicalName)");
    expectOk(response);
    const attributes = response.body.Attributes as Record<string, unknown>[];
    expect(Array.isArray(attributes)).toBe(true);
    const names = attributes.map((a) => a.LogicalName);
    for (const name of ["opportunityid", "name", "estimatedvalue", "salesstage", "statecode", "statuscode", "customerid", "parentaccountid", "ownerid", "transactioncurrencyid"]) {
      expect(names).toContain(name);
    }
    for (const attribute of attributes) {
      expect(attribute["@odata.type"]).toMatch(/^#Microsoft\.Dynamics\.CRM\.[A-Za-z]+AttributeMetadata$/);
      expect(Object.keys(attribute).filter((k) => !k.startsWith("@") && k !== "LogicalName" && k !== "MetadataId")).toEqual([]);
    }
    expect(attributes.find((a) => a.LogicalName === "salesstage")?.["@odata.type"]).toBe("#Microsoft.Dynamics.CRM.PicklistAttributeMetadata");
    expect(attributes.find((a) => a.LogicalName === "estimatedvalue")?.["@odata.type"]).toBe("#Microsoft.Dynamics.CRM.MoneyAttributeMetadata");
  });

  test("the Opportunity Sales Process instance table's lookup to its opportunity is opportunityid (not bpf_opportunityid)", async () => {
    if (!needs("metadata: opportunitysalesprocess relationships", "opportunitysalesprocess")) return;
    const response = await live.get(
      "EntityDefinitions(LogicalName='opportunitysalesprocess')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName",
    );
    expectOk(response);
    const relationships = response.body.value as Record<string, unknown>[];
    expect(relationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ReferencingAttribute: "opportunityid", ReferencedEntity: "opportunity", ReferencingEntityNavigationPropertyName: "opportunityid" }),
        expect.objectContaining({ ReferencingAttribute: "activestageid", ReferencedEntity: "processstage", ReferencingEntityNavigationPropertyName: "activestageid" }),
        expect.objectContaining({ ReferencingAttribute: "processid", ReferencedEntity: "workflow" }),
      ]),
    );
    expect(relationships.filter((r) => r.ReferencedEntity === "opportunity").map((r) => r.ReferencingAttribute)).toEqual(["opportunityid"]);
  });

  test("the PicklistAttributeMetadata cast with $expand=OptionSet gives the sales stages, and no state or status column", async () => {
    if (!needs("metadata: opportunity choices", "opportunity")) return;
    const response = await live.get("EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet");
    expectOk(response);
    const attributes = response.body.value as { LogicalName: string; OptionSet: { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } | null } }[] } }[];
    for (const a of attributes) expect((a as unknown as Record<string, unknown>)["@odata.type"]).toBe("#Microsoft.Dynamics.CRM.PicklistAttributeMetadata");
    const names = attributes.map((a) => a.LogicalName);
    expect(names).toContain("salesstage");
    // State and Status are EnumAttributeMetadata types of their own, not Picklist.
    expect(names).not.toContain("statecode");
    expect(names).not.toContain("statuscode");
    const salesstage = attributes.find((a) => a.LogicalName === "salesstage")!;
    expect(salesstage.OptionSet.Options.map((o) => o.Value)).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    for (const option of salesstage.OptionSet.Options) expect(typeof option.Label.UserLocalizedLabel?.Label).toBe("string");
  });

  test("an unknown table is a 404 with a Dataverse error body naming it", async () => {
    if (!needs("metadata: unknown table")) return;
    const name = `tcc_nosuchtable${live.prefix.slice(-8)}`;
    const error = expectError(await live.get(`EntityDefinitions(LogicalName='${name}')?$select=LogicalName`), 404);
    expect(error.message).toContain(name);
  });
});

describe("create, then update with If-Match", () => {
  test("an update with the row's ETag succeeds and changes it; one with the old ETag is refused with 412 and changes nothing", async () => {
    if (!needs("If-Match")) return;
    const id = await live.mustCreate("accounts", { name: `${live.prefix} If-Match`, description: "created" });
    expect(id).toMatch(GUID);

    const created = await live.get(`accounts(${id})?$select=name,description`);
    expectOk(created);
    expect(created.body).toEqual(expect.objectContaining({ accountid: id, name: `${live.prefix} If-Match`, description: "created" }));
    const firstETag = created.body["@odata.etag"] as string;
    expect(firstETag).toMatch(/^W\/"\d+"$/);

    const updated = await live.request("PATCH", `accounts(${id})`, { headers: { "If-Match": firstETag }, body: { description: "updated" } });
    expectOk(updated, 204);
    const after = await live.get(`accounts(${id})?$select=description`);
    expectOk(after);
    expect(after.body.description).toBe("updated");
    expect(after.body["@odata.etag"]).not.toBe(firstETag);

    const stale = await live.request("PATCH", `accounts(${id})`, { headers: { "If-Match": firstETag }, body: { description: "lost update" } });
    const error = expectError(stale, 412);
    // ConcurrencyVersionMismatch, as "Perform conditional operations using the Web API" documents it.
    expect(error.code.toLowerCase()).toBe("0x80060882");
    const unchanged = await live.get(`accounts(${id})?$select=description`);
    expect(unchanged.body.description).toBe("updated");
    expect(unchanged.body["@odata.etag"]).toBe(after.body["@odata.etag"]);
  });
});

/** Three open opportunities of our own: two in Develop (1), one in Propose (2). */
async function createOpportunities(label: string): Promise<{ ids: string[]; name: string }> {
  const name = `${live.prefix} ${label}`;
  const rows = [
    { salesstage: 1, estimatedvalue: 1000 },
    { salesstage: 1, estimatedvalue: 2500.5 },
    { salesstage: 2, estimatedvalue: 4000 },
  ];
  const ids: string[] = [];
  for (const [i, row] of rows.entries()) ids.push(await createOpportunity(`${name} ${i + 1}`, row));
  return { ids, name };
}

/**
 * Creates an opportunity; in a real environment Dataverse may start its default business process flow for it, and
 * that instance is recorded for clean-up too (deleted before the opportunity).
 */
async function createOpportunity(name: string, values: Readonly<Record<string, unknown>> = {}): Promise<string> {
  const id = await live.mustCreate("opportunities", { name, ...values });
  if (live.mode === "real" && tables.opportunitysalesprocess) {
    const instances = await live.get(`opportunitysalesprocesses?$select=businessprocessflowinstanceid&$filter=_opportunityid_value eq ${id}`);
    for (const row of instances.status === 200 ? (instances.body.value as { businessprocessflowinstanceid: string }[]) : []) {
      live.adopt("opportunitysalesprocesses", row.businessprocessflowinstanceid);
    }
  }
  return id;
}

describe("FetchXML aggregate", () => {
  test("count and sum of estimatedvalue grouped by salesstage over open opportunities", async () => {
    if (!needs("FetchXML aggregate", "opportunity")) return;
    const { name } = await createOpportunities("aggregate");
    const fetchXml = `<fetch aggregate="true"><entity name="opportunity">
      <attribute name="salesstage" alias="stage" groupby="true"/>
      <attribute name="opportunityid" alias="deals" aggregate="count"/>
      <attribute name="estimatedvalue" alias="total" aggregate="sum"/>
      <filter>
        <condition attribute="statecode" operator="eq" value="0"/>
        <condition attribute="name" operator="like" value="${quoteFetch(name)}%"/>
      </filter>
      <order alias="stage"/>
    </entity></fetch>`;
    const response = await live.get(`opportunities?fetchXml=${encodeURIComponent(fetchXml)}`, { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' });
    expectOk(response);
    const groups = (response.body.value as Record<string, unknown>[]).map((g) => ({ stage: g.stage, deals: g.deals, total: g.total }));
    expect(groups).toEqual([
      { stage: 1, deals: 2, total: 3500.5 },
      { stage: 2, deals: 1, total: 4000 },
    ]);
    for (const group of response.body.value as Record<string, unknown>[]) {
      expect(typeof group["stage@OData.Community.Display.V1.FormattedValue"]).toBe("string");
    }
  });
});

describe("business process flow instances", () => {
  test("the instance query by the lookup that metadata names returns the opportunity and its active stage", async () => {
    if (!needs("business process flow instance query", "opportunity", "opportunitysalesprocess")) return;
    const relationships = await live.get(
      "EntityDefinitions(LogicalName='opportunitysalesprocess')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName",
    );
    expectOk(relationships);
    const lookup = (relationships.body.value as Record<string, string>[]).find((r) => r.ReferencedEntity === "opportunity")!;
    const column = `_${lookup.ReferencingAttribute}_value`;
    const { ids } = await createOpportunities("process");
    const opportunityId = ids[0];
    const query = `opportunitysalesprocesses?$select=${column},_activestageid_value&$filter=${column} eq ${opportunityId}`;

    // Dataverse may start the default process on create; where it did not, start it ourselves as the form would.
    let instances = await live.get(query);
    expectOk(instances);
    if ((instances.body.value as unknown[]).length === 0) {
      const workflows = await live.get("workflows?$select=workflowid&$filter=uniquename eq 'opportunitysalesprocess' and category eq 4");
      expectOk(workflows);
      const workflowId = workflows.body.value?.[0]?.workflowid as string | undefined;
      if (workflowId === undefined) throw new Error("no business process flow with unique name 'opportunitysalesprocess' (workflows, category 4)");
      const stages = await live.get(`processstages?$select=processstageid,stagecategory&$filter=_processid_value eq ${workflowId}&$orderby=stagecategory asc`);
      expectOk(stages);
      const first = stages.body.value?.[0]?.processstageid as string;
      await live.mustCreate("opportunitysalesprocesses", {
        [`${lookup.ReferencingEntityNavigationPropertyName}@odata.bind`]: `/opportunities(${opportunityId})`,
        "processid@odata.bind": `/workflows(${workflowId})`,
        "activestageid@odata.bind": `/processstages(${first})`,
      });
      instances = await live.get(query);
      expectOk(instances);
    }
    const rows = instances.body.value as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    // An instance Dataverse made for our opportunity is ours to delete too (its delete does not cascade).
    live.adopt("opportunitysalesprocesses", rows[0].businessprocessflowinstanceid as string);
    expect(rows[0][column]).toBe(opportunityId);
    expect(rows[0]._activestageid_value).toMatch(GUID);
    expect(Object.keys(rows[0]).filter((k) => !k.startsWith("@") && ![column, "_activestageid_value", "businessprocessflowinstanceid"].includes(k))).toEqual([]);
  });

  test("a query by the guessed bpf_opportunityid lookup is refused with 400", async () => {
    if (!needs("business process flow guessed lookup", "opportunitysalesprocess")) return;
    const response = await live.get(`opportunitysalesprocesses?$select=_bpf_opportunityid_value&$filter=_bpf_opportunityid_value eq 00000000-0000-0000-0000-000000000001`);
    expect(expectError(response, 400).message).toContain("bpf_opportunityid");
  });
});

describe("@odata.bind on tcc_teamslinks", () => {
  const linkBody = (label: string) => ({ tcc_name: `${live.prefix} ${label}`, tcc_kind: 615300000, tcc_status: 615300001 });

  test("tcc_AccountId@odata.bind sets the account lookup", async () => {
    if (!needs("tcc_AccountId@odata.bind", "tcc_teamslink")) return;
    const accountId = await live.mustCreate("accounts", { name: `${live.prefix} Teams Link account` });
    const linkId = await live.mustCreate("tcc_teamslinks", { ...linkBody("account link"), "tcc_AccountId@odata.bind": `/accounts(${accountId})` });
    const row = await live.get(`tcc_teamslinks(${linkId})?$select=tcc_name,_tcc_accountid_value,_tcc_opportunityid_value`);
    expectOk(row);
    expect(row.body).toEqual(expect.objectContaining({ tcc_name: `${live.prefix} account link`, _tcc_accountid_value: accountId, _tcc_opportunityid_value: null }));
  });

  test("tcc_OpportunityId@odata.bind sets the opportunity lookup", async () => {
    if (!needs("tcc_OpportunityId@odata.bind", "tcc_teamslink", "opportunity")) return;
    const opportunityId = await createOpportunity(`${live.prefix} Teams Link deal`);
    const linkId = await live.mustCreate("tcc_teamslinks", { ...linkBody("deal room"), tcc_kind: 615300002, "tcc_OpportunityId@odata.bind": `/opportunities(${opportunityId})` });
    const row = await live.get(`tcc_teamslinks(${linkId})?$select=_tcc_opportunityid_value`);
    expectOk(row);
    expect(row.body._tcc_opportunityid_value).toBe(opportunityId);
  });

  test("the lower-case logical name tcc_accountid@odata.bind is refused with Dataverse's undeclared-property error", async () => {
    if (!needs("tcc_accountid@odata.bind refused", "tcc_teamslink")) return;
    const accountId = await live.mustCreate("accounts", { name: `${live.prefix} wrong-case bind` });
    const { response } = await live.create("tcc_teamslinks", { ...linkBody("wrong case"), "tcc_accountid@odata.bind": `/accounts(${accountId})` });
    const error = expectError(response, 400);
    expect(error.message).toContain(
      "An undeclared property 'tcc_accountid' which only has property annotations in the payload but no property value was found in the payload",
    );
    // Nothing was written: no Teams Link row carries the name.
    const rows = await live.get(`tcc_teamslinks?$select=tcc_name&$filter=tcc_name eq '${live.prefix} wrong case'`);
    expectOk(rows);
    expect(rows.body.value).toEqual([]);
  });
});
