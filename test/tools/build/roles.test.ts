import fs from "node:fs";
import path from "node:path";
import { checkRoles, DEPTHS, ROLE_POLICY, type Depth, type RolePolicy } from "../../../tools/build/roles";
import { childElements, parseXml } from "../../../tools/build/xml";

const READER_ID = "11111111-2222-4333-8444-555555555555";
const WRITER_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa";

/** A small policy of our own, so each case changes one thing against a known-good baseline. */
const POLICY: Record<string, RolePolicy> = {
  Reader: {
    id: READER_ID,
    privileges: {
      prvAppendToAccount: { level: "Local", reason: "tasks are attached to the account" },
      prvReadtcc_teamslink: { level: "Global", reason: "links belong to the customer" },
    },
  },
  Writer: {
    id: WRITER_ID,
    privileges: {
      prvCreatetcc_teamslink: { level: "Basic", reason: "the flow records what it creates" },
    },
  },
};

const READER = `    <Role id="{${READER_ID}}" name="Reader" isinherited="1">
      <IsCustomizable>1</IsCustomizable>
      <RolePrivileges>
        <RolePrivilege name="prvAppendToAccount" level="Local" />
        <RolePrivilege name="prvReadtcc_teamslink" level="Global" />
      </RolePrivileges>
    </Role>`;
const WRITER = `    <Role id="{${WRITER_ID}}" name="Writer">
      <RolePrivileges>
        <RolePrivilege name="prvCreatetcc_teamslink" level="Basic" />
      </RolePrivileges>
    </Role>`;
const ROOTS = `<RootComponent type="1" schemaName="tcc_teamslink" behavior="0" />
<RootComponent type="20" id="{${READER_ID}}" behavior="0" />
<RootComponent type="20" id="{${WRITER_ID}}" behavior="0" />`;

function run(roles: string, roots = ROOTS, policy: Record<string, RolePolicy> = POLICY) {
  const customizations = parseXml(`<ImportExportXml>\n  <Entities></Entities>\n${roles}\n  <Workflows></Workflows>\n</ImportExportXml>`, "customizations.xml").root;
  const solution = parseXml(`<RootComponents>\n${roots}\n</RootComponents>`, "solution.xml").root;
  return checkRoles(customizations, childElements(solution), policy);
}
const section = (...roles: string[]) => `  <Roles>\n${roles.join("\n")}\n  </Roles>`;
const messages = (roles: string, roots = ROOTS) => run(roles, roots).problems.map((p) => `${p.file}:${p.line ?? "-"}: ${p.message}`);

test("roles in the export shape that match the policy have no problems and count their checks", () => {
  const result = run(section(READER, WRITER));
  expect(result.problems).toEqual([]);
  expect(result.checks).toBeGreaterThan(20);
});

test("a missing <Roles> section is reported with the roles the solution needs", () => {
  expect(messages("")).toEqual(["customizations.xml:1: no <Roles> section; the solution must carry Reader, Writer"]);
});

test("an element other than <Role> inside <Roles> is reported", () => {
  expect(messages(section(READER, WRITER, "    <FieldSecurityProfile />"))).toContain("customizations.xml:3: <Roles> holds FieldSecurityProfile; only <Role> belongs there");
});

test("a role id that is not a braced lower-case GUID is reported, and so is its missing root component", () => {
  const upper = READER.replace(`{${READER_ID}}`, READER_ID.toUpperCase());
  const problems = messages(section(upper, WRITER), ROOTS.replace(`{${READER_ID}}`, "{00000000-0000-4000-8000-000000000000}"));
  expect(problems).toContain(`customizations.xml:4: role "Reader": id "${READER_ID.toUpperCase()}" is not a GUID written lower case in braces, as exports write role ids`);
  expect(problems).toContain('solution.xml:3: RootComponent type="20" id="{00000000-0000-4000-8000-000000000000}" names no role in customizations.xml');
});

test("a role without a type-20 root component is reported", () => {
  const roots = ROOTS.split("\n").filter((l) => !l.includes(WRITER_ID)).join("\n");
  expect(messages(section(READER, WRITER), roots)).toEqual([`solution.xml:-: no RootComponent type="20" id="{${WRITER_ID}}" for role "Writer"`]);
});

test("a role listed twice as a root component is reported", () => {
  expect(messages(section(READER, WRITER), `${ROOTS}\n<RootComponent type="20" id="{${WRITER_ID}}" behavior="0" />`)).toEqual([
    'solution.xml:-: role "Writer" is listed 2 times as a root component',
  ]);
});

test("a type-20 root component written with a schemaName is reported", () => {
  const roots = ROOTS.replace(`id="{${WRITER_ID}}"`, `id="{${WRITER_ID}}" schemaName="Writer"`);
  expect(messages(section(READER, WRITER), roots)).toEqual([`solution.xml:4: RootComponent type="20" id="{${WRITER_ID}}" has a schemaName; exports list roles by id only`]);
});

test("two roles with the same id are reported", () => {
  const twin = WRITER.replace(WRITER_ID, READER_ID);
  expect(messages(section(READER, twin))).toContain(`customizations.xml:11: role "Writer": id {${READER_ID}} is also used by role "Reader"`);
});

test("a role whose id differs from its fixed id is reported, since a new id imports a second role", () => {
  const other = "12345678-1234-4234-8234-123456789abc";
  const roots = ROOTS.replace(WRITER_ID, other);
  expect(messages(section(READER, WRITER.replace(WRITER_ID, other)), roots)).toEqual([
    `customizations.xml:11: role "Writer": id {${other}} differs from its fixed id {${WRITER_ID}}; a new id imports a second role on upgrade`,
  ]);
});

test("an attribute exports do not write on <Role> is reported", () => {
  expect(messages(section(READER, WRITER.replace('name="Writer"', 'name="Writer" roleid="x"')))).toEqual([
    'customizations.xml:11: role "Writer" has attribute(s) roleid; exports write id, name, isinherited, unmodified',
  ]);
});

test("isinherited other than 0 or 1 is reported", () => {
  expect(messages(section(READER.replace('isinherited="1"', 'isinherited="yes"'), WRITER))).toEqual([
    'customizations.xml:4: role "Reader": isinherited is "yes"; expected 0 or 1',
  ]);
});

test("an unknown child of <Role> and children out of export order are reported", () => {
  const unknown = READER.replace("<IsCustomizable>1</IsCustomizable>", "<Description>x</Description>");
  expect(messages(section(unknown, WRITER))).toContain(
    'customizations.xml:4: role "Reader" has child element(s) Description; exports write IsCustomizable, IntroducedVersion, IsAutoAssigned, RolePrivileges',
  );
  const swapped = WRITER.replace("    </Role>", "      <IsCustomizable>1</IsCustomizable>\n    </Role>");
  expect(messages(section(READER, swapped))).toEqual([
    'customizations.xml:11: role "Writer": children out of order or repeated (RolePrivileges, IsCustomizable); exports write IsCustomizable, IntroducedVersion, IsAutoAssigned, RolePrivileges',
  ]);
});

test("IsCustomizable other than 0 or 1 is reported", () => {
  expect(messages(section(READER.replace("<IsCustomizable>1<", "<IsCustomizable>true<"), WRITER))).toEqual([
    'customizations.xml:5: role "Reader": IsCustomizable is "true"; expected 0 or 1',
  ]);
});

test("a role without <RolePrivileges> or with an empty one is reported", () => {
  const bare = `    <Role id="{${WRITER_ID}}" name="Writer" />`;
  expect(messages(section(READER, bare))).toEqual(['customizations.xml:11: role "Writer" has no <RolePrivileges>']);
  const empty = WRITER.replace('        <RolePrivilege name="prvCreatetcc_teamslink" level="Basic" />\n', "");
  const problems = messages(section(READER, empty));
  expect(problems).toContain('customizations.xml:12: role "Writer" grants no privilege');
  expect(problems).toContain('customizations.xml:12: role "Writer" lacks prvCreatetcc_teamslink at Basic, needed because the flow records what it creates');
});

test("every standard privilege name form is accepted: any table's privileges and the miscellaneous ones", () => {
  const names = ["prvExportToExcel", "prvFlow", "prvReadworkflow", "prvAppendTomsdyn_project", "prvActOnBehalfOfAnotherUser"];
  const privileges: Record<string, { level: Depth; reason: string }> = Object.fromEntries(names.map((n) => [n, { level: "Basic", reason: "r" }]));
  const policy: Record<string, RolePolicy> = { ...POLICY, Writer: { id: WRITER_ID, privileges } };
  const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const writer = WRITER.replace('        <RolePrivilege name="prvCreatetcc_teamslink" level="Basic" />', sorted.map((n) => `        <RolePrivilege name="${n}" level="Basic" />`).join("\n"));
  expect(run(section(READER, writer), ROOTS, policy).problems).toEqual([]);
});

test("a privilege name that is not a Dataverse privilege name is reported", () => {
  const policy: Record<string, RolePolicy> = { ...POLICY, Writer: { id: WRITER_ID, privileges: { ReadAccount: { level: "Basic", reason: "r" } } } };
  const odd = WRITER.replace("prvCreatetcc_teamslink", "ReadAccount");
  const problems = run(section(READER, odd), ROOTS, policy).problems.map((p) => p.message);
  expect(problems).toEqual(['role "Writer": privilege name "ReadAccount" is not a Dataverse privilege name (prv followed by letters, digits or _)']);
});

describe("without our policy (any solution)", () => {
  const foreign = `    <Role id="{C0FFEE00-1111-4222-8333-444444444444}" name="Basic User (copy)" unmodified="1" custom="x">
      <RolePrivileges>
        <RolePrivilege name="prvReadworkflow" level="Global" depth="x" />
        <RolePrivilege name="prvFlow" level="Global" />
        <RolePrivilege name="prvReadAccount" level="Local" />
      </RolePrivileges>
      <IsCustomizable>1</IsCustomizable>
    </Role>`;
  const roots = '<RootComponent type="20" id="{c0ffee00-1111-4222-8333-444444444444}" schemaName="x" behavior="0" />';
  const withoutPolicy = (roles: string, rootList = roots) => {
    const customizations = parseXml(`<ImportExportXml>\n${roles}\n</ImportExportXml>`, "customizations.xml").root;
    const solution = parseXml(`<RootComponents>\n${rootList}\n</RootComponents>`, "solution.xml").root;
    return checkRoles(customizations, childElements(solution), false).problems.map((p) => p.message);
  };

  test("another publisher's role, its names, standard privileges and shape pass", () => {
    expect(withoutPolicy(section(foreign))).toEqual([]);
    expect(withoutPolicy("", "")).toEqual([]);
  });

  test("what import refuses is still reported", () => {
    const broken = foreign.replace('level="Local"', 'level="Organization"').replace("prvFlow", "Flow");
    expect(withoutPolicy(section(broken))).toEqual([
      'role "Basic User (copy)": privilege name "Flow" is not a Dataverse privilege name (prv followed by letters, digits or _)',
      'role "Basic User (copy)": privilege prvReadAccount has level "Organization"; expected one of Basic, Local, Deep, Global',
    ]);
    expect(withoutPolicy(section(foreign), "")).toEqual(['no RootComponent type="20" id="{C0FFEE00-1111-4222-8333-444444444444}" for role "Basic User (copy)"']);
    expect(withoutPolicy(section(foreign.replace("{C0FFEE00-1111-4222-8333-444444444444}", "{not-a-guid}")))).toContain('role "Basic User (copy)": id "{not-a-guid}" is not a GUID');
  });
});

test("a level that is not a Dataverse depth is reported", () => {
  expect(messages(section(READER, WRITER.replace('level="Basic"', 'level="User"')))).toEqual([
    `customizations.xml:13: role "Writer": privilege prvCreatetcc_teamslink has level "User"; expected one of ${DEPTHS.join(", ")}`,
  ]);
});

test("an attribute other than name and level on a privilege is reported", () => {
  expect(messages(section(READER, WRITER.replace('level="Basic"', 'level="Basic" depth="1"')))).toEqual([
    'customizations.xml:13: role "Writer": privilege prvCreatetcc_teamslink has attribute(s) depth; exports write only name and level',
  ]);
});

test("a privilege listed twice is reported", () => {
  const twice = WRITER.replace("      </RolePrivileges>", '        <RolePrivilege name="prvCreatetcc_teamslink" level="Basic" />\n      </RolePrivileges>');
  expect(messages(section(READER, twice))).toEqual(['customizations.xml:14: role "Writer" lists privilege prvCreatetcc_teamslink twice']);
});

test("privileges out of name order are reported, compared without case as exports sort them", () => {
  const reversed = READER.replace(
    '        <RolePrivilege name="prvAppendToAccount" level="Local" />\n        <RolePrivilege name="prvReadtcc_teamslink" level="Global" />',
    '        <RolePrivilege name="prvReadtcc_teamslink" level="Global" />\n        <RolePrivilege name="prvAppendToAccount" level="Local" />',
  );
  expect(messages(section(reversed, WRITER))).toEqual([
    'customizations.xml:6: role "Reader": privileges are not in name order as exports write them (expected prvAppendToAccount, prvReadtcc_teamslink)',
  ]);
});

test("a privilege outside the role's allow-list is reported as a least-privilege breach", () => {
  const wider = WRITER.replace("      </RolePrivileges>", '        <RolePrivilege name="prvDeletetcc_teamslink" level="Basic" />\n      </RolePrivileges>');
  expect(messages(section(READER, wider))).toEqual([
    'customizations.xml:14: role "Writer" grants prvDeletetcc_teamslink, which its least-privilege allow-list (tools/build/roles.ts) does not contain',
  ]);
});

test("a deeper level than the policy allows is reported", () => {
  expect(messages(section(READER.replace('"prvAppendToAccount" level="Local"', '"prvAppendToAccount" level="Global"'), WRITER))).toEqual([
    'customizations.xml:7: role "Reader" grants prvAppendToAccount at Global; least privilege allows Local',
  ]);
});

test("a narrower level than the feature needs is reported with the reason", () => {
  expect(messages(section(READER.replace('"prvReadtcc_teamslink" level="Global"', '"prvReadtcc_teamslink" level="Basic"'), WRITER))).toEqual([
    'customizations.xml:8: role "Reader" grants prvReadtcc_teamslink at Basic, too narrow: it needs Global because links belong to the customer',
  ]);
});

test("a role the policy does not know is reported, and so is a policy role that is missing", () => {
  const stranger = WRITER.replace('name="Writer"', 'name="Stranger"');
  const problems = messages(section(READER, stranger));
  expect(problems).toContain('customizations.xml:11: role "Stranger" is not in the least-privilege policy (tools/build/roles.ts), which knows Reader, Writer');
  expect(problems).toContain('customizations.xml:3: role "Writer" is missing from <Roles>');
});

test("two roles with the same name are reported", () => {
  const twin = READER.replace(READER_ID, WRITER_ID);
  expect(messages(section(READER, twin))).toContain('customizations.xml:11: two roles are named "Reader"');
});

test("every privilege in our policy has a valid depth and a reason, and the two roles have distinct fixed ids", () => {
  const ids = Object.values(ROLE_POLICY).map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [role, { privileges }] of Object.entries(ROLE_POLICY)) {
    for (const [name, { level, reason }] of Object.entries(privileges)) {
      expect({ role, name, level: DEPTHS.includes(level), reason: reason.length > 20 }).toEqual({ role, name, level: true, reason: true });
    }
  }
});

/** How each guide names the depths, as the Power Platform admin center shows them in that language. */
const GUIDES: { file: string; depths: Record<Depth, string> }[] = [
  { file: "docs/guide.md", depths: { Basic: "User", Local: "Business Unit", Deep: "Parent: Child Business Units", Global: "Organization" } },
  { file: "docs/guide.zh-CN.md", depths: { Basic: "用户", Local: "业务部门", Deep: "上级: 下级业务部门", Global: "组织" } },
];

/** The privilege table rows under a role's bold heading in a guide, as privilege name -> depth label. */
function guideRows(text: string, role: string): Map<string, string> {
  const start = text.indexOf(`**${role}**`);
  const rest = start < 0 ? "" : text.slice(start + role.length + 4);
  const end = rest.search(/\n\*\*|\n#/);
  const rows = new Map<string, string>();
  for (const match of (end < 0 ? rest : rest.slice(0, end)).matchAll(/^\|[^|\n]*`(prv\w+)`[^|\n]*\|\s*([^|\n]+?)\s*\|/gm)) rows.set(match[1], match[2]);
  return rows;
}

test.each(GUIDES)("$file explains every privilege of each role at the depth the role grants, and no other", ({ file, depths }) => {
  const text = fs.readFileSync(path.resolve(__dirname, "../../..", file), "utf8");
  for (const [role, { privileges }] of Object.entries(ROLE_POLICY)) {
    const expected = Object.fromEntries(Object.entries(privileges).map(([name, { level }]) => [name, depths[level]]));
    expect({ role, rows: Object.fromEntries(guideRows(text, role)) }).toEqual({ role, rows: expected });
  }
});
