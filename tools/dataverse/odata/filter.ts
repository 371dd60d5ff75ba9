/**
 * Parser for the `$filter` subset our controls and flows use: eq/ne/gt/ge/lt/le, and/or/not, parentheses,
 * contains/startswith/endswith, null, Dataverse's `Microsoft.Dynamics.CRM.In`/`NotIn`/`EqualUserId`/`NotEqualUserId`,
 * and the lambda operators `any`/`all` over collection-valued navigation properties (nested ones too), as Microsoft's
 * "Filter rows using OData" page describes them. Anything else is rejected with the error Dataverse gives, naming the
 * position.
 *
 * A lambda is answered while the filter is parsed, against the store in the filter's scope: `nav/any(x: ...)` becomes
 * "the row's id is one of the ids the matching related rows point at", and `all` "is none of the ids a non-matching
 * related row points at", so the condition tree and its evaluation (query.ts) need no notion of related rows.
 */
import { badRequest } from "../errors";
import type { TableMetadata } from "../metadata";
import { type CompareOp, compileCondition, type Condition, type Scalar, type TextOp } from "../query";
import { type DataverseStore, isLookupRef } from "../store";

type Token =
  | { readonly type: "ident"; readonly text: string; readonly at: number }
  | { readonly type: "string"; readonly text: string; readonly at: number }
  | { readonly type: "number"; readonly value: number; readonly at: number }
  | { readonly type: "punct"; readonly text: "(" | ")" | "," | "=" | "[" | "]" | ":"; readonly at: number };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ("(),=[]:".includes(ch)) {
      tokens.push({ type: "punct", text: ch as "(" | ")" | "," | "=" | "[" | "]" | ":", at: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw syntax(text, i, "unterminated string literal");
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ type: "string", text: value, at: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    const date = DATE.exec(rest);
    if (guid || date) {
      const m = (guid ?? date)!;
      tokens.push({ type: "string", text: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ type: "number", value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(rest);
    if (ident) {
      tokens.push({ type: "ident", text: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    throw syntax(text, i, `unexpected character '${ch}'`);
  }
  return tokens;
}

function syntax(text: string, at: number, why: string) {
  return badRequest(`Syntax error at position ${at} in '${text}': ${why}.`);
}

const COMPARE_OPS = new Set<string>(["eq", "ne", "gt", "ge", "lt", "le"]);
const TEXT_FUNCTIONS = new Set<string>(["contains", "startswith", "endswith"]);

/** The table a filter applies to and the store its related rows come from; lambda operators need both. */
export interface FilterScope {
  readonly store: DataverseStore;
  readonly table: TableMetadata;
}

export interface FilterContext {
  /** The calling user, for `EqualUserId`. */
  readonly userId?: string;
  readonly scope?: FilterScope;
}

/** A lambda's range variable: `c` in `contact_customer_accounts/any(c: c/fullname eq 'x')`, and the table it ranges over. */
interface RangeVariable {
  readonly name: string;
  readonly table: TableMetadata;
}

const LAMBDA = /^(.*)\/(any|all)$/;

export function parseFilter(text: string, context: FilterContext = {}): Condition {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (why: string): never => {
    throw syntax(text, peek()?.at ?? text.length, why);
  };
  const expectPunct = (p: string) => {
    const t = tokens[pos];
    if (t?.type !== "punct" || t.text !== p) fail(`expected '${p}'`);
    pos++;
  };
  const atPunct = (p: string) => {
    const t = peek();
    return t?.type === "punct" && t.text === p;
  };
  const isKeyword = (word: string) => {
    const t = peek();
    return t?.type === "ident" && t.text.toLowerCase() === word;
  };

  const value = (): Scalar => {
    const t = tokens[pos++];
    if (!t) return fail("expected a value");
    if (t.type === "string") return t.text;
    if (t.type === "number") return t.value;
    if (t.type === "ident") {
      if (t.text === "null") return null;
      if (t.text === "true") return true;
      if (t.text === "false") return false;
    }
    return fail("expected a literal value");
  };

  const variables: RangeVariable[] = [];
  const innermost = (): RangeVariable | undefined => variables[variables.length - 1];
  const unknownProperty = (name: string): never => {
    const table = context.scope?.table.logicalName ?? "the filtered table";
    throw badRequest(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${table}'.`);
  };

  /** A path as written (`name`, or `c/name` inside a lambda over `c`) reduced to the name on the table it is read from. */
  const propertyPath = (path: string): string => {
    const variable = innermost();
    if (variable === undefined) {
      if (path.includes("/")) fail(`navigation paths such as '${path}' are not supported in $filter here`);
      return path;
    }
    const slash = path.indexOf("/");
    const head = slash < 0 ? path : path.slice(0, slash);
    const known = variables.find((v) => v.name === head);
    // Outside the innermost variable a name is a column of an outer row: a correlated condition, which this fake does
    // not evaluate; a name that is no variable is read, as ODataLib does, as a column of the filtered table.
    if (known === undefined) {
      if (context.scope !== undefined && !(head in context.scope.table.columns)) return unknownProperty(head);
      return fail(`'${path}' inside the lambda over '${variable.name}' reads the filtered row, which is not supported here`);
    }
    if (known !== variable) return fail(`'${path}' reads the outer variable '${head}' inside the lambda over '${variable.name}', which is not supported here`);
    const rest = path.slice(slash + 1);
    if (slash < 0 || rest === "") return fail(`'${path}' names no property of '${head}'`);
    if (rest.includes("/")) fail(`navigation paths such as '${path}' are not supported in $filter here`);
    return rest;
  };

  const identifier = (): string => {
    const t = tokens[pos++];
    if (t?.type !== "ident") return fail("expected a column name");
    return propertyPath(t.text);
  };

  /** `nav/any(x: ...)`, `nav/any()` or `nav/all(x: ...)`, answered at once against the scope's store. */
  const lambda = (path: string, operator: "any" | "all"): Condition => {
    const scope = context.scope;
    if (scope === undefined) return fail(`the lambda operator '${operator}' needs the table the filter applies to, which this filter has not`);
    const variable = innermost();
    const parent = variable?.table ?? scope.table;
    let navigation = path;
    if (variable !== undefined) {
      const slash = path.indexOf("/");
      if (slash < 0 || path.slice(0, slash) !== variable.name) return fail(`'${path}' inside a lambda must start with its variable '${variable.name}/' here`);
      navigation = path.slice(slash + 1);
    }
    // Microsoft's page: a collection reached through a lookup (`primarycontactid/x/any(...)`) is not supported.
    if (navigation.includes("/")) return fail(`navigation paths such as '${path}' are not supported in $filter here`);
    const relation = scope.store.metadata.collectionNavigation(parent.logicalName, navigation);
    if (relation === undefined) {
      // ODataLib's own wording for any/all after a lookup or a column.
      if (scope.store.metadata.singleNavigation(parent.logicalName, navigation) || navigation in parent.columns) throw badRequest("Any/All may only be used following a collection.");
      throw badRequest(`Could not find a property named '${navigation}' on type 'Microsoft.Dynamics.CRM.${parent.logicalName}'.`);
    }
    const child = scope.store.metadata.require(relation.referencingTable);
    expectPunct("(");
    let body: Condition | undefined;
    if (atPunct(")")) {
      if (operator === "all") fail("'all' needs a lambda expression, such as all(t: t/statecode eq 1)");
    } else {
      const name = tokens[pos];
      if (name?.type !== "ident" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) fail("expected a lambda variable name");
      pos++;
      expectPunct(":");
      variables.push({ name: (name as { text: string }).text, table: child });
      body = or();
      variables.pop();
    }
    expectPunct(")");
    // Whether Dataverse refuses a lambda over a table the caller may not read, or treats its rows as absent, is not
    // documented; the related rows join the query the way a link-entity does, whose table needs the read privilege.
    scope.store.assertPrivilege(child.logicalName, "read");
    const matches = body === undefined ? () => true : compileCondition(child, body);
    const parents = new Set<string>();
    for (const row of scope.store.rows(child.logicalName)) {
      const ref = row[relation.referencingColumn];
      if (!isLookupRef(ref) || ref.table !== parent.logicalName) continue;
      if (operator === "any" ? matches(row) : !matches(row)) parents.add(ref.id);
    }
    const pointedAt: Condition = { kind: "in", column: parent.primaryIdAttribute, values: [...parents] };
    return operator === "any" ? pointedAt : { kind: "not", item: pointedAt };
  };

  const crmFunction = (name: string): Condition => {
    expectPunct("(");
    const args = new Map<string, Scalar | Scalar[]>();
    while (!(atPunct(")"))) {
      const keyToken = tokens[pos++];
      if (keyToken?.type !== "ident") return fail("expected a parameter name");
      const key = keyToken.text;
      expectPunct("=");
      if (atPunct("[")) {
        pos++;
        const list: Scalar[] = [];
        while (!(atPunct("]"))) {
          list.push(value());
          if (atPunct(",")) pos++;
        }
        pos++;
        args.set(key, list);
      } else {
        args.set(key, value());
      }
      if (atPunct(",")) pos++;
    }
    expectPunct(")");
    const property = args.get("PropertyName");
    if (typeof property !== "string") return fail(`${name} needs PropertyName`);
    switch (name) {
      case "In":
      case "NotIn": {
        const values = args.get("PropertyValues");
        if (!Array.isArray(values)) return fail(`${name} needs PropertyValues=[...]`);
        const inCondition: Condition = { kind: "in", column: property, values };
        return name === "In" ? inCondition : { kind: "not", item: inCondition };
      }
      case "EqualUserId":
      case "NotEqualUserId": {
        const eq: Condition = { kind: "compare", column: `_${property}_value`, op: "eq", value: context.userId ?? null };
        return name === "EqualUserId" ? eq : { kind: "not", item: eq };
      }
      default:
        return fail(`the query function 'Microsoft.Dynamics.CRM.${name}' is not supported`);
    }
  };

  const primary = (): Condition => {
    const t = peek();
    if (atPunct("(")) {
      pos++;
      const inner = or();
      expectPunct(")");
      return inner;
    }
    const lambdaPath = t?.type === "ident" ? LAMBDA.exec(t.text) : null;
    if (lambdaPath && tokens[pos + 1]?.type === "punct" && (tokens[pos + 1] as { text: string }).text === "(") {
      pos++;
      return lambda(lambdaPath[1], lambdaPath[2] as "any" | "all");
    }
    if (t?.type === "ident" && t.text.startsWith("Microsoft.Dynamics.CRM.")) {
      pos++;
      return crmFunction(t.text.slice("Microsoft.Dynamics.CRM.".length));
    }
    if (t?.type === "ident" && TEXT_FUNCTIONS.has(t.text.toLowerCase()) && tokens[pos + 1]?.type === "punct") {
      pos++;
      expectPunct("(");
      const column = identifier();
      expectPunct(",");
      const needle = value();
      if (typeof needle !== "string") fail(`${t.text} needs a text value`);
      expectPunct(")");
      return { kind: "text", column, op: t.text.toLowerCase() as TextOp, value: needle as string };
    }
    const column = identifier();
    const op = peek();
    if (op?.type !== "ident" || !COMPARE_OPS.has(op.text)) return fail("expected eq, ne, gt, ge, lt or le");
    pos++;
    return { kind: "compare", column, op: op.text as CompareOp, value: value() };
  };

  const unary = (): Condition => {
    if (isKeyword("not")) {
      pos++;
      return { kind: "not", item: unary() };
    }
    return primary();
  };

  const and = (): Condition => {
    const items = [unary()];
    while (isKeyword("and")) {
      pos++;
      items.push(unary());
    }
    return items.length === 1 ? items[0] : { kind: "and", items };
  };

  function or(): Condition {
    const items = [and()];
    while (isKeyword("or")) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0] : { kind: "or", items };
  }

  const result = or();
  if (pos < tokens.length) fail("unexpected text after the end of the expression");
  return result;
}
