/**
 * The small AST of fuzz programs and its printer. The generator builds it, the printer turns it
 * into TypeScript source, and the reducer shrinks it. Nodes marked `fixed` carry the guarantees
 * that keep a program terminating (loop guards, recursion base cases, depth arguments); the
 * reducer leaves them alone.
 */

import { transformSync } from "esbuild";

export type BinOp = "+" | "-" | "*" | "/" | "**" | "%";
export type CmpOp = "<" | "<=" | ">" | ">=" | "===" | "!==";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "**=" | "%=";

export type Expr =
  | { k: "num"; v: number }
  /** A variable, parameter, module constant or Math constant (`Math.PI`). */
  | { k: "ref"; name: string }
  | { k: "neg"; a: Expr }
  | { k: "bin"; op: BinOp; a: Expr; b: Expr }
  | { k: "math"; fn: string; args: Expr[] }
  /** `fixed[i]` marks arguments the reducer must keep (recursion depths). */
  | { k: "call"; fn: string; args: Expr[]; fixed: boolean[] }
  | { k: "cond"; test: Cond; a: Expr; b: Expr }
  /** `a[i]`, or `m[i][j]` with `col`. */
  | { k: "index"; array: string; index: Expr; col?: Expr }
  | { k: "length"; array: string }
  /** An object or tuple value, as a helper's argument or a function's result (structs mode). */
  | { k: "struct"; v: SVal }
  /** `xs.reduce((acc, elem, index) => body, init)` or `reduceRight` (methods mode); `init` may be absent for number arrays. */
  | { k: "reduce"; array: string; method: "reduce" | "reduceRight"; acc: string; elem: string; index?: string; body: Expr; init?: Expr }
  /** `Math.max(...xs)`, `Math.min(a, ...xs)`, `Math.hypot(...xs)` (methods mode): `args` come before the spread. */
  | { k: "spread"; fn: "max" | "min" | "hypot"; array: string; args: Expr[] };

/**
 * The type of structured data: a number, a boolean (inactive data), an object or a tuple.
 * `name` refers to a declaration of Program.types (printed by name), else the type is printed
 * inline; `labels` names a tuple's elements (`[w0: number, w1: number]`).
 */
export type Shape =
  | { k: "num" }
  | { k: "bool" }
  | { k: "obj"; name?: string; fields: ShapeField[] }
  | { k: "tuple"; name?: string; labels?: string[]; items: Shape[] };

/**
 * A field of an object shape. Idioms mode only: `optional` (`pinned?: boolean`: check points leave
 * it out now and then) and `list` (the field holds an array of `shape`, 2 or 3 elements:
 * `bodies: Body[]`).
 */
export interface ShapeField {
  name: string;
  shape: Shape;
  optional?: boolean;
  list?: boolean;
}

/** `type Vec2 = {...}`, `interface Particle {...}` or `type Pair = [number, number]`. */
export interface TypeDecl {
  name: string;
  style: "type" | "interface";
  shape: Shape;
}

/** A structured value. */
export type SVal =
  /** A variable or one of its sub-structures: `p`, `p.pos`, `t[1]`. */
  | { k: "sref"; name: string; path: (string | number)[] }
  /** `{ ...spread, f: v, ... }` (numbers and booleans as Expr and Cond, structures as SVal). */
  | { k: "obj"; spread?: SVal; fields: { name: string; value: Expr | Cond | SVal }[] }
  | { k: "tup"; items: (Expr | Cond | SVal)[] }
  /** A call of a helper that returns a structure. */
  | { k: "scall"; fn: string; args: Expr[] }
  | { k: "scond"; test: Cond; a: SVal; b: SVal };

export type Cond =
  | { k: "cmp"; op: CmpOp; a: Expr; b: Expr }
  | { k: "logic"; op: "&&" | "||"; a: Cond; b: Cond }
  | { k: "not"; a: Cond }
  | { k: "bref"; name: string }
  | { k: "bool"; v: boolean }
  /** Boolean equality: `b === (x > y)`. */
  | { k: "beq"; op: "===" | "!=="; a: Cond; b: Cond }
  /** `xs.some((elem, index) => body)` or `every` (methods mode). */
  | { k: "quant"; method: "some" | "every"; array: string; elem: string; index?: string; body: Cond };

export type ArrayInit =
  | { k: "f64"; length: Expr }
  /** `new Array<number>(n).fill(0)`, or `const a: number[] = new Array(n).fill(0)` when `annotated`. */
  | { k: "fill"; length: Expr; annotated: boolean }
  | { k: "lit"; elements: Expr[] }
  /** `src.map((elem, index) => body)`, or `src.map(fn)` with a helper's name (methods mode). */
  | { k: "map"; src: string; elem: string; index?: string; body: Expr; fn?: string }
  /** `Array.from({ length }, (_, index) => body)` (methods mode). */
  | { k: "from"; length: number; index: string; body: Expr }
  /** `const ys: number[] = []`, grown by `push` (methods mode). */
  | { k: "empty" }
  /** `src.slice()` or `[...src]` (reassign mode). */
  | { k: "copy"; src: string; spread: boolean }
  /** `fn(args)`: a helper returning an array (reassign mode). */
  | { k: "acall"; fn: string; args: Expr[] }
  /** `src`: the array another variable names (reassign mode: `let h = h0`, `h = hNew`, swaps through a temporary). */
  | { k: "alias"; src: string };

/** A case of a `switch` (methods mode): its labels (`default` too) and its statements, in braces when `braces`. */
export interface SwitchCase {
  labels: (number | "default")[];
  body: Stmt[];
  braces: boolean;
}

export type Stmt =
  | { k: "decl"; kind: "const" | "let"; name: string; annotate: boolean; init: Expr }
  | { k: "bdecl"; kind: "const" | "let"; name: string; annotate: boolean; init: Cond }
  /** `const a = ...`, or `let a = ...` with `let` (reassign mode: an array assigned again). */
  | { k: "adecl"; name: string; init: ArrayInit; let?: boolean }
  /** `a = <array>;`: a let array assigned again (reassign mode). */
  | { k: "aassign"; name: string; init: ArrayInit }
  | { k: "assign"; name: string; op: AssignOp; value: Expr }
  | { k: "bassign"; name: string; value: Cond }
  | { k: "incr"; name: string; op: "++" | "--"; prefix: boolean }
  | { k: "store"; array: string; index: Expr; op: AssignOp; value: Expr }
  | { k: "if"; test: Cond; then: Stmt[]; else?: Stmt[]; fixed?: boolean }
  /**
   * `for (let i = start; i guardOp bound [&& extra]; update)`. With `outer`, the index is declared
   * before the loop (`let i = start; for (; ...)`) and stays readable after it.
   */
  | {
      k: "for";
      label?: string;
      index: string;
      outer: boolean;
      start: Expr;
      guardOp: "<" | "<=" | ">";
      bound: Expr;
      extra?: Cond;
      update: "++" | "--" | "+= 2" | "+= 0.5" | "-= 1";
      body: Stmt[];
    }
  /** `let k = 0; while (k < max && test) { k++; ... }` or the `do { k++; ... } while (...)` form. */
  | { k: "while"; label?: string; counter: string; max: number; test: Cond; body: Stmt[]; doWhile: boolean }
  | { k: "break"; label?: string }
  | { k: "continue"; label?: string }
  | { k: "return"; value: Expr; fixed?: boolean }
  | { k: "block"; body: Stmt[] }
  /** `const s: T = <structure>` (the type printed when `annotate` is set). */
  | { k: "sdecl"; kind: "const" | "let"; name: string; annotate?: Shape; init: SVal }
  /** `s = <structure>` (a let reassigned with a fresh value). */
  | { k: "sassign"; name: string; value: SVal }
  /** `const { x: t1, y: t2 } = s;` or `let [t1, t2] = <tuple>;`: numbers bound from fields. */
  | { k: "destr"; kind: "const" | "let"; pattern: "obj" | "tuple"; binds: { field: string | number; name: string }[]; init: SVal }
  /** `[a, s.x] = [e1, e2];` (a swap when the values are the targets in another order). */
  | { k: "dassign"; targets: string[]; values: Expr[] }
  /** `const r: Body[] = <rows>` (rows mode): a local array of objects or tuples. */
  | { k: "rdecl"; name: string; annotate?: Shape; init: RowsInit }
  /**
   * `for (const p of r)`, `for (const { pos, mass } of r)` (bind: the fields), `for (const [x0, y0] of r)`
   * (bind, tuple elements) or `for (const [k, p] of r.entries())` (entries: the index name).
   */
  /** `h(r[i], e);`: a call of a helper that writes into an element and returns nothing (rows mode). */
  | { k: "vcall"; fn: string; args: Expr[] }
  | { k: "forof"; label?: string; array: string; elem: string; bind?: string[]; tuple?: boolean; entries?: string; body: Stmt[] }
  /** `xs.forEach((elem, index) => { body })` (methods mode). */
  | { k: "foreach"; array: string; elem: string; index?: string; body: Stmt[] }
  /** `const name = (p: number, ...): number => body;`: a local arrow helper (methods mode). */
  | { k: "fdecl"; name: string; params: string[]; body: Expr }
  /** `switch (disc) { case 0: ... }` over integer values (methods mode). */
  | { k: "switch"; disc: Expr; cases: SwitchCase[] }
  /** `const [a, b] = xs;` (methods mode). */
  | { k: "adestr"; names: string[]; array: string }
  /** `ys.push(a, b);` on a local array declared empty (methods mode). */
  | { k: "push"; array: string; values: Expr[] };

/** A new local array of objects or tuples (rows mode). */
export type RowsInit =
  /** `src.map((elem, index) => (body))` */
  | { k: "map"; src: string; elem: string; index?: string; body: SVal }
  /** `Array.from({ length }, (_, index) => (body))` */
  | { k: "from"; length: number; index: string; body: SVal }
  | { k: "lit"; elems: SVal[] };

export type ParamKind = "num" | "int" | "vec" | "f64" | "roVec" | "mat" | "struct" | "rows";

export interface Param {
  name: string;
  kind: ParamKind;
  /** The type of a "struct" parameter; the element type of a "rows" parameter (an array of objects or tuples). */
  shape?: Shape;
  /** A `readonly T[]` "rows" parameter. */
  readonly?: boolean;
  /** A "struct" parameter whose type is this class (classes mode): the original gets an instance. */
  cls?: string;
  /**
   * A destructured "struct" parameter: the fields bound (`{ pos, mass }: Particle`, names equal
   * to the fields) or the names of a tuple's elements (`[c0, c1]: [number, number]`).
   */
  bind?: string[];
}

export interface Func {
  name: string;
  exported: boolean;
  /** `function f(...)`, `const f = (...) => { ... }`, or `const f = (...) => expr`. */
  style: "function" | "arrow" | "arrowExpr";
  params: Param[];
  body: Stmt[];
  /** For `arrowExpr`. */
  exprBody?: Expr;
  annotateReturn: boolean;
  /** A vector or structured result: f_vjp instead of f_grad. */
  returns?: "number[]" | "Float64Array" | "void" | Shape;
}

/** A member of a class (classes mode): an instance method, a getter or a static method. */
export interface ClassMember {
  kind: "method" | "getter" | "static";
  func: Func;
}

/**
 * `export class Name [extends Base] { static readonly K = v; fields; constructor; members }`
 * (classes mode). `paramProps`: the fields are constructor parameter properties (`constructor(public
 * ka: number, ...) {}`), else declared and assigned in the constructor; `inits`: declared fields
 * with an initializer (`kd = 0.5;`), a subclass's own fields (it has no constructor).
 */
export interface ClassDecl {
  name: string;
  base?: string;
  fields: string[];
  paramProps: boolean;
  inits: { name: string; value: number }[];
  statics: { name: string; value: number }[];
  members: ClassMember[];
}

/**
 * Exported functions (and what they need: types, helpers) as text, with the entries the checker
 * needs (idioms mode, idioms.ts). The reducer removes whole units.
 */
export interface RawUnit {
  code: string;
  entries: EntryInfo[];
}

export interface Program {
  seed: number;
  /** Units of text printed after the functions (idioms mode). */
  raw?: RawUnit[];
  /** Classes, printed before the first exported function (classes mode). */
  classes?: ClassDecl[];
  /** Type declarations (structs mode). */
  types?: TypeDecl[];
  consts: { name: string; value: Expr }[];
  funcs: Func[];
}

/** What the checker needs to know about an exported function. */
export interface EntryInfo {
  name: string;
  /** Public names: a destructured parameter is named as tsgrad names it (publicName); an instance method's object is `this`. */
  params: { name: string; kind: ParamKind; shape?: Shape; cls?: string; optional?: boolean }[];
  /** A class member `Class_member` (classes mode): the original is called on an instance made from the first argument (not static). */
  method?: { cls: string; member: string; kind: ClassMember["kind"] };
  /** Parameters the function assigns to. */
  assigned: string[];
  /** Returns an array (checked through f_vjp). */
  vector?: boolean;
  /**
   * A `void` function writing into exactly one array parameter, at this position (idioms mode):
   * its result is that argument's final value. Several positions: a void function updating several
   * object parameters, whose result is an object of their final values keyed by parameter name
   * (`{ a, b }`, as the generated f_vjp's value is).
   */
  voidResult?: number | number[];
  /**
   * Compare results with their objects' keys sorted (idioms mode): the generated module builds a
   * result in its type's field order, the source in its literal's.
   */
  sortKeys?: boolean;
}

export function entriesOf(p: Program): EntryInfo[] {
  const methods = (p.classes ?? []).flatMap((c) =>
    c.members.map((m): EntryInfo => {
      const self = m.kind === "static" ? [] : [{ name: "this", kind: "struct" as const, shape: classShape(p, c.name), cls: c.name }];
      return {
        name: `${c.name}_${m.func.name}`,
        params: [...self, ...m.func.params.map((q) => ({ name: q.name, kind: q.kind, shape: q.shape, cls: q.cls }))],
        assigned: m.func.params.map((q) => q.name).filter((n) => assigns(m.func.body, n)),
        method: { cls: c.name, member: m.func.name, kind: m.kind },
      };
    }),
  );
  const funcs = p.funcs
    .filter((f) => f.exported)
    .map((f) => ({
      name: f.name,
      params: f.params.map((q, i) => ({ name: publicName(f.params, i, p.types ?? []), kind: q.kind, shape: q.shape, ...(q.cls ? { cls: q.cls } : {}) })),
      assigned: f.params.map((q) => q.name).filter((n) => assigns(f.body, n)),
      vector: f.returns !== undefined,
    }));
  return [...methods, ...funcs, ...(p.raw ?? []).flatMap((u) => u.entries)];
}

/** The structure of a class's fields (its base class's first), named by the class. */
export function classShape(p: Program, name: string): Shape {
  const c = p.classes!.find((k) => k.name === name)!;
  const own = [...c.fields, ...c.inits.map((f) => f.name)].map((f) => ({ name: f, shape: { k: "num" } as Shape }));
  const base = c.base ? (classShape(p, c.base) as Extract<Shape, { k: "obj" }>).fields : [];
  // (In tsgrad's order: a subclass's own fields first, as its generated type lists them.)
  return { k: "obj", name, fields: [...own, ...base] };
}

/**
 * The name tsgrad gives parameter `i` in f_grad's `grad` and f_jvp's `tangents`: its own, or for a
 * destructured one its type's name in camelCase when free and unique, else `arg<position>`.
 */
function publicName(params: Param[], i: number, types: TypeDecl[]): string {
  const q = params[i]!;
  if (!q.bind) return q.name;
  const typeName = q.shape && (q.shape.k === "obj" || q.shape.k === "tuple") ? q.shape.name : undefined;
  const camel = typeName && typeName[0]!.toLowerCase() + typeName.slice(1);
  const taken = params.flatMap((r) => r.bind ?? [r.name]);
  const sameType = params.filter((r) => r.bind && printShape(r.shape!) === printShape(q.shape!));
  if (camel && types.some((t) => t.name === typeName) && !taken.includes(camel) && sameType.length === 1) return camel;
  return `arg${i + 1}`;
}

/** Whether `body` assigns to `name` (ignoring shadowing declarations: parameters are never shadowed). */
function assigns(body: Stmt[], name: string): boolean {
  return body.some((s) => {
    switch (s.k) {
      case "assign":
      case "incr":
        return s.name === name;
      case "dassign":
        return s.targets.includes(name);
      case "if":
        return assigns(s.then, name) || (s.else !== undefined && assigns(s.else, name));
      case "for":
      case "while":
      case "block":
      case "forof":
      case "foreach":
        return assigns(s.body, name);
      case "switch":
        return s.cases.some((c) => assigns(c.body, name));
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------- printing

function num(v: number): string {
  if (Object.is(v, -0)) return "0";
  return String(v);
}

function isAtom(e: Expr): boolean {
  return (e.k === "num" && e.v >= 0) || e.k === "ref" || e.k === "math" || e.k === "call" || e.k === "index" || e.k === "length" || e.k === "struct" || e.k === "reduce" || e.k === "spread";
}

/** A type as written in a signature: its declared name, or inline. */
export function printShape(s: Shape): string {
  if ((s.k === "obj" || s.k === "tuple") && s.name) return s.name;
  return printShapeBody(s);
}

function printShapeBody(s: Shape): string {
  switch (s.k) {
    case "num":
      return "number";
    case "bool":
      return "boolean";
    case "obj":
      return `{ ${s.fields.map((f) => `${f.name}: ${printShape(f.shape)}`).join("; ")} }`;
    case "tuple":
      return `[${s.items.map((t, i) => `${s.labels ? `${s.labels[i]}: ` : ""}${printShape(t)}`).join(", ")}]`;
  }
}

function printTypeDecl(t: TypeDecl): string {
  return t.style === "interface" ? `interface ${t.name} ${printShapeBody(t.shape)}` : `type ${t.name} = ${printShapeBody(t.shape)};`;
}

/** `p`, `p.pos.x`, `t[1]`. */
export function printPath(name: string, path: readonly (string | number)[]): string {
  return name + path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");
}

function printValue(v: Expr | Cond | SVal): string {
  if (isSVal(v)) return printSVal(v);
  if (isCond(v)) return printCond(v);
  return printExpr(v);
}

export function isSVal(v: Expr | Cond | SVal): v is SVal {
  return v.k === "sref" || v.k === "obj" || v.k === "tup" || v.k === "scall" || v.k === "scond";
}

export function isCond(v: Expr | Cond | SVal): v is Cond {
  return v.k === "cmp" || v.k === "logic" || v.k === "not" || v.k === "bref" || v.k === "bool" || v.k === "beq" || v.k === "quant";
}

export function printSVal(v: SVal): string {
  switch (v.k) {
    case "sref":
      return printPath(v.name, v.path);
    case "obj": {
      const parts = [...(v.spread ? [`...${printSVal(v.spread)}`] : []), ...v.fields.map((f) => `${f.name}: ${printValue(f.value)}`)];
      return `{ ${parts.join(", ")} }`;
    }
    case "tup":
      return `[${v.items.map(printValue).join(", ")}]`;
    case "scall":
      return `${v.fn}(${v.args.map(printExpr).join(", ")})`;
    case "scond": {
      const side = (x: SVal): string => (x.k === "scond" ? `(${printSVal(x)})` : printSVal(x));
      return `${subCond(v.test)} ? ${side(v.a)} : ${side(v.b)}`;
    }
  }
}

export function printExpr(e: Expr): string {
  const sub = (x: Expr): string => (isAtom(x) ? printExpr(x) : `(${printExpr(x)})`);
  switch (e.k) {
    case "num":
      return num(e.v);
    case "ref":
      return e.name;
    case "neg":
      return `-${sub(e.a)}`;
    case "bin":
      return `${sub(e.a)} ${e.op} ${sub(e.b)}`;
    case "math":
      return `Math.${e.fn}(${e.args.map(printExpr).join(", ")})`;
    case "call":
      return `${e.fn}(${e.args.map(printExpr).join(", ")})`;
    case "cond":
      return `${subCond(e.test)} ? ${sub(e.a)} : ${sub(e.b)}`;
    case "index":
      return `${e.array}[${printExpr(e.index)}]${e.col ? `[${printExpr(e.col)}]` : ""}`;
    case "length":
      return `${e.array}.length`;
    case "struct":
      return printSVal(e.v);
    case "reduce": {
      const params = [e.acc, e.elem, ...(e.index ? [e.index] : [])].join(", ");
      return `${e.array}.${e.method}((${params}) => ${printArrowBody(e.body)}${e.init ? `, ${printExpr(e.init)}` : ""})`;
    }
    case "spread":
      return `Math.${e.fn}(${[...e.args.map(printExpr), `...${e.array}`].join(", ")})`;
  }
}

/** An arrow function's expression body (a `?:` in parentheses, for readability). */
function printArrowBody(e: Expr): string {
  return e.k === "cond" ? `(${printExpr(e)})` : printExpr(e);
}

function callbackParams(elem: string, index: string | undefined): string {
  return index ? `(${elem}, ${index})` : `(${elem})`;
}

function subCond(c: Cond): string {
  return c.k === "bref" || c.k === "bool" || c.k === "not" || c.k === "quant" ? printCond(c) : `(${printCond(c)})`;
}

export function printCond(c: Cond): string {
  switch (c.k) {
    case "cmp": {
      const side = (x: Expr): string => (isAtom(x) || x.k === "bin" || x.k === "neg" || x.k === "num" ? printExpr(x) : `(${printExpr(x)})`);
      // `a > b` is printed as `b < a`: code with both `<` and `>` can be valid JavaScript that
      // TypeScript misparses as type arguments (`s < ((p > (q ? a : b)) ? 1 : 2)` -> `s<...>(...)`).
      if (c.op === ">" || c.op === ">=") return `${side(c.b)} ${c.op === ">" ? "<" : "<="} ${side(c.a)}`;
      return `${side(c.a)} ${c.op} ${side(c.b)}`;
    }
    case "logic":
      return `${subCond(c.a)} ${c.op} ${subCond(c.b)}`;
    case "not":
      return `!${subCond(c.a)}`;
    case "bref":
      return c.name;
    case "bool":
      return String(c.v);
    case "beq":
      return `${subCond(c.a)} ${c.op} ${subCond(c.b)}`;
    case "quant":
      return `${c.array}.${c.method}(${callbackParams(c.elem, c.index)} => ${printCond(c.body)})`;
  }
}

function printArrayInit(init: ArrayInit): string {
  switch (init.k) {
    case "f64":
      return `new Float64Array(${printExpr(init.length)})`;
    case "fill":
      return init.annotated || plainJs ? `new Array(${printExpr(init.length)}).fill(0)` : `new Array<number>(${printExpr(init.length)}).fill(0)`;
    case "lit":
      return `[${init.elements.map(printExpr).join(", ")}]`;
    case "map":
      return init.fn ? `${init.src}.map(${init.fn})` : `${init.src}.map(${callbackParams(init.elem, init.index)} => ${printArrowBody(init.body)})`;
    case "from":
      return `Array.from({ length: ${init.length} }, (_, ${init.index}) => ${printArrowBody(init.body)})`;
    case "empty":
      return "[]";
    case "copy":
      return init.spread ? `[...${init.src}]` : `${init.src}.slice()`;
    case "acall":
      return `${init.fn}(${init.args.map(printExpr).join(", ")})`;
    case "alias":
      return init.src;
  }
}

function printRowsInit(init: RowsInit): string {
  switch (init.k) {
    case "map":
      return `${init.src}.map((${init.elem}${init.index ? `, ${init.index}` : ""}) => (${printSVal(init.body)}))`;
    case "from":
      return `Array.from({ length: ${init.length} }, (_, ${init.index}) => (${printSVal(init.body)}))`;
    case "lit":
      return `[${init.elems.map(printSVal).join(", ")}]`;
  }
}

function printBlock(body: Stmt[], indent: string, out: string[]): void {
  for (const s of body) printStmt(s, indent, out);
}

let plainJs = false;

function printStmt(s: Stmt, indent: string, out: string[]): void {
  const inner = `${indent}  `;
  switch (s.k) {
    case "decl":
      out.push(`${indent}${s.kind} ${s.name}${s.annotate && !plainJs ? ": number" : ""} = ${printExpr(s.init)};`);
      return;
    case "bdecl":
      out.push(`${indent}${s.kind} ${s.name}${s.annotate && !plainJs ? ": boolean" : ""} = ${printCond(s.init)};`);
      return;
    case "adecl":
      out.push(`${indent}${s.let ? "let" : "const"} ${s.name}${((s.init.k === "fill" && s.init.annotated) || s.init.k === "empty") && !plainJs ? ": number[]" : ""} = ${printArrayInit(s.init)};`);
      return;
    case "aassign":
      out.push(`${indent}${s.name} = ${printArrayInit(s.init)};`);
      return;
    case "assign":
      out.push(`${indent}${s.name} ${s.op} ${printExpr(s.value)};`);
      return;
    case "bassign":
      out.push(`${indent}${s.name} = ${printCond(s.value)};`);
      return;
    case "incr":
      out.push(`${indent}${s.prefix ? s.op + s.name : s.name + s.op};`);
      return;
    case "store":
      out.push(`${indent}${s.array}[${printExpr(s.index)}] ${s.op} ${printExpr(s.value)};`);
      return;
    case "if": {
      out.push(`${indent}if (${printCond(s.test)}) {`);
      printBlock(s.then, inner, out);
      let rest = s.else;
      // `else if` chains.
      while (rest && rest.length === 1 && rest[0]!.k === "if") {
        const next = rest[0] as Extract<Stmt, { k: "if" }>;
        out.push(`${indent}} else if (${printCond(next.test)}) {`);
        printBlock(next.then, inner, out);
        rest = next.else;
      }
      if (rest && rest.length > 0) {
        out.push(`${indent}} else {`);
        printBlock(rest, inner, out);
      }
      out.push(`${indent}}`);
      return;
    }
    case "for": {
      const label = s.label ? `${s.label}: ` : "";
      let guard = `${s.index} ${s.guardOp} ${s.bound.k === "cond" ? `(${printExpr(s.bound)})` : printExpr(s.bound)}`;
      if (s.extra) guard += ` && ${subCond(s.extra)}`;
      const update = s.update === "++" || s.update === "--" ? `${s.index}${s.update}` : `${s.index} ${s.update}`;
      if (s.outer) {
        out.push(`${indent}let ${s.index} = ${printExpr(s.start)};`);
        out.push(`${indent}${label}for (; ${guard}; ${update}) {`);
      } else {
        out.push(`${indent}${label}for (let ${s.index} = ${printExpr(s.start)}; ${guard}; ${update}) {`);
      }
      printBlock(s.body, inner, out);
      out.push(`${indent}}`);
      return;
    }
    case "while": {
      const label = s.label ? `${s.label}: ` : "";
      const guard = `${s.counter} < ${s.max} && ${subCond(s.test)}`;
      out.push(`${indent}let ${s.counter} = 0;`);
      if (s.doWhile) {
        out.push(`${indent}${label}do {`);
        out.push(`${inner}${s.counter}++;`);
        printBlock(s.body, inner, out);
        out.push(`${indent}} while (${guard});`);
      } else {
        out.push(`${indent}${label}while (${guard}) {`);
        out.push(`${inner}${s.counter}++;`);
        printBlock(s.body, inner, out);
        out.push(`${indent}}`);
      }
      return;
    }
    case "break":
    case "continue":
      out.push(`${indent}${s.k}${s.label ? ` ${s.label}` : ""};`);
      return;
    case "return":
      out.push(`${indent}return ${printExpr(s.value)};`);
      return;
    case "block":
      out.push(`${indent}{`);
      printBlock(s.body, inner, out);
      out.push(`${indent}}`);
      return;
    case "sdecl":
      out.push(`${indent}${s.kind} ${s.name}${s.annotate && !plainJs ? `: ${printShape(s.annotate)}` : ""} = ${printSVal(s.init)};`);
      return;
    case "sassign":
      out.push(`${indent}${s.name} = ${printSVal(s.value)};`);
      return;
    case "destr": {
      const pattern = s.pattern === "obj" ? `{ ${s.binds.map((b) => `${b.field}: ${b.name}`).join(", ")} }` : `[${s.binds.map((b) => b.name).join(", ")}]`;
      out.push(`${indent}${s.kind} ${pattern} = ${printSVal(s.init)};`);
      return;
    }
    case "rdecl":
      out.push(`${indent}const ${s.name}${s.annotate && !plainJs ? `: ${printShape(s.annotate)}[]` : ""} = ${printRowsInit(s.init)};`);
      return;
    case "vcall":
      out.push(`${indent}${s.fn}(${s.args.map(printExpr).join(", ")});`);
      return;
    case "forof": {
      const label = s.label ? `${s.label}: ` : "";
      const binding = s.entries ? `[${s.entries}, ${s.elem}]` : s.bind ? (s.tuple ? `[${s.bind.join(", ")}]` : `{ ${s.bind.join(", ")} }`) : s.elem;
      out.push(`${indent}${label}for (const ${binding} of ${s.array}${s.entries ? ".entries()" : ""}) {`);
      printBlock(s.body, inner, out);
      out.push(`${indent}}`);
      return;
    }
    case "dassign":
      // A leading `[` would continue the previous line without a semicolon; every line has one.
      out.push(`${indent}[${s.targets.join(", ")}] = [${s.values.map(printExpr).join(", ")}];`);
      return;
    case "foreach":
      out.push(`${indent}${s.array}.forEach(${callbackParams(s.elem, s.index)} => {`);
      printBlock(s.body, inner, out);
      out.push(`${indent}});`);
      return;
    case "fdecl": {
      const params = s.params.map((p) => (plainJs ? p : `${p}: number`)).join(", ");
      out.push(`${indent}const ${s.name} = (${params})${plainJs ? "" : ": number"} => ${printArrowBody(s.body)};`);
      return;
    }
    case "switch":
      out.push(`${indent}switch (${printExpr(s.disc)}) {`);
      for (const c of s.cases) {
        for (const l of c.labels) out.push(`${inner}${l === "default" ? "default" : `case ${num(l)}`}:${l === c.labels[c.labels.length - 1] && c.braces ? " {" : ""}`);
        printBlock(c.body, `${inner}  `, out);
        if (c.braces) out.push(`${inner}}`);
      }
      out.push(`${indent}}`);
      return;
    case "adestr":
      out.push(`${indent}const [${s.names.join(", ")}] = ${s.array};`);
      return;
    case "push":
      out.push(`${indent}${s.array}.push(${s.values.map(printExpr).join(", ")});`);
      return;
  }
}

const PARAM_TYPES: Record<Exclude<ParamKind, "struct" | "rows">, string> = { num: "number", int: "number", vec: "number[]", f64: "Float64Array", roVec: "readonly number[]", mat: "number[][]" };

function printParam(p: Param, js: boolean): string {
  const name = !p.bind ? p.name : p.shape!.k === "tuple" ? `[${p.bind.join(", ")}]` : `{ ${p.bind.join(", ")} }`;
  if (js) return name;
  if (p.kind === "rows") return `${name}: ${p.readonly ? "readonly " : ""}${printShape(p.shape!)}[]`;
  return `${name}: ${p.kind === "struct" ? printShape(p.shape!) : PARAM_TYPES[p.kind]}`;
}

/** With `js`, plain JavaScript: no type annotations and no `export` (see printProgramJs). */
export function printFunc(f: Func, js = false): string {
  const params = f.params.map((p) => printParam(p, js)).join(", ");
  const returns = f.returns === undefined ? "number" : typeof f.returns === "string" ? f.returns : printShape(f.returns);
  const ret = f.annotateReturn && !js ? `: ${returns}` : "";
  const exp = f.exported && !js ? "export " : "";
  const out: string[] = [];
  if (f.style === "arrowExpr") {
    out.push(`${exp}const ${f.name} = (${params})${ret} => ${printExpr(f.exprBody!)};`);
    return out.join("\n");
  }
  out.push(f.style === "function" ? `${exp}function ${f.name}(${params})${ret} {` : `${exp}const ${f.name} = (${params})${ret} => {`);
  printBlock(f.body, "  ", out);
  out.push(f.style === "function" ? "}" : "};");
  return out.join("\n");
}

/** A class declaration (classes mode); with `js`, plain JavaScript. */
export function printClass(c: ClassDecl, js = false): string {
  const out: string[] = [`${js ? "" : "export "}class ${c.name}${c.base ? ` extends ${c.base}` : ""} {`];
  for (const k of c.statics) out.push(`  static ${js ? "" : "readonly "}${k.name} = ${num(k.value)};`);
  if (!c.base) {
    if (c.paramProps && !js) {
      out.push("  constructor(", ...c.fields.map((f) => `    public ${f}: number,`), "  ) {}");
    } else {
      if (!js) for (const f of c.fields) out.push(`  ${f}: number;`);
      out.push(`  constructor(${c.fields.map((f) => (js ? f : `${f}: number`)).join(", ")}) {`, ...c.fields.map((f) => `    this.${f} = ${f};`), "  }");
    }
  }
  for (const f of c.inits) out.push(`  ${f.name} = ${num(f.value)};`);
  for (const m of c.members) {
    const f = m.func;
    const params = f.params.map((p) => printParam(p, js)).join(", ");
    const head = m.kind === "getter" ? `get ${f.name}()` : `${m.kind === "static" ? "static " : ""}${f.name}(${params})`;
    out.push("", `  ${head}${js ? "" : ": number"} {`);
    printBlock(f.body, "    ", out);
    out.push("  }");
  }
  out.push("}");
  return out.join("\n");
}

/** Functions and classes in file order: the classes right before the first exported function. */
function printFuncsAndClasses(p: Program, js: boolean): string[] {
  const parts: string[] = [];
  const at = p.classes && p.classes.length > 0 ? Math.max(0, p.funcs.findIndex((f) => f.exported)) : -1;
  p.funcs.forEach((f, i) => {
    if (i === at) for (const c of p.classes!) parts.push(printClass(c, js));
    parts.push(printFunc(f, js));
  });
  return parts;
}

/**
 * The program as a CommonJS script (`exports.f0 = f0;`), for evaluating the original functions
 * without a TypeScript transform.
 */
export function printProgramJs(p: Program): string {
  // Idioms mode's units are TypeScript text: the whole program goes through esbuild.
  if (p.raw && p.raw.length > 0) return transformSync(printProgram(p), { loader: "ts", format: "cjs", target: "es2022" }).code;
  plainJs = true;
  try {
    const parts: string[] = ['"use strict";'];
    for (const c of p.consts) parts.push(`const ${c.name} = ${printExpr(c.value)};`);
    parts.push(...printFuncsAndClasses(p, true));
    for (const c of p.classes ?? []) parts.push(`exports.${c.name} = ${c.name};`);
    for (const f of p.funcs.filter((g) => g.exported)) parts.push(`exports.${f.name} = ${f.name};`);
    return `${parts.join("\n")}\n`;
  } finally {
    plainJs = false;
  }
}

export function printProgram(p: Program, header = `// tsgrad fuzz program (seed ${p.seed}).`): string {
  const parts: string[] = [header];
  if (p.types && p.types.length > 0) parts.push(p.types.map(printTypeDecl).join("\n"));
  if (p.consts.length > 0) parts.push(p.consts.map((c) => `const ${c.name} = ${printExpr(c.value)};`).join("\n"));
  parts.push(...printFuncsAndClasses(p, false));
  for (const u of p.raw ?? []) parts.push(u.code);
  return `${parts.join("\n\n")}\n`;
}
