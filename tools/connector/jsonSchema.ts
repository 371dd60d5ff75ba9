/**
 * A small JSON Schema validator for the draft-04 and draft-07 keywords that Microsoft's connector
 * schemas use (type, properties, patternProperties, additionalProperties, required, enum, const,
 * items, additionalItems, min/max*, pattern, uniqueItems, allOf/anyOf/oneOf/not, dependencies, $ref).
 * No validator is a declared dependency of this repository, and these schemas need only this subset.
 * `format` is an annotation here, as draft-07 allows.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = boolean | Record<string, Json>;

export interface SchemaError {
  /** JSON path in the instance, e.g. $.paths["/teams"].post.summary */
  path: string;
  /** The schema keyword that failed and where it is, e.g. #/definitions/operation/additionalProperties */
  keyword: string;
  schemaPath: string;
  message: string;
}

/** Removes // and /* *\/ comments outside strings: Microsoft's schema files are JSONC. */
export function stripJsonComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function jsonPathChild(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(value: Json, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, Json>;
  const rb = b as Record<string, Json>;
  return ka.length === kb.length && ka.every((k) => k in rb && deepEqual(ra[k], rb[k]));
}

function decodePointerToken(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");
}

export interface ValidatorOptions {
  /** Documents for absolute $ref URIs (without fragment), e.g. the draft-04 meta-schema. */
  externalDocuments?: Record<string, Json>;
}

export class SchemaValidator {
  private readonly root: Json;
  private readonly external: Record<string, Json>;
  private readonly regexCache = new Map<string, RegExp>();

  constructor(root: Schema, options: ValidatorOptions = {}) {
    this.root = root;
    this.external = options.externalDocuments ?? {};
  }

  validate(instance: Json): SchemaError[] {
    const errors: SchemaError[] = [];
    this.check(instance, this.root, "$", "#", this.root, errors);
    return errors;
  }

  private regex(pattern: string): RegExp {
    let re = this.regexCache.get(pattern);
    if (!re) {
      re = new RegExp(pattern, "u");
      this.regexCache.set(pattern, re);
    }
    return re;
  }

  private resolve(ref: string, currentDoc: Json): { schema: Json; doc: Json } {
    const hash = ref.indexOf("#");
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.slice(hash + 1);
    let doc = currentDoc;
    if (base) {
      const found = this.external[base];
      if (found === undefined) throw new Error(`$ref '${ref}' points to a document the validator was not given`);
      doc = found;
    }
    let node: Json = doc;
    for (const token of fragment.split("/").filter((t) => t !== "")) {
      const key = decodePointerToken(token);
      if (node === null || typeof node !== "object" || !(key in (node as Record<string, Json>))) {
        throw new Error(`$ref '${ref}' does not resolve (no '${key}')`);
      }
      node = (node as Record<string, Json>)[key];
    }
    return { schema: node, doc };
  }

  private check(value: Json, schema: Json, path: string, schemaPath: string, doc: Json, errors: SchemaError[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push({ path, keyword: "false", schemaPath, message: "no value is allowed here" });
      return;
    }
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return;
    const s = schema as Record<string, Json>;
    const fail = (keyword: string, message: string) => errors.push({ path, keyword, schemaPath: `${schemaPath}/${keyword}`, message });

    if (typeof s.$ref === "string") {
      // draft-04/07: $ref replaces the rest of the schema object.
      const target = this.resolve(s.$ref, doc);
      this.check(value, target.schema, path, s.$ref.startsWith("#") ? s.$ref : s.$ref, target.doc, errors);
      return;
    }

    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(value, t))) {
        fail("type", `expected ${types.join(" or ")}, got ${typeOf(value)}`);
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) {
      fail("enum", `value ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
    }
    if (s.const !== undefined && !deepEqual(s.const, value)) fail("const", `value must be ${JSON.stringify(s.const)}`);

    if (typeof value === "string") {
      const length = [...value].length;
      if (typeof s.minLength === "number" && length < s.minLength) fail("minLength", `string shorter than ${s.minLength}`);
      if (typeof s.maxLength === "number" && length > s.maxLength) fail("maxLength", `string longer than ${s.maxLength}`);
      if (typeof s.pattern === "string" && !this.regex(s.pattern).test(value)) fail("pattern", `'${value}' does not match /${s.pattern}/`);
    }
    if (typeof value === "number") {
      if (typeof s.minimum === "number") {
        const exclusive = s.exclusiveMinimum === true;
        if (exclusive ? value <= s.minimum : value < s.minimum) fail("minimum", `${value} is below ${s.minimum}`);
      }
      if (typeof s.maximum === "number") {
        const exclusive = s.exclusiveMaximum === true;
        if (exclusive ? value >= s.maximum : value > s.maximum) fail("maximum", `${value} is above ${s.maximum}`);
      }
      if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) fail("exclusiveMinimum", `${value} must be above ${s.exclusiveMinimum}`);
      if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) fail("exclusiveMaximum", `${value} must be below ${s.exclusiveMaximum}`);
      if (typeof s.multipleOf === "number" && Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9) fail("multipleOf", `${value} is not a multiple of ${s.multipleOf}`);
    }
    if (Array.isArray(value)) {
      if (typeof s.minItems === "number" && value.length < s.minItems) fail("minItems", `array has fewer than ${s.minItems} items`);
      if (typeof s.maxItems === "number" && value.length > s.maxItems) fail("maxItems", `array has more than ${s.maxItems} items`);
      if (s.uniqueItems === true && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) fail("uniqueItems", "array items are not unique");
      if (Array.isArray(s.items)) {
        const tuple = s.items;
        value.forEach((item, i) => {
          if (i < tuple.length) this.check(item, tuple[i], jsonPathChild(path, i), `${schemaPath}/items/${i}`, doc, errors);
          else if (s.additionalItems !== undefined) this.check(item, s.additionalItems, jsonPathChild(path, i), `${schemaPath}/additionalItems`, doc, errors);
        });
      } else if (s.items !== undefined) {
        value.forEach((item, i) => this.check(item, s.items, jsonPathChild(path, i), `${schemaPath}/items`, doc, errors));
      }
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const obj = value as Record<string, Json>;
      const keys = Object.keys(obj);
      if (typeof s.minProperties === "number" && keys.length < s.minProperties) fail("minProperties", `object has fewer than ${s.minProperties} properties`);
      if (typeof s.maxProperties === "number" && keys.length > s.maxProperties) fail("maxProperties", `object has more than ${s.maxProperties} properties`);
      if (Array.isArray(s.required)) {
        for (const name of s.required as string[]) if (!(name in obj)) fail("required", `missing required property '${name}'`);
      }
      const properties = (s.properties ?? {}) as Record<string, Json>;
      const patternProperties = (s.patternProperties ?? {}) as Record<string, Json>;
      for (const key of keys) {
        let matched = false;
        const childPath = jsonPathChild(path, key);
        if (Object.prototype.hasOwnProperty.call(properties, key)) {
          matched = true;
          this.check(obj[key], properties[key], childPath, `${schemaPath}/properties/${key}`, doc, errors);
        }
        for (const [pattern, sub] of Object.entries(patternProperties)) {
          if (this.regex(pattern).test(key)) {
            matched = true;
            this.check(obj[key], sub, childPath, `${schemaPath}/patternProperties/${pattern}`, doc, errors);
          }
        }
        if (!matched && s.additionalProperties !== undefined) {
          if (s.additionalProperties === false) {
            errors.push({ path: childPath, keyword: "additionalProperties", schemaPath: `${schemaPath}/additionalProperties`, message: `property '${key}' is not allowed` });
          } else {
            this.check(obj[key], s.additionalProperties, childPath, `${schemaPath}/additionalProperties`, doc, errors);
          }
        }
      }
      if (s.dependencies && typeof s.dependencies === "object") {
        for (const [key, dep] of Object.entries(s.dependencies as Record<string, Json>)) {
          if (!(key in obj)) continue;
          if (Array.isArray(dep)) {
            for (const needed of dep as string[]) if (!(needed in obj)) fail("dependencies", `'${key}' requires '${needed}'`);
          } else {
            this.check(value, dep, path, `${schemaPath}/dependencies/${key}`, doc, errors);
          }
        }
      }
    }

    if (Array.isArray(s.allOf)) s.allOf.forEach((sub, i) => this.check(value, sub, path, `${schemaPath}/allOf/${i}`, doc, errors));
    if (Array.isArray(s.anyOf)) {
      const branches = s.anyOf.map((sub, i) => this.branch(value, sub, path, `${schemaPath}/anyOf/${i}`, doc));
      if (!branches.some((b) => b.length === 0)) fail("anyOf", `matches none of the anyOf schemas (${describeBranches(branches)})`);
    }
    if (Array.isArray(s.oneOf)) {
      const branches = s.oneOf.map((sub, i) => this.branch(value, sub, path, `${schemaPath}/oneOf/${i}`, doc));
      const passing = branches.filter((b) => b.length === 0).length;
      if (passing !== 1) fail("oneOf", passing === 0 ? `matches none of the oneOf schemas (${describeBranches(branches)})` : `matches ${passing} of the oneOf schemas, exactly one is allowed`);
    }
    if (s.not !== undefined && this.branch(value, s.not, path, `${schemaPath}/not`, doc).length === 0) fail("not", "matches a schema it must not match");
  }

  private branch(value: Json, schema: Json, path: string, schemaPath: string, doc: Json): SchemaError[] {
    const errors: SchemaError[] = [];
    this.check(value, schema, path, schemaPath, doc, errors);
    return errors;
  }
}

function describeBranches(branches: SchemaError[][]): string {
  const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
  return best.slice(0, 2).map((e) => `${e.path}: ${e.message}`).join("; ");
}

/**
 * The parts of the JSON Schema draft-04 meta-schema that Microsoft's apiDefinition schema refers to
 * by absolute URI (http://json-schema.org/draft-04/schema#/...), written from the draft-04 spec.
 */
export const DRAFT04_META_SUBSET: Json = {
  definitions: {
    positiveInteger: { type: "integer", minimum: 0 },
    positiveIntegerDefault0: { allOf: [{ $ref: "#/definitions/positiveInteger" }, { default: 0 }] },
    simpleTypes: { enum: ["array", "boolean", "integer", "null", "number", "object", "string"] },
    stringArray: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true },
  },
  properties: {
    title: { type: "string" },
    description: { type: "string" },
    default: {},
    multipleOf: { type: "number", minimum: 0, exclusiveMinimum: true },
    maximum: { type: "number" },
    exclusiveMaximum: { type: "boolean", default: false },
    minimum: { type: "number" },
    exclusiveMinimum: { type: "boolean", default: false },
    pattern: { type: "string" },
    uniqueItems: { type: "boolean", default: false },
    enum: { type: "array", minItems: 1, uniqueItems: true },
    type: {
      anyOf: [
        { $ref: "#/definitions/simpleTypes" },
        { type: "array", items: { $ref: "#/definitions/simpleTypes" }, minItems: 1, uniqueItems: true },
      ],
    },
  },
};

export const DRAFT04_URI = "http://json-schema.org/draft-04/schema";
