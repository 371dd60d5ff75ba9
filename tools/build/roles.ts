/**
 * The security roles in customizations.xml. For any solution: what import needs (a name, a GUID id used once, each
 * role listed as a root component, privileges named prv… at one of the four depths, 0/1 flags). For ours, with the
 * policy: the shape our packer writes as exports do (attributes, child and privilege order, ids lower case in braces)
 * and our least-privilege policy, the single list of what each role may grant and why; a role or privilege outside it,
 * or at another depth, is a problem, so no role grows without a reason being written.
 */
import type { Element } from "@xmldom/xmldom";
import { childElements, firstChild } from "./xml";

export interface RoleProblem {
  file: string;
  line?: number;
  message: string;
}

export interface RoleCheckResult {
  checks: number;
  problems: RoleProblem[];
}

/** Access levels in the order they widen: the user's own rows, the business unit, it and its children, everyone. */
export const DEPTHS = ["Basic", "Local", "Deep", "Global"] as const;
export type Depth = (typeof DEPTHS)[number];

export interface AllowedPrivilege {
  level: Depth;
  /** Why the controls or flows need it; docs/guide.md repeats it for admins. */
  reason: string;
}

export interface RolePolicy {
  /** Fixed: Dataverse matches a role across upgrades by id, so a new id would import a second role of the same name. */
  id: string;
  privileges: Record<string, AllowedPrivilege>;
}

export const ROLE_POLICY: Record<string, RolePolicy> = {
  "Teams Collaboration User": {
    id: "83c161ef-7713-4f40-a831-e67dc2d68324",
    privileges: {
      prvReadtcc_teamslink: {
        level: "Local",
        reason: "the customer panel and the board show the Team or deal room of the customer or deal on screen; a link is owned by its account's or deal's owner (the flows set it, and the parental opportunity relationship carries the deal's assignments and shares to its deal room), so Business Unit depth lets a person read exactly the links of the accounts and deals their sales role lets them read at Business Unit depth, and no link of another business unit's deal",
      },
      prvAppendToAccount: {
        level: "Local",
        reason: "the customer panel's follow-up task and note on an account form are attached to that account; limited to the business unit, where a sales team works",
      },
      prvAppendToContact: {
        level: "Local",
        reason: "the customer panel's follow-up task and note on a contact form are attached to that contact; limited to the business unit, where a sales team works",
      },
    },
  },
  "Teams Collaboration Automation": {
    id: "2b53f0db-98d6-4ef7-b4b6-2dd7d6a43a3c",
    privileges: {
      prvReadtcc_teamslink: {
        level: "Global",
        reason: "the flows look up the existing link for a customer or deal before creating a Team or chat, which keeps a re-run from creating a second one",
      },
      prvAssigntcc_teamslink: {
        level: "Global",
        reason: "the flows create each link owned by its account's or deal's owner (not by the connection owner), so that exactly the people who can read that account or deal read the link; creating a row for another owner needs Assign",
      },
      prvCreatetcc_teamslink: {
        level: "Basic",
        reason: "the onboarding and escalation flows record each Team, channel and chat they create; create at user depth suffices, the row's owner (the account's or deal's owner) is set through Assign",
      },
      prvWritetcc_teamslink: {
        level: "Global",
        reason: "the flows update a link's status and last error, also on rows created under an earlier connection owner",
      },
      prvAppendtcc_teamslink: {
        level: "Global",
        reason: "setting a link's account or opportunity lookup needs append on the link row itself",
      },
      prvAppendToAccount: {
        level: "Global",
        reason: "a link row points at the customer's account, whichever business unit owns it",
      },
      prvAppendToOpportunity: {
        level: "Global",
        reason: "a link row points at the won or escalated deal, whichever business unit owns it",
      },
    },
  },
};

/**
 * Every privilege Dataverse defines starts with prv: table privileges prv<Action><table> for any table, in the case the
 * table's name has (prvReadworkflow, prvReadtcc_teamslink, prvAppendToAccount), and the miscellaneous ones (prvFlow,
 * prvExportCustomization, prvActOnBehalfOfAnotherUser, …).
 */
const PRIVILEGE_NAME = /^prv[A-Za-z0-9_]+$/;
/** Exports write role ids lower case in braces; import takes a GUID in any of its forms. */
const ROLE_ID = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/;
const ANY_GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
const ROLE_ATTRIBUTES = ["id", "name", "isinherited", "unmodified"];
/** Children of <Role> in the order exports and the schema write them; IsAutoAssigned is newer than the schema. */
const ROLE_CHILDREN = ["IsCustomizable", "IntroducedVersion", "IsAutoAssigned", "RolePrivileges"];
const CUSTOMIZATIONS = "customizations.xml";
const SOLUTION = "solution.xml";

const bare = (guid: string | null | undefined) => (guid ?? "").replace(/[{}]/g, "").toLowerCase();

class Checker {
  checks = 0;
  readonly problems: RoleProblem[] = [];

  constructor(readonly policy: boolean) {}

  check(condition: boolean, file: string, message: string, line?: number): boolean {
    this.checks++;
    if (!condition) this.problems.push(line === undefined ? { file, message } : { file, line, message });
    return condition;
  }

  /** Our policy only. */
  ours(condition: boolean, file: string, message: string, line?: number): boolean {
    return this.policy ? this.check(condition, file, message, line) : condition;
  }
}

function attributeNames(element: Element): string[] {
  const names: string[] = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i);
    if (attribute) names.push(attribute.name);
  }
  return names;
}

function checkPrivileges(c: Checker, role: Element, label: string, policy: RolePolicy | undefined): void {
  const list = firstChild(role, "RolePrivileges");
  if (!c.ours(!!list, CUSTOMIZATIONS, `${label} has no <RolePrivileges>`, role.lineNumber) || !list) return;
  const children = childElements(list);
  const foreign = children.filter((e) => e.nodeName !== "RolePrivilege").map((e) => e.nodeName);
  c.check(foreign.length === 0, CUSTOMIZATIONS, `${label}: <RolePrivileges> holds ${foreign.join(", ")}; only <RolePrivilege> belongs there`, list.lineNumber);
  const privileges = children.filter((e) => e.nodeName === "RolePrivilege");
  c.ours(privileges.length > 0, CUSTOMIZATIONS, `${label} grants no privilege`, list.lineNumber);
  const granted = new Map<string, Element>();
  for (const privilege of privileges) {
    const name = privilege.getAttribute("name") ?? "";
    const level = privilege.getAttribute("level") ?? "";
    const line = privilege.lineNumber;
    const extra = attributeNames(privilege).filter((a) => a !== "name" && a !== "level");
    c.ours(extra.length === 0, CUSTOMIZATIONS, `${label}: privilege ${name} has attribute(s) ${extra.join(", ")}; exports write only name and level`, line);
    c.check(PRIVILEGE_NAME.test(name), CUSTOMIZATIONS, `${label}: privilege name "${name}" is not a Dataverse privilege name (prv followed by letters, digits or _)`, line);
    c.check((DEPTHS as readonly string[]).includes(level), CUSTOMIZATIONS, `${label}: privilege ${name} has level "${level}"; expected one of ${DEPTHS.join(", ")}`, line);
    if (!c.check(!granted.has(name), CUSTOMIZATIONS, `${label} lists privilege ${name} twice`, line)) continue;
    granted.set(name, privilege);
    if (!policy) continue;
    const allowed = policy.privileges[name];
    if (!c.check(!!allowed, CUSTOMIZATIONS, `${label} grants ${name}, which its least-privilege allow-list (tools/build/roles.ts) does not contain`, line) || !allowed) continue;
    const depth = DEPTHS.indexOf(level as Depth);
    const wanted = DEPTHS.indexOf(allowed.level);
    if (depth < 0) continue;
    c.check(depth <= wanted, CUSTOMIZATIONS, `${label} grants ${name} at ${level}; least privilege allows ${allowed.level}`, line);
    c.check(depth >= wanted, CUSTOMIZATIONS, `${label} grants ${name} at ${level}, too narrow: it needs ${allowed.level} because ${allowed.reason}`, line);
  }
  const names = privileges.map((p) => p.getAttribute("name") ?? "");
  const sorted = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  c.ours(names.every((n, i) => n === sorted[i]), CUSTOMIZATIONS, `${label}: privileges are not in name order as exports write them (expected ${sorted.join(", ")})`, list.lineNumber);
  for (const [name, allowed] of Object.entries(policy?.privileges ?? {})) {
    c.check(granted.has(name), CUSTOMIZATIONS, `${label} lacks ${name} at ${allowed.level}, needed because ${allowed.reason}`, list.lineNumber);
  }
}

/**
 * Checks the <Roles> section of customizations.xml and the solution's root components against the shape of real
 * exports and ROLE_POLICY. Positions refer to the files the elements were parsed from.
 */
export function checkRoles(customizations: Element, rootComponents: Element[], rolePolicy: Record<string, RolePolicy> | false = ROLE_POLICY): RoleCheckResult {
  const c = new Checker(rolePolicy !== false);
  const policy = rolePolicy || {};
  const section = firstChild(customizations, "Roles");
  const expected = Object.keys(policy);
  if (!c.check(!!section || expected.length === 0, CUSTOMIZATIONS, `no <Roles> section; the solution must carry ${expected.join(", ")}`, customizations.lineNumber) || !section) {
    return { checks: c.checks, problems: c.problems };
  }
  const children = childElements(section);
  const foreign = children.filter((e) => e.nodeName !== "Role").map((e) => e.nodeName);
  c.check(foreign.length === 0, CUSTOMIZATIONS, `<Roles> holds ${foreign.join(", ")}; only <Role> belongs there`, section.lineNumber);
  const roles = children.filter((e) => e.nodeName === "Role");
  const ids = new Map<string, string>();
  const names = new Set<string>();
  const typeTwenty = rootComponents.filter((e) => e.getAttribute("type") === "20");

  for (const role of roles) {
    const name = role.getAttribute("name") ?? "";
    const id = role.getAttribute("id") ?? "";
    const label = `role "${name}"`;
    const line = role.lineNumber;
    c.check(name.trim().length > 0, CUSTOMIZATIONS, "a <Role> has no name attribute", line);
    const unknownAttributes = attributeNames(role).filter((a) => !ROLE_ATTRIBUTES.includes(a));
    c.ours(unknownAttributes.length === 0, CUSTOMIZATIONS, `${label} has attribute(s) ${unknownAttributes.join(", ")}; exports write ${ROLE_ATTRIBUTES.join(", ")}`, line);
    const inherited = role.getAttribute("isinherited");
    if (inherited !== null) c.check(inherited === "0" || inherited === "1", CUSTOMIZATIONS, `${label}: isinherited is "${inherited}"; expected 0 or 1`, line);
    const idOk = c.check(ANY_GUID.test(id), CUSTOMIZATIONS, `${label}: id "${id}" is not a GUID`, line);
    if (idOk) c.ours(ROLE_ID.test(id), CUSTOMIZATIONS, `${label}: id "${id}" is not a GUID written lower case in braces, as exports write role ids`, line);
    if (idOk) {
      c.check(!ids.has(bare(id)), CUSTOMIZATIONS, `${label}: id ${id} is also used by role "${ids.get(bare(id)) ?? ""}"`, line);
      ids.set(bare(id), name);
      const roots = typeTwenty.filter((e) => bare(e.getAttribute("id")) === bare(id));
      c.check(roots.length === 1, SOLUTION, roots.length === 0 ? `no RootComponent type="20" id="${id}" for ${label}` : `${label} is listed ${roots.length} times as a root component`);
    }
    c.ours(!names.has(name), CUSTOMIZATIONS, `two roles are named "${name}"`, line);
    names.add(name);

    const childNames = childElements(role).map((e) => e.nodeName);
    const unknownChildren = childNames.filter((n) => !ROLE_CHILDREN.includes(n));
    c.ours(unknownChildren.length === 0, CUSTOMIZATIONS, `${label} has child element(s) ${unknownChildren.join(", ")}; exports write ${ROLE_CHILDREN.join(", ")}`, line);
    const positions = childNames.filter((n) => ROLE_CHILDREN.includes(n)).map((n) => ROLE_CHILDREN.indexOf(n));
    c.ours(positions.every((p, i) => i === 0 || positions[i - 1] < p), CUSTOMIZATIONS, `${label}: children out of order or repeated (${childNames.join(", ")}); exports write ${ROLE_CHILDREN.join(", ")}`, line);
    const customizable = firstChild(role, "IsCustomizable");
    if (customizable) c.check(/^[01]$/.test((customizable.textContent ?? "").trim()), CUSTOMIZATIONS, `${label}: IsCustomizable is "${customizable.textContent ?? ""}"; expected 0 or 1`, customizable.lineNumber);

    const allowed = c.policy ? policy[name] : undefined;
    if (c.ours(!!allowed, CUSTOMIZATIONS, `${label} is not in the least-privilege policy (tools/build/roles.ts), which knows ${expected.join(", ")}`, line) && allowed) {
      c.check(bare(id) === bare(allowed.id), CUSTOMIZATIONS, `${label}: id ${id} differs from its fixed id {${allowed.id}}; a new id imports a second role on upgrade`, line);
    }
    checkPrivileges(c, role, label, allowed);
  }

  for (const name of expected) c.check(names.has(name), CUSTOMIZATIONS, `role "${name}" is missing from <Roles>`, section.lineNumber);
  for (const component of typeTwenty) {
    const id = component.getAttribute("id");
    const line = component.lineNumber;
    if (!c.check(!!id, SOLUTION, 'a RootComponent type="20" has no id; roles are listed by id', line) || !id) continue;
    c.check(ids.has(bare(id)), SOLUTION, `RootComponent type="20" id="${id}" names no role in customizations.xml`, line);
    c.ours(!component.hasAttribute("schemaName"), SOLUTION, `RootComponent type="20" id="${id}" has a schemaName; exports list roles by id only`, line);
  }
  return { checks: c.checks, problems: c.problems };
}
