/**
 * The Web API's metadata resources as Dataverse serves them, for the requests our controls, flows and the live suite
 * make: `EntityDefinitions` (by key `LogicalName='…'`, or filtered), with `$select` and `$expand` of `Attributes`,
 * `ManyToOneRelationships` and `OneToManyRelationships`; those collections addressed directly, one attribute by key,
 * and the typed casts (`/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet`).
 *
 * Shapes follow Microsoft's metadata entity types (EntityMetadata, AttributeMetadata and its derived types,
 * OneToManyRelationshipMetadata): labels as `{ LocalizedLabels, UserLocalizedLabel }`, `MaxLength` on strings,
 * `Targets` on lookups, `DateTimeBehavior: { Value }` on dates, `OptionSet` only when expanded. `$filter` here is the
 * subset metadata queries use: `Property eq 'value'` (or a number or boolean) joined by `and`.
 *
 * Where our metadata does not record a fact Dataverse has (a relationship's SchemaName when no one-to-many side is
 * modelled, MetadataIds), the fake answers null or a stable made-up id, never a plausible wrong name.
 */
import { badRequest, DataverseServiceError, ERROR_CODES } from "../errors";
import type { ChoiceOption, ColumnMetadata, LanguageId, Labels, MetadataSet, TableMetadata } from "../metadata";
import { splitTopLevel } from "./queryOptions";
import type { JsonObject, JsonValue } from "./wire";

/** The AttributeType Dataverse reports for a column, and the derived metadata type a cast names. */
export function attributeTypeOf(column: ColumnMetadata): string {
  switch (column.type) {
    case "uniqueidentifier":
      return "Uniqueidentifier";
    case "string":
      return column.holdsTableName === true ? "EntityName" : "String";
    case "memo":
      return "Memo";
    case "integer":
      return "Integer";
    case "bigint":
      return "BigInt";
    case "decimal":
      return "Decimal";
    case "money":
      return "Money";
    case "datetime":
    case "dateonly":
      return "DateTime";
    case "boolean":
      return "Boolean";
    case "choice":
      return "Picklist";
    case "state":
      return "State";
    case "status":
      return "Status";
    case "lookup": {
      // Dataverse types the owner and account-or-contact lookups apart from plain ones; our metadata keeps one type.
      if (column.logicalName === "ownerid") return "Owner";
      const targets = (column.targets ?? []).map((t) => t.table).sort();
      return targets.length === 2 && targets[0] === "account" && targets[1] === "contact" ? "Customer" : "Lookup";
    }
  }
}

const DERIVED_TYPES: Readonly<Record<string, string>> = {
  Uniqueidentifier: "UniqueIdentifierAttributeMetadata",
  String: "StringAttributeMetadata",
  EntityName: "EntityNameAttributeMetadata",
  Memo: "MemoAttributeMetadata",
  Integer: "IntegerAttributeMetadata",
  BigInt: "BigIntAttributeMetadata",
  Decimal: "DecimalAttributeMetadata",
  Money: "MoneyAttributeMetadata",
  DateTime: "DateTimeAttributeMetadata",
  Boolean: "BooleanAttributeMetadata",
  Picklist: "PicklistAttributeMetadata",
  State: "StateAttributeMetadata",
  Status: "StatusAttributeMetadata",
  Lookup: "LookupAttributeMetadata",
  Customer: "LookupAttributeMetadata",
  Owner: "LookupAttributeMetadata",
};
const CAST_PREFIX = "Microsoft.Dynamics.CRM.";

function label(labels: Labels, language: LanguageId): JsonObject {
  const localized = ([1033, 2052] as const).map((code) => ({ Label: labels[code], LanguageCode: code, IsManaged: true, HasChanged: null }));
  return { LocalizedLabels: localized, UserLocalizedLabel: localized.find((l) => l.LanguageCode === language) ?? localized[0] };
}

/** A stable id per metadata item: Dataverse's are GUIDs the client never chooses, so any fixed value will do. */
function metadataId(key: string): string {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

function entityJson(table: TableMetadata, language: LanguageId): JsonObject {
  return {
    MetadataId: metadataId(table.logicalName),
    LogicalName: table.logicalName,
    SchemaName: table.schemaName ?? null,
    EntitySetName: table.entitySetName,
    LogicalCollectionName: table.entitySetName,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryNameAttribute: table.primaryNameAttribute,
    DisplayName: label(table.displayName, language),
    DisplayCollectionName: label(table.displayCollectionName, language),
    IsActivity: table.isActivity,
    IsCustomEntity: table.logicalName.startsWith("tcc_"),
  };
}

function optionJson(option: ChoiceOption, language: LanguageId): JsonObject {
  return {
    Value: option.value,
    Label: label(option.labels, language),
    Color: option.color ?? null,
    ...(option.state !== undefined && { State: option.state }),
    ...(option.defaultStatus !== undefined && { DefaultStatus: option.defaultStatus }),
  };
}

function optionSetJson(table: TableMetadata, column: ColumnMetadata, language: LanguageId): JsonObject {
  if (column.type === "boolean") {
    const labels = column.booleanLabels ?? { true: { 1033: "Yes", 2052: "是" }, false: { 1033: "No", 2052: "否" } };
    return {
      MetadataId: metadataId(`${table.logicalName}.${column.logicalName}.options`),
      OptionSetType: "Boolean",
      TrueOption: { Value: 1, Label: label(labels.true, language) },
      FalseOption: { Value: 0, Label: label(labels.false, language) },
    };
  }
  return {
    MetadataId: metadataId(`${table.logicalName}.${column.logicalName}.options`),
    Name: `${table.logicalName}_${column.logicalName}`,
    OptionSetType: column.type === "choice" ? "Picklist" : column.type === "state" ? "State" : "Status",
    Options: (column.options ?? []).map((o) => optionJson(o, language)),
  };
}

const HAS_OPTION_SET = new Set(["Picklist", "State", "Status", "Boolean"]);

function attributeJson(table: TableMetadata, column: ColumnMetadata, language: LanguageId): JsonObject {
  const type = attributeTypeOf(column);
  const writable = column.readOnly !== true && column.logicalName !== table.primaryIdAttribute;
  return {
    "@odata.type": `#${CAST_PREFIX}${DERIVED_TYPES[type]}`,
    MetadataId: metadataId(`${table.logicalName}.${column.logicalName}`),
    LogicalName: column.logicalName,
    SchemaName: column.schemaName ?? null,
    EntityLogicalName: table.logicalName,
    AttributeType: type,
    AttributeTypeName: { Value: `${type}Type` },
    DisplayName: label(column.displayName, language),
    IsPrimaryId: column.logicalName === table.primaryIdAttribute,
    IsPrimaryName: column.logicalName === table.primaryNameAttribute,
    IsValidForCreate: writable || column.logicalName === table.primaryIdAttribute,
    IsValidForUpdate: writable,
    IsValidForRead: true,
    ...(column.maxLength !== undefined && (type === "String" || type === "Memo") && { MaxLength: column.maxLength }),
    ...((type === "Lookup" || type === "Customer" || type === "Owner") && { Targets: (column.targets ?? []).map((t) => t.table) }),
    ...(type === "DateTime" && {
      DateTimeBehavior: { Value: column.type === "dateonly" ? "DateOnly" : "UserLocal" },
      Format: column.type === "dateonly" ? "DateOnly" : "DateAndTime",
    }),
  };
}

function manyToOneOf(metadata: MetadataSet, table: TableMetadata): JsonObject[] {
  const out: JsonObject[] = [];
  for (const column of Object.values(table.columns)) {
    for (const target of column.targets ?? []) {
      const referenced = metadata.table(target.table);
      const reverse = referenced?.oneToMany.find((r) => r.referencingTable === table.logicalName && r.referencingColumn === column.logicalName);
      out.push(relationshipJson(reverse?.schemaName ?? reverse?.navigationProperty ?? null, target.table, referenced?.primaryIdAttribute ?? `${target.table}id`, table.logicalName, column.logicalName, target.navigationProperty, reverse?.navigationProperty ?? null));
    }
  }
  return out;
}

function oneToManyOf(metadata: MetadataSet, table: TableMetadata): JsonObject[] {
  return table.oneToMany.map((r) => {
    const single = metadata.table(r.referencingTable)?.columns[r.referencingColumn]?.targets?.find((t) => t.table === table.logicalName);
    return relationshipJson(r.schemaName ?? r.navigationProperty, table.logicalName, table.primaryIdAttribute, r.referencingTable, r.referencingColumn, single?.navigationProperty ?? null, r.navigationProperty);
  });
}

function relationshipJson(
  schemaName: string | null,
  referencedEntity: string,
  referencedAttribute: string,
  referencingEntity: string,
  referencingAttribute: string,
  referencingNavigation: string | null,
  referencedNavigation: string | null,
): JsonObject {
  return {
    MetadataId: metadataId(`${referencingEntity}.${referencingAttribute}->${referencedEntity}`),
    SchemaName: schemaName,
    RelationshipType: "OneToManyRelationship",
    ReferencedEntity: referencedEntity,
    ReferencedAttribute: referencedAttribute,
    ReferencingEntity: referencingEntity,
    ReferencingAttribute: referencingAttribute,
    ReferencingEntityNavigationPropertyName: referencingNavigation,
    ReferencedEntityNavigationPropertyName: referencedNavigation,
  };
}

/** `$select=a,b` and `$filter=…` of one level, from a query string or from inside `$expand=X(…;…)`. */
interface LevelOptions {
  readonly select?: readonly string[];
  readonly filter?: string;
  readonly expand: ReadonlyMap<string, LevelOptions>;
}

function parseExpand(text: string): Map<string, LevelOptions> {
  const expand = new Map<string, LevelOptions>();
  for (const item of splitTopLevel(text, ",")) {
    const m = /^([A-Za-z_.]+)(?:\((.*)\))?$/s.exec(item);
    if (!m) throw badRequest(`The $expand item '${item}' is not valid.`);
    const nested = new Map<string, string>();
    for (const option of splitTopLevel(m[2] ?? "", ";")) {
      const eq = option.indexOf("=");
      nested.set(option.slice(0, eq).trim(), option.slice(eq + 1));
    }
    expand.set(m[1], levelOptions(nested));
  }
  return expand;
}

function levelOptions(params: ReadonlyMap<string, string>): LevelOptions {
  const select = params.get("$select");
  const filter = params.get("$filter");
  const expand = params.get("$expand");
  return {
    ...(select !== undefined && { select: select.split(",").map((s) => s.trim()).filter((s) => s !== "") }),
    ...(filter !== undefined && { filter }),
    expand: expand === undefined ? new Map() : parseExpand(expand),
  };
}

type Condition = (item: JsonObject) => boolean;

function compileFilter(filter: string | undefined, typeName: string): Condition {
  if (filter === undefined || filter.trim() === "") return () => true;
  const tests = filter.split(/\s+and\s+/i).map((clause) => {
    const m = /^\s*([A-Za-z]+)\s+eq\s+(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|(true|false|null))\s*$/i.exec(clause);
    if (!m) throw badRequest(`The metadata $filter clause '${clause.trim()}' is not supported: use Property eq 'value' joined by 'and'.`);
    const [, property, text, number, literal] = m;
    const expected: JsonValue = text !== undefined ? text.replace(/''/g, "'") : number !== undefined ? Number(number) : literal.toLowerCase() === "null" ? null : literal.toLowerCase() === "true";
    return (item: JsonObject) => {
      if (!(property in item)) throw badRequest(`Could not find a property named '${property}' on type '${CAST_PREFIX}${typeName}'.`);
      return item[property] === expected;
    };
  });
  return (item) => tests.every((t) => t(item));
}

function shape(item: JsonObject, options: LevelOptions, typeName: string, extra: (name: string) => JsonValue | undefined): JsonObject {
  let out: JsonObject = item;
  if (options.select) {
    out = {};
    if ("@odata.type" in item) out["@odata.type"] = item["@odata.type"];
    for (const name of options.select) {
      if (!(name in item)) throw badRequest(`Could not find a property named '${name}' on type '${CAST_PREFIX}${typeName}'.`);
      out[name] = item[name];
    }
    out.MetadataId = item.MetadataId;
  }
  for (const name of options.expand.keys()) {
    const value = extra(name);
    if (value === undefined) throw badRequest(`Could not find a property named '${name}' on type '${CAST_PREFIX}${typeName}'.`);
    out[name] = value;
  }
  return out;
}

export interface MetadataRequest {
  readonly path: string;
  readonly search: URLSearchParams;
  readonly metadata: MetadataSet;
  readonly language: LanguageId;
  readonly baseUrl: string;
}

/** Whether a Web API path addresses metadata; such paths are answered by `answerMetadata`. */
export function isMetadataPath(path: string): boolean {
  return /^EntityDefinitions(\(|$|\/)/.test(path);
}

/** The JSON body Dataverse returns for a GET on a metadata path, or a DataverseServiceError as it would fail. */
export function answerMetadata(request: MetadataRequest): JsonObject {
  const { metadata, language, baseUrl } = request;
  const params = new Map([...request.search.entries()]);
  const options = levelOptions(params);
  const m = /^EntityDefinitions(?:\((?:LogicalName=)?'([^']*)'\))?(?:\/(.*))?$/.exec(request.path);
  if (!m) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `Resource not found for the segment '${request.path}'.`);
  const [, key, rest] = m;
  const context = `${baseUrl}$metadata#EntityDefinitions`;

  const entityExtra = (table: TableMetadata, level: LevelOptions) => (name: string): JsonValue | undefined => {
    const nested = level.expand.get(name) ?? { expand: new Map() };
    if (name === "Attributes") return attributesOf(table, nested, undefined);
    if (name === "ManyToOneRelationships") return listOf(manyToOneOf(metadata, table), nested, "OneToManyRelationshipMetadata");
    if (name === "OneToManyRelationships") return listOf(oneToManyOf(metadata, table), nested, "OneToManyRelationshipMetadata");
    return undefined;
  };
  const listOf = (items: JsonObject[], level: LevelOptions, typeName: string): JsonObject[] => {
    const keep = compileFilter(level.filter, typeName);
    return items.filter(keep).map((item) => shape(item, level, typeName, () => undefined));
  };
  const attributesOf = (table: TableMetadata, level: LevelOptions, cast: string | undefined): JsonObject[] => {
    const typeName = cast ?? "AttributeMetadata";
    const keep = compileFilter(level.filter, typeName);
    return Object.values(table.columns)
      .filter((c) => cast === undefined || DERIVED_TYPES[attributeTypeOf(c)] === cast)
      .map((c) => ({ column: c, json: attributeJson(table, c, language) }))
      .filter(({ json }) => keep(json))
      .map(({ column, json }) =>
        shape(json, level, typeName, (name) => (name === "OptionSet" && HAS_OPTION_SET.has(attributeTypeOf(column)) ? optionSetJson(table, column, language) : undefined)),
      );
  };

  if (key === undefined) {
    if (rest !== undefined) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `Resource not found for the segment '${request.path}'.`);
    const keep = compileFilter(options.filter, "EntityMetadata");
    const value = metadata
      .tables()
      .map((t) => ({ table: t, json: entityJson(t, language) }))
      .filter(({ json }) => keep(json))
      .map(({ table, json }) => shape(json, options, "EntityMetadata", entityExtra(table, options)));
    return { "@odata.context": context, value };
  }

  const table = metadata.table(key);
  // The platform's metadata reader fails this way for a logical name it does not have.
  if (!table) throw new DataverseServiceError(404, ERROR_CODES.objectDoesNotExist, `Could not find an entity with name ${key} and id 00000000-0000-0000-0000-000000000000.`);
  if (rest === undefined) return { "@odata.context": `${context}/$entity`, ...shape(entityJson(table, language), options, "EntityMetadata", entityExtra(table, options)) };

  const segment = /^(Attributes|ManyToOneRelationships|OneToManyRelationships)(?:\((?:LogicalName=)?'([^']*)'\))?(?:\/(.*))?$/.exec(rest);
  if (!segment) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `Resource not found for the segment '${rest}'.`);
  const [, collection, itemKey, castPath] = segment;
  const cast = castPath === undefined ? undefined : castPath.startsWith(CAST_PREFIX) ? castPath.slice(CAST_PREFIX.length) : null;
  if (cast === null || (cast !== undefined && !Object.values(DERIVED_TYPES).includes(cast))) {
    throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `Resource not found for the segment '${castPath}'.`);
  }
  if (collection !== "Attributes") {
    if (itemKey !== undefined || cast !== undefined) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `Resource not found for the segment '${rest}'.`);
    const items = collection === "ManyToOneRelationships" ? manyToOneOf(metadata, table) : oneToManyOf(metadata, table);
    return { "@odata.context": `${context}('${key}')/${collection}`, value: listOf(items, options, "OneToManyRelationshipMetadata") };
  }
  if (itemKey === undefined) return { "@odata.context": `${context}('${key}')/Attributes`, value: attributesOf(table, options, cast) };
  const column = table.columns[itemKey];
  if (!column) throw new DataverseServiceError(404, ERROR_CODES.objectDoesNotExist, `Could not find an attribute with name ${itemKey} on entity ${key}.`);
  const found = attributesOf({ ...table, columns: { [itemKey]: column } }, options, cast);
  if (found.length === 0) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `The attribute ${itemKey} of ${key} is not a ${cast ?? "attribute"}.`);
  return { "@odata.context": `${context}('${key}')/Attributes/$entity`, ...found[0] };
}
