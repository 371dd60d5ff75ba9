/** Syntax tree of one expression. `pos` is the 0-based offset of the node in the whole source string. */
export type Node =
  | { kind: "literal"; value: null | boolean | number | string; float: boolean; pos: number }
  | { kind: "call"; name: string; args: Node[]; pos: number }
  | { kind: "index"; target: Node; index: Node; optional: boolean; pos: number }
  | { kind: "member"; target: Node; name: string; optional: boolean; pos: number };

/** A JSON string value in a workflow definition, classified the way the runtime reads it. */
export type Template =
  | { kind: "text"; value: string }
  | { kind: "expression"; source: string; body: Node }
  | { kind: "interpolation"; source: string; parts: (string | Node)[] };
