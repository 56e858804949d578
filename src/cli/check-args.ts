/**
 * For `tsgrad check`: the entry points of a generated module as its text declares them, and
 * random arguments of their parameters' types. The generated module spells out every type its
 * signatures use (numbers, booleans, string literal unions, numeric arrays and matrices, typed
 * arrays, tuples, objects with optional fields, arrays of them, and the structure types it
 * declares under the source's names), so its syntax is all that is needed, without a checker.
 */
import ts from "typescript";

export interface Param {
  /** Its name in the entry points, which is its key in `grad` and `tangents`. */
  name: string;
  type: ts.TypeNode | undefined;
  optional: boolean;
}

export interface EntryPoints {
  /** `f_grad` (a number result) or `f_vjp` (anything else). */
  reverse: string;
  vector: boolean;
  forward: string | undefined;
  params: Param[];
  /** Numbers the doc comment calls inactive (`n`, `springs[i].i`, `ps[i].pos.x`): not perturbed. */
  inactive: Set<string>;
}

/** The functions and structure types a generated module declares. */
export class GeneratedModule {
  private readonly functions = new Map<string, ts.FunctionDeclaration>();
  private readonly aliases = new Map<string, string>();
  readonly types = new Map<string, ts.TypeNode>();
  /** Computes in single precision somewhere (Float32Array, Math.fround): derivatives agree to about 1e-7. */
  readonly single: boolean;

  constructor(code: string) {
    this.single = /\bFloat32Array\b|\bMath\.fround\b/.test(code);
    const sf = ts.createSourceFile("generated.ts", code, ts.ScriptTarget.ES2022, true);
    for (const s of sf.statements) {
      if (ts.isFunctionDeclaration(s) && s.name) this.functions.set(s.name.text, s);
      else if (ts.isTypeAliasDeclaration(s)) this.types.set(s.name.text, s.type);
      else if (ts.isInterfaceDeclaration(s)) this.types.set(s.name.text, ts.factory.createTypeLiteralNode(s.members.filter(ts.isPropertySignature)));
      else if (ts.isVariableStatement(s)) {
        // `export const g_grad = f_grad;` (one function exported under two names).
        for (const d of s.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.initializer && ts.isIdentifier(d.initializer)) this.aliases.set(d.name.text, d.initializer.text);
        }
      }
    }
  }

  private find(name: string): ts.FunctionDeclaration | undefined {
    for (let n: string | undefined = name, depth = 0; n !== undefined && depth < 10; n = this.aliases.get(n), depth++) {
      const f = this.functions.get(n);
      if (f) return f;
    }
    return undefined;
  }

  entryPoints(fn: string): EntryPoints | undefined {
    const grad = this.find(`${fn}_grad`);
    const vjp = grad ? undefined : this.find(`${fn}_vjp`);
    const reverse = grad ?? vjp;
    if (!reverse) return undefined;
    const declared = vjp ? reverse.parameters.slice(0, -1) : reverse.parameters;
    const params = declared.map((p) => ({
      name: p.name.getText(),
      type: p.type,
      optional: !!p.questionToken || !!p.initializer || (!!p.type && ts.isUnionTypeNode(p.type) && p.type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword)),
    }));
    const inactive = new Set<string>();
    const doc = /Active parameters: ([^\n]*)|No active parameters([^\n]*)/.exec(reverse.getFullText().slice(0, reverse.getLeadingTriviaWidth()));
    const tail = doc ? (doc[1] ?? doc[2] ?? "").split("; ").slice(1).join("; ") : "";
    for (const m of tail.matchAll(/`([^`]+)`/g)) inactive.add(m[1]!);
    return { reverse: grad ? `${fn}_grad` : `${fn}_vjp`, vector: !grad, forward: this.find(`${fn}_jvp`) ? `${fn}_jvp` : undefined, params, inactive };
  }
}

/** A number inside the arguments: where it is (`keys[0]` is the parameter's position) and how it is treated. */
export interface Leaf {
  keys: (string | number)[];
  /** The doc comment's name for it: `xs`, `p.pos.x`, `ps[i].mass`, `arg1[0]`. */
  doc: string;
  /** Stored in a Float32Array (rounded to single precision). */
  single: boolean;
  /** Not differentiated (an index, a count, data that does not reach the result): not perturbed. */
  inactive: boolean;
}

export interface Sampler {
  random: () => number;
  /** The length of every array of this call (matrices are length x length). */
  length: number;
  /** Each array of its own length instead (a fixed-size 4x4 matrix beside a 3-vector, ...). */
  mixed: boolean;
  /** Active numbers in (0.1, 2) instead of [-1.5, 1.5]. */
  positive: boolean;
}

export class CannotGenerate extends Error {}

const MIXED_LENGTHS = [2, 3, 4, 6, 9, 16];
const INTEGER_ARRAYS = new Set(["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array"]);

/** Random arguments for `params`, and the numbers in them. */
export function sampleArguments(module: GeneratedModule, entry: EntryPoints, s: Sampler): { args: unknown[]; leaves: Leaf[] } {
  const leaves: Leaf[] = [];
  const float = (): number => (s.positive ? 0.1 + 1.9 * s.random() : 3 * s.random() - 1.5);
  // Inactive numbers are mostly counts and indices: 1 .. length-1 indexes and loops.
  // (With arrays of mixed lengths, indices stay below the shortest.)
  const shortest = s.mixed ? Math.min(...MIXED_LENGTHS) : s.length;
  const integer = (): number => 1 + Math.floor(s.random() * Math.max(1, shortest - 1));
  const lengthOf = (): number => (s.mixed ? MIXED_LENGTHS[Math.floor(s.random() * MIXED_LENGTHS.length)]! : s.length);
  const number = (keys: (string | number)[], doc: string, single = false): number => {
    const inactive = entry.inactive.has(doc) || (doc.startsWith("self") && entry.inactive.has(doc.replace(/^self/, "this")));
    leaves.push({ keys, doc, single, inactive });
    return inactive ? integer() : float();
  };
  const resolve = (node: ts.TypeNode, depth: number): ts.TypeNode => {
    if (depth > 20) throw new CannotGenerate("a recursive type");
    if (ts.isParenthesizedTypeNode(node)) return resolve(node.type, depth + 1);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return resolve(node.type, depth + 1);
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const name = node.typeName.text;
      const alias = module.types.get(name);
      if (alias) return resolve(alias, depth + 1);
      if ((name === "Array" || name === "ReadonlyArray") && node.typeArguments?.length === 1) return ts.factory.createArrayTypeNode(node.typeArguments[0]!);
    }
    if (ts.isUnionTypeNode(node)) {
      const defined = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
      if (defined.length === 1) return resolve(defined[0]!, depth + 1);
    }
    return node;
  };
  const isNumber = (node: ts.TypeNode): boolean => resolve(node, 0).kind === ts.SyntaxKind.NumberKeyword;
  const typedArrayName = (node: ts.TypeNode): string | undefined => {
    const r = resolve(node, 0);
    return ts.isTypeReferenceNode(r) && ts.isIdentifier(r.typeName) && /Array$/.test(r.typeName.text) ? r.typeName.text : undefined;
  };

  const value = (node: ts.TypeNode, keys: (string | number)[], doc: string, rowLength?: number): unknown => {
    const t = resolve(node, 0);
    switch (t.kind) {
      case ts.SyntaxKind.NumberKeyword:
        return number(keys, doc);
      case ts.SyntaxKind.BooleanKeyword:
        return s.random() < 0.5;
      case ts.SyntaxKind.StringKeyword:
        return "";
    }
    if (ts.isLiteralTypeNode(t)) {
      if (ts.isStringLiteral(t.literal)) return t.literal.text;
      if (ts.isNumericLiteral(t.literal)) return Number(t.literal.text);
      if (t.literal.kind === ts.SyntaxKind.TrueKeyword) return true;
      if (t.literal.kind === ts.SyntaxKind.FalseKeyword) return false;
    }
    if (ts.isUnionTypeNode(t)) {
      const members = t.types.filter((m) => m.kind !== ts.SyntaxKind.UndefinedKeyword);
      return value(members[Math.floor(s.random() * members.length)]!, keys, doc);
    }
    const typed = typedArrayName(t);
    if (typed && ts.isTypeReferenceNode(t) && !t.typeArguments) {
      if (INTEGER_ARRAYS.has(typed)) {
        // Index data: valid indices of this call's arrays.
        const Ctor = (globalThis as unknown as Record<string, new (n: number) => { [k: number]: number; length: number }>)[typed]!;
        const a = new Ctor(lengthOf());
        for (let k = 0; k < a.length; k++) a[k] = Math.floor(s.random() * shortest);
        return a;
      }
      if (typed === "Float64Array" || typed === "Float32Array") {
        const n = rowLength ?? lengthOf();
        const a = typed === "Float64Array" ? new Float64Array(n) : new Float32Array(n);
        for (let k = 0; k < n; k++) a[k] = number([...keys, k], doc, typed === "Float32Array");
        return a;
      }
    }
    if (ts.isArrayTypeNode(t)) {
      const element = t.elementType;
      // A numeric array or matrix is one parameter in the doc comment; an array of objects or
      // tuples names its elements' fields `ps[i].x`.
      const numeric = isNumber(element) || typedArrayName(element) !== undefined || (ts.isArrayTypeNode(resolve(element, 0)) && isNumber((resolve(element, 0) as ts.ArrayTypeNode).elementType));
      const elements = rowLength ?? lengthOf();
      if (!numeric) return Array.from({ length: elements }, (_, k) => value(element, [...keys, k], `${doc}[i]`));
      // A matrix: rows of one length.
      const inner = isNumber(element) ? undefined : lengthOf();
      return Array.from({ length: elements }, (_, k) => value(element, [...keys, k], doc, inner));
    }
    if (ts.isTupleTypeNode(t)) {
      return t.elements.map((e, k) => value(ts.isNamedTupleMember(e) ? e.type : ts.isOptionalTypeNode(e) ? e.type : e, [...keys, k], `${doc}[${k}]`));
    }
    if (ts.isTypeLiteralNode(t)) {
      const o: Record<string, unknown> = {};
      for (const m of t.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
        if (m.questionToken && s.random() < 0.3) continue; // sometimes left out
        o[key] = value(m.type, [...keys, key], `${doc}.${key}`);
      }
      return o;
    }
    throw new CannotGenerate(`no values for type '${node.getText()}'`);
  };

  const args = entry.params.map((p, i) => {
    if (!p.type) throw new CannotGenerate(`parameter '${p.name}' has no type`);
    if (p.optional && s.random() < 0.25) return undefined;
    return value(p.type, [i], p.name);
  });
  return { args, leaves };
}

/** The name of the class a parameter's type names, if it is one of `classes` (a value of it is made an instance). */
export function classOfParam(module: GeneratedModule, p: Param, classes: ReadonlySet<string>): { name: string; array: boolean } | undefined {
  let t = p.type;
  while (t && (ts.isParenthesizedTypeNode(t) || (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword))) t = t.type;
  if (!t) return undefined;
  const array = ts.isArrayTypeNode(t);
  const named = array ? (t as ts.ArrayTypeNode).elementType : t;
  if (ts.isTypeReferenceNode(named) && ts.isIdentifier(named.typeName) && classes.has(named.typeName.text) && module.types.has(named.typeName.text)) {
    return { name: named.typeName.text, array };
  }
  return undefined;
}
