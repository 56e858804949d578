/**
 * Seeded, reproducible random programs in tsgrad's accepted language, for differential fuzzing
 * (check.ts compares the generated derivatives with finite differences).
 *
 * `generateProgram(seed)` returns a program of helpers and exported functions of number
 * parameters: nested arithmetic; every supported Math function with its argument kept in its
 * domain (`Math.log(1 + x * x)`, `Math.asin(0.9 * Math.tanh(x))`, `Math.pow(base > 0, y)`, ...);
 * branches on computed values; counted, data-dependent and floating-point `for` loops, `while`
 * and `do` loops with data-dependent trip counts (always bounded by a counter); `break` and
 * `continue` (labeled too); early returns; compound assignments and `++`/`--`; reassigned
 * parameters; boolean locals; module constants; calls between helpers (function declarations and
 * arrow functions); self and mutual recursion with a depth parameter that decreases to a base case.
 *
 * Every value carries an estimated bound on its magnitude, and arguments that could leave a
 * function's domain or overflow are squashed (`Math.tanh(e)`, `Math.sin(e)`, ...), so that almost
 * every point gives finite, moderate values. Integer parameters (`n`, `d`: loop bounds, recursion
 * depths) are only used in comparisons and as depth arguments, so their derivative is 0.
 *
 * With `arrays: true` (off by default, for when the compiler accepts arrays), programs also get
 * local arrays (`new Float64Array(n)`, `new Array(n).fill(0)`, literals) written in place, element
 * reads, `.length`, and array parameters (`number[]`, `readonly number[]`, `Float64Array`) that
 * are only read.
 *
 * With `structs: true`, programs also use structured data the way geometry and physics code does:
 * declared types (`type Vec2 = { x: number; y: number }`, interfaces nesting them with a boolean
 * field, tuple types) and inline ones; structured parameters, named or destructured; locals built
 * from literals, spreads, aliases (`const q = p`), `?:` between structures and calls of helpers
 * returning structures; field reads, writes and compound assignments (`s.pos.x += ...`); lets
 * reassigned with fresh values (`s = { ...s, x: 0.5 * s.x + ... }`); destructuring declarations
 * and assignments, swaps (`[a, b] = [b, a]`); boolean fields steering branches; helpers taking
 * structures and helpers and exported functions returning them. A field of a structure is a
 * variable named by its path (`s.pos.x`), so the scalar machinery reads and writes it. What tsgrad
 * documents as rejected is never generated: writes into a parameter's fields, field writes on a
 * structure that shares its object with another (TSG1051: an alias freezes both), variable tuple
 * indices, early returns in functions returning structures, arrays inside structures.
 *
 * With `rows: true` (`npm run fuzz -- --rows`, which implies --structs; a flag of its own so that
 * --structs runs regenerate the programs they always did), programs also use arrays of objects and
 * tuples the way physics and geometry code does: parameters `ps: Body[]` (`interface Body { pos:
 * Vec2; vel: Vec2; mass: number }`), `readonly Vec2[]`, `Pair[]` / `[number, number][]` (polygons)
 * and `springs: Spring[]` (`interface Spring { i: number; j: number; rest: number }`), helpers
 * reading a whole array (`h(rs: Body[])`) or an element (`h(u: Body)` called with `r[i]`);
 * local arrays from deep `map` copies (`ps.map((e) => ({ ...e, pos: { ...e.pos }, vel: { ...e.vel } }))`,
 * often first thing in a function, or field by field), `map`s computing new elements,
 * `Array.from({ length: 3 }, (_, i) => (...))` and literals; `for (const e of r)`, destructured
 * (`for (const { pos, mass } of r)`, `for (const [t0, t1] of r)`) and `r.entries()` loops;
 * counted loops `for (let i = 0; i < r.length; i++)` in which `r[i]` and sometimes
 * `r[(i + 1) % r.length]` are structures (field reads, writes `r[i].pos.x += ...`, whole-element
 * assignments `r[i] = { ... }`); element names `const a = r[k]` (k a loop index over r, a literal
 * below MIN_VEC or an index field: spring loops `const a = r[sp.i]; const b = r[sp.j]; a.vel.x += ...`).
 * Writes go only into local arrays (never into a parameter's elements: TSG1058), copies are deep
 * (no shared objects: TSG1051/TSG1057), elements are never aliased by structure locals, and
 * elements hold numbers only. Index fields (INDEX_FIELDS, only in Spring) are integers
 * 0 .. MIN_VEC - 1 in the checker's inputs, valid for every array of objects (all have at least
 * MIN_VEC elements); the generator treats them as integer variables (compared, used as indices and
 * depths, never in arithmetic, never built by literals), and the checker does not perturb them and
 * requires their derivative to be exactly 0.
 *
 * With `methods: true` (`npm run fuzz -- --methods`, which implies --arrays and --rows; a flag of its
 * own, and every draw it adds is made only under it, so that the other modes generate exactly the
 * programs they always did), programs are also written the way everyday functional TypeScript is,
 * on number arrays (`number[]`, `readonly number[]`, `Float64Array`; exported functions often get a
 * second one, `w`) and on arrays of objects: `const ys = xs.map((e, i) => ...)` (also over arrays of
 * objects, and `xs.map(smooth0)` with a module-level arrow helper of one number), `Array.from({
 * length: 3 }, (_, i) => ...)`, `xs.reduce((c, e, i) => ..., init)` with and without the index and
 * (number arrays) without `init`, `reduceRight`, `xs.forEach((e, i) => { out[i] = ...; ... })` often
 * after `const out = new Float64Array(xs.length)` (its body updates enclosing variables; no jumps
 * out of it), `if (xs.some(...))` / `if (xs.every(...))`, `Math.max(...xs)`, `Math.min(e, ...xs)`,
 * `Math.hypot(...xs)`, `for (const e of xs)` and `for (const [i, e] of xs.entries())`, `const [t1,
 * t2] = xs` (no more names than elements), local arrow helpers `const fn0 = (q1: number): number =>
 * ...` reading the enclosing variables and called like helpers, module-level arrow helpers more
 * often, and `switch` over integer values (integer parameters, loop indices, `Math.floor(e)`) with
 * several labels per case, fall-through, `default` anywhere and case bodies in braces when they
 * declare something. Callbacks never assign enclosing variables but in forEach (TSG1071), methods
 * are never called on matrices, and method values stay out of do...while conditions (TSG1002).
 *
 * With `reassign: true` (`npm run fuzz -- --reassign`, which implies --arrays and combines with the
 * other flags; every draw it adds is made only under it), programs also declare local arrays with
 * `let` and assign them again inside loops, in the forms tsgrad accepts: gradient steps (`let xa =
 * v.slice()`, `const gr = xa.map(...)`, `xa = xa.map((e, i) => e - lr * gr[i])`), stencils over two
 * buffers swapped after each step by `[ua, va] = [va, ua]` or `const tmp = ua; ua = va; va = tmp;`
 * (interior or upwind sweeps leave an end of the buffer written untouched, so which buffer is which
 * shows; periodic ones overwrite it all), three buffers rotated by a permutation, recurrences
 * `const hn = hs.map(...)` or filled by a loop, then `hs = hn` (hs a copy or `let hs = v`, a
 * parameter read only), and module helpers returning a new array assigned back (`ys = relax0(ys, e)`).
 * Time loops count to a literal or an integer parameter, or run over a parameter array, and hold
 * some statements of the code around; the let arrays are then read by it (indices, length,
 * methods, arguments) but never written through, nor spread (`[...u]` of a changing array is
 * TSG1071), nor iterated by a for...of inside a loop assigning them (TSG1042). Each kernel ends in
 * a number read from its arrays (both buffers of a swap, often their ends).
 */
import { rng } from "../helpers/gradcheck.js";
import { idiomUnits } from "./idioms.js";
import { type ArrayInit, type AssignOp, type BinOp, type ClassDecl, type ClassMember, type Cond, type Expr, type Func, type Param, type ParamKind, type Program, type RowsInit, type SVal, type Shape, type Stmt, type SwitchCase, type TypeDecl, isCond, isSVal, printPath } from "./ast.js";

export interface GenOptions {
  /** Constructs to leave out because of known compiler bugs (see known-bugs.ts). */
  avoid?: string[];
  /** Local arrays and array parameters (the compiler does not accept them yet). */
  arrays?: boolean;
  /** Objects, tuples and the code around them (see the file comment). */
  structs?: boolean;
  /** Arrays of objects and tuples (`Body[]`, `Spring[]`, `[number, number][]`); implies `structs`. */
  rows?: boolean;
  /**
   * Everyday functional TypeScript (see the file comment): array methods and callbacks, local
   * arrow helpers, `switch`; implies `arrays` and `rows`.
   */
  methods?: boolean;
  /**
   * Methods mode as it was before arrays grown by `push` and methods over matrix rows were added
   * (the same programs for the same seed as then; for rerunning programs of older runs).
   */
  methodsV1?: boolean;
  /** Classes (see the file comment); implies `structs`. */
  classes?: boolean;
  /** Local arrays declared with `let` and assigned again in loops (see the file comment); implies `arrays`. */
  reassign?: boolean;
  /**
   * Idioms (idioms.ts): a --methods program of at most one exported function, then two to four
   * units of exported functions in the forms tsgrad accepted last (results with booleans and
   * string literal unions, pop, method chains, out parameters, optional parameters, untyped
   * `new Array(n)`); implies `methods`.
   */
  idioms?: boolean;
  /** Upper bound on helper functions (default 3). */
  maxHelpers?: number;
  /** Upper bound on exported functions (default 2). */
  maxExported?: number;
  /** Upper bound on statements per function, nested ones included (default 14). */
  maxStatements?: number;
}

/** Minimum length of array parameters; checks pass arrays of MIN_VEC..MIN_VEC+2 elements. */
export const MIN_VEC = 2;
/** Integer parameters take values 0..MAX_INT. */
export const MAX_INT = 3;
/** Number parameters of exported functions are sampled in [-PARAM_RANGE, PARAM_RANGE]. */
export const PARAM_RANGE = 2;
/**
 * Index fields of elements of arrays of objects (`i`, `j` of a Spring): integers 0 .. MIN_VEC - 1
 * in the checker's inputs (valid indices of every array of objects, which all have at least
 * MIN_VEC elements), never perturbed, derivative exactly 0. No other field has these names.
 */
export const INDEX_FIELDS = ["i", "j"];

/** Expressions whose estimated bound exceeds this get squashed. */
const LIMIT = 20;

interface VarInfo {
  name: string;
  /** `hidden` marks a name being declared: its initializer must not read it (or what it shadows). */
  kind: "num" | "bool" | "int" | "index" | "counter" | "vec" | "ro" | "struct" | "rows" | "hidden" | "fn" | "grow" | "inst";
  /** TypeScript type of an array. */
  atype?: "number[]" | "Float64Array" | "readonly number[]" | "number[][]";
  mutable: boolean;
  /** Bound on |value| that every assignment keeps. */
  cap: number;
  /** Number of enclosing loops at the declaration. */
  loopLevel: number;
  /** Length of a local array, minimum length of an array parameter (literal indices stay below it). */
  length?: number;
  /** A loop index running over `0 .. array.length - 1`: valid as an index of that array. */
  over?: string;
  /** A structure's type; for a structure, `mutable` means a `let` that may be reassigned. */
  shape?: Shape;
  /** A field of the structure `root` (its name is the path, `s.pos.x`). */
  root?: VarInfo;
  /** A structure some field of which is written (so it may not share its object: TSG1051). */
  written?: boolean;
  /** A structure sharing its object with another (`const q = p`): its fields are never written. */
  frozen?: boolean;
  /** A number parameter; for "rows", an array parameter (its elements are the caller's: never written). */
  param?: boolean;
  /** An element of an array of objects (`r[i]`, `const a = r[k]`, a for...of element): its fields are the array's. */
  element?: boolean;
  /** A `readonly T[]` parameter (not an argument for a `T[]` one). */
  readonlyRows?: boolean;
  /** An index field of an element (`sp.i`): an integer valid as an index of every array of objects. */
  rowIndex?: boolean;
  /** Methods mode: a local arrow helper (`const fn0 = (q1: number): number => ...`), called like a helper. */
  callee?: Callee;
  /** Methods mode: an array as long as array `lengthOf` (`xs.map(...)`, `new Float64Array(xs.length)`); indices over that array are valid. */
  lengthOf?: string;
  /** Methods mode: the fewest elements such an array may have (literal indices stay below it). */
  minLength?: number;
  /** Methods mode, a "grow" array (`const ys: number[] = []`): the index of the scope declaring it (pushes there count in minLength). */
  scopeIndex?: number;
  /** A "grow" array used as a whole (passed, spread, a method's or for...of's array): no more pushes (TSG1072). */
  sealed?: boolean;
  /** A "grow" array being iterated (a loop over its length): no pushes inside. */
  busy?: number;
  /** Methods mode: a row of a matrix (a callback's parameter): read by index and passed, no methods on it. */
  row?: boolean;
  /** Reassign mode: a `let` array assigned again (no `[...a]` of it: tsgrad spreads only arrays that keep their variable, TSG1071). */
  reassigned?: boolean;
}

interface Callee {
  name: string;
  params: Param[];
  /** Bound on |result|. */
  ret: number;
  /** Bound the caller must keep number arguments within. */
  argCap: number;
  /** A structured result (the function ends with its only return). */
  returns?: Shape;
}

interface LoopCtx {
  label?: string;
  maxTrips: number;
  /** Methods mode: "grow" arrays pushed inside this loop (not passed as a whole inside it). */
  pushed?: VarInfo[];
}

interface Scope {
  vars: Map<string, VarInfo>;
  /** Names read in this scope or in scopes nested in it (a later shadowing declaration would put them in the TDZ). */
  used: Set<string>;
  /**
   * Arrays of objects an element of which a name declared in this scope stands for (`const s = r[k]`,
   * a for...of element, a callback's element): while it is in scope, no element of the array is
   * replaced whole (TSG1055: in JavaScript the name would keep the old object).
   */
  views?: Set<string>;
  /** Arrays of objects an element of which is replaced whole (`r[i] = { ... }`) in this scope or in scopes nested in it. */
  replaced?: Set<string>;
}

interface FnCtx {
  scopes: Scope[];
  loops: LoopCtx[];
  budget: number;
  names: number;
  labels: number;
  /** Functions this one may call (defined before it, or recursion partners handled apart). */
  callees: Callee[];
  /** Recursion: callees that must get `depth - 1`, and the name of the depth parameter. */
  recursive?: { partners: Callee[]; depth: string };
  /** A function with a vector result: no early returns (the result is the local array `out`). */
  noReturns: boolean;
  /** False while generating a recursion base case: no calls at all, conditions included. */
  callsAllowed: boolean;
  /** Generating the condition of a `do ... while` (see the do-while-struct-call workaround). */
  inDoCondition?: boolean;
  /** A function returning a structure: tsgrad inlines it where it is called. */
  inlined: boolean;
  /** Local arrays allowed here (see the helper-local-array workaround). */
  localArrays: boolean;
  /** Remaining textual recursive call sites (keeps the call tree small). */
  recursiveSites: number;
  /** Methods mode: loops below this level are outside the forEach callback being generated (no break or continue to them). */
  loopFloor?: number;
  /** Methods mode: the array a call being generated passes where it can (a grown array used as a whole). */
  preferArray?: VarInfo;
  /** Methods mode: variables switched on by the enclosing switches (TypeScript narrows them in a case: not switched on again). */
  switchedOn?: string[];
  retCap: number;
  maxReturn: number;
  /** Every local name declared so far (to reuse names in sibling scopes). */
  declared: Set<string>;
  /** Numeric locals not read yet (preferred as operands, so that computations reach the result). */
  unread: Set<string>;
  /** The function's parameters (top-level locals share their scope). */
  paramNames?: Set<string>;
}

type Bounded = { e: Expr; b: number };

/** A class of the program (classes mode): its fields (its base's first) and the members code may call. */
interface ClassInfo {
  name: string;
  fields: string[];
  shape: Shape;
  methods: Callee[];
  getters: Callee[];
  statics: (Callee & { owner: string })[];
  staticVars?: VarInfo[];
}

/** A helper that writes into the element it is given (`integrate(p: Body, dt: number): void`). */
interface Mover {
  name: string;
  shape: Shape;
}

class Gen {
  private readonly r: () => number;
  /** Rows mode: helpers writing into an element, callable as statements. */
  private readonly movers: Mover[] = [];
  /** Methods mode (not methodsV1): arrays grown by push, methods over matrix rows. */
  private readonly grow: boolean;
  /** Classes mode: the classes declared, for parameters of exported functions. */
  private readonly classInfo: ClassInfo[] = [];
  /** Reassign mode: helpers returning a new array (`ys = relax0(ys, e)`). */
  private readonly arrayHelpers: string[] = [];

  constructor(
    readonly seed: number,
    private readonly opts: Required<GenOptions>,
  ) {
    this.r = rng(seed);
    this.grow = opts.methods && !opts.methodsV1;
  }

  // ---------------------------------------------------------------- randomness

  private chance(p: number): boolean {
    return this.r() < p;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)]!;
  }

  private weighted<T>(choices: [number, () => T][]): T {
    const live = choices.filter(([w]) => w > 0);
    const total = live.reduce((s, [w]) => s + w, 0);
    let x = this.r() * total;
    for (const [w, f] of live) {
      x -= w;
      if (x < 0) return f();
    }
    return live[live.length - 1]![1]();
  }

  // ---------------------------------------------------------------- program

  program(): Program {
    const consts: Program["consts"] = [];
    const constInfo: VarInfo[] = [];
    const nConsts = this.chance(0.3) ? this.int(1, 2) : 0;
    for (let i = 0; i < nConsts; i++) {
      const name = `K${i}`;
      const v = this.pick([0.5, 0.25, 1.5, 2, 0.75, 3]);
      const value: Expr = i > 0 && this.chance(0.5) ? { k: "bin", op: "*", a: { k: "num", v: 2 }, b: { k: "ref", name: "K0" } } : { k: "num", v };
      const cap = value.k === "num" ? v : 2 * constInfo[0]!.cap;
      consts.push({ name, value });
      constInfo.push({ name, kind: "num", mutable: false, cap, loopLevel: 0 });
    }

    const funcs: Func[] = [];
    const callees: Callee[] = [];
    if (this.opts.rows && this.chance(0.7)) funcs.push(this.mover(`mv${this.movers.length}`, constInfo));
    // Methods mode: a module-level arrow helper of one number, also passed by name (`xs.map(smooth0)`).
    // (A name no generated local can take: `g0` is a destructured tuple element's.)
    if (this.opts.methods && this.chance(0.6)) {
      const g: Callee = { name: "smooth0", params: [{ name: "p0", kind: "num" }], ret: LIMIT, argCap: 3 };
      funcs.push(this.func(g, false, this.chance(0.7) ? "arrowExpr" : "arrow", constInfo, callees, undefined));
      callees.push(g);
    }
    const nHelpers = this.int(0, this.opts.maxHelpers);
    let h = 0;
    while (h < nHelpers) {
      const recursive = this.chance(0.3);
      const mutual = recursive && h + 1 < nHelpers + 1 && this.chance(0.3);
      if (mutual) {
        const a = this.helperSignature(`h${h}`, true);
        const b = this.helperSignature(`h${h + 1}`, true);
        funcs.push(this.func(a, false, "function", constInfo, callees, [a, b]));
        funcs.push(this.func(b, false, "function", constInfo, callees, [b, a]));
        callees.push(a, b);
        h += 2;
      } else if (recursive) {
        const a = this.helperSignature(`h${h}`, true);
        funcs.push(this.func(a, false, "function", constInfo, callees, [a]));
        callees.push(a);
        h += 1;
      } else {
        const a = this.helperSignature(`h${h}`, false);
        // Methods mode: module-level arrow helpers more often.
        const style = this.weighted<Func["style"]>([
          [this.opts.methods ? 3 : 6, () => "function"],
          [this.opts.methods ? 2 : 1, () => "arrow"],
          [this.opts.methods ? 3 : 1.5, () => "arrowExpr"],
        ]);
        const f = this.func(a, false, a.returns && style === "arrowExpr" ? "function" : style, constInfo, callees, undefined);
        funcs.push(f);
        callees.push(a);
        h += 1;
      }
    }
    // Classes mode: a class (and maybe a subclass), their methods calling the helpers.
    const classes = this.opts.classes ? this.classes(constInfo, callees) : undefined;
    // Reassign mode: helpers returning a new array, assigned back in loops (`ys = relax0(ys, e)`).
    if (this.opts.reassign) for (let k = this.int(0, 2); k > 0; k--) funcs.push(this.arrayHelper(`relax${this.arrayHelpers.length}`));
    const nExported = this.int(1, this.opts.maxExported);
    for (let i = 0; i < nExported; i++) {
      const params: Param[] = [];
      const nNum = this.int(1, 3);
      const names = ["x", "y", "z"];
      for (let j = 0; j < nNum; j++) params.push({ name: names[j]!, kind: "num" });
      if (this.opts.arrays && this.chance(0.5)) params.push({ name: "v", kind: this.pick<ParamKind>(["vec", "f64", "roVec", "mat"]) });
      // Methods mode: a second number array, for the methods.
      if (this.opts.methods && this.chance(0.6)) params.push({ name: "w", kind: this.pick<ParamKind>(["vec", "f64", "roVec"]) });
      // Methods mode: a matrix, for the methods over its rows.
      if (this.grow && this.chance(0.35)) params.push({ name: "m", kind: "mat" });
      if (this.opts.structs) this.structParams(params, ["p", "q"], ["c", "e"], this.int(0, 2));
      if (this.opts.rows) {
        if (this.chance(0.85)) params.push({ name: "ps", kind: "rows", shape: this.pick(ROW_SHAPES), readonly: this.chance(0.25) });
        if (this.chance(0.25)) params.push({ name: "pts", kind: "rows", shape: this.pick(ROW_SHAPES), readonly: this.chance(0.25) });
        if (this.chance(0.4)) params.push({ name: "springs", kind: "rows", shape: SPRING, readonly: this.chance(0.25) });
      }
      if (this.chance(0.3)) params.splice(this.int(0, params.length), 0, { name: "n", kind: "int" });
      // Classes mode: parameters of the classes' types, whose methods and getters the function calls.
      if (classes) {
        for (const name of ["c", "k"]) {
          if (this.chance(name === "c" ? 0.85 : 0.35)) {
            const cls = this.pick(this.classInfo);
            params.push({ name, kind: "struct", shape: cls.shape, cls: cls.name });
          }
        }
      }
      const sig: Callee = { name: `f${i}`, params, ret: LIMIT, argCap: PARAM_RANGE };
      const style = this.weighted<Func["style"]>([
        [6, () => "function"],
        [1, () => "arrow"],
        [0.5, () => "arrowExpr"],
      ]);
      const vector = this.opts.arrays && this.chance(0.3) ? this.pick(["number[]", "Float64Array"] as const) : undefined;
      if (!vector && this.opts.structs && this.chance(0.3)) sig.returns = this.pick(RESULT_SHAPES);
      const f = this.func(sig, true, sig.returns ? "function" : style, constInfo, callees, undefined, vector);
      funcs.push(f);
      // Workaround helper-local-array: a function with local arrays is not called.
      if (!vector && !(this.opts.avoid.includes("helper-local-array") && declaresArray(f.body))) callees.push(sig);
    }
    return { seed: this.seed, ...(this.opts.structs ? { types: this.opts.rows ? [...TYPES, ...ROW_TYPES] : TYPES } : {}), ...(classes ? { classes } : {}), consts, funcs };
  }

  // ---------------------------------------------------------------- classes (classes mode)

  /**
   * `export class Cell { static readonly K = 1.5; constructor(public ka: number, ...) {} static s0(x) {...}
   * m1(x) {...} get g2() {...} }` and sometimes `export class Tuned extends Cell { kd = 0.5; m3(x) {
   * ... super.m1(x) ... } }`. Methods read `this.ka`, call earlier methods and getters through `this`,
   * statics through the class, module helpers; no member writes `this` and a subclass overrides
   * nothing (TSG1080, TSG1081).
   */
  private classes(consts: VarInfo[], callees: Callee[]): ClassDecl[] {
    const decls: ClassDecl[] = [];
    let members = 0;
    const base = this.classDecl("Cell", undefined, consts, callees, () => members++);
    decls.push(base);
    if (this.chance(0.5)) decls.push(this.classDecl("Tuned", this.classInfo[0], consts, callees, () => members++));
    // Exported functions call the static methods too (`Cell.s0(x)`).
    callees.push(...this.classInfo[0]!.statics.map((c) => ({ name: `${c.owner}.${c.name}`, params: c.params, ret: c.ret, argCap: c.argCap })));
    return decls;
  }

  /** Whether class `name` is class `base` or extends it. */
  private extendsClass(name: string, base: string): boolean {
    return name === base || (name === "Tuned" && base === "Cell");
  }

  private classDecl(name: string, base: ClassInfo | undefined, consts: VarInfo[], callees: Callee[], nextId: () => number): ClassDecl {
    const fields = base ? [] : ["ka", "kb", "kc"].slice(0, this.int(2, 3));
    const inits = base ? (this.chance(0.7) ? [{ name: "kd", value: this.pick([0.5, 0.25, 1.5]) }] : []) : [];
    const statics = !base && this.chance(0.6) ? [{ name: "K", value: this.pick([1.5, 0.5, 2, 0.75]) }] : [];
    // (In tsgrad's order: a subclass's own fields first, as its generated type lists them.)
    const all = [...fields, ...inits.map((f) => f.name), ...(base?.fields ?? [])];
    const info: ClassInfo = {
      name,
      fields: all,
      shape: { k: "obj", name, fields: all.map((f) => ({ name: f, shape: NUM })) },
      methods: [...(base?.methods ?? [])],
      getters: [...(base?.getters ?? [])],
      statics: [...(base?.statics ?? [])],
    };
    const staticVars: VarInfo[] = statics.map((k) => ({ name: `${name}.${k.name}`, kind: "num", mutable: false, cap: k.value, loopLevel: 0 }));
    const baseStatics: VarInfo[] = base ? [...this.classInfo.flatMap((c) => c.staticVars ?? [])] : [];
    info.staticVars = [...baseStatics, ...staticVars];
    const decl: ClassDecl = { name, ...(base ? { base: base.name } : {}), fields, paramProps: this.chance(0.5), inits, statics, members: [] };
    const count = this.int(base ? 1 : 2, base ? 2 : 4);
    for (let m = 0; m < count; m++) {
      const kind = this.weighted<ClassMember["kind"]>([
        [base ? 0 : 1, () => "static"],
        [3, () => "method"],
        [1.2, () => "getter"],
      ]);
      const id = nextId();
      const memberName = kind === "getter" ? `g${id}` : kind === "static" ? `s${id}` : `m${id}`;
      const params: Param[] = kind === "getter" ? [] : Array.from({ length: this.int(kind === "static" ? 1 : 0, 2) }, (_, j) => ({ name: ["x", "y"][j]!, kind: "num" as const }));
      const sig: Callee = { name: memberName, params, ret: LIMIT, argCap: 3 };
      // What the member reads: the fields and getters through `this`, the class constants.
      const extra: VarInfo[] = [...info.staticVars];
      const memberCallees: Callee[] = [...callees, ...info.statics.map((c) => ({ ...c, name: `${c.owner}.${c.name}` }))];
      if (kind !== "static") {
        for (const f of all) extra.push({ name: `this.${f}`, kind: "num", mutable: false, cap: PARAM_RANGE, loopLevel: 0 });
        for (const g of info.getters) extra.push({ name: `this.${g.name}`, kind: "num", mutable: false, cap: g.ret, loopLevel: 0 });
        memberCallees.push(...info.methods.map((c) => ({ ...c, name: `this.${c.name}` })));
        if (base) memberCallees.push(...base.methods.map((c) => ({ ...c, name: `super.${c.name}` })));
      }
      const func = this.func(sig, false, "function", consts, memberCallees, undefined, undefined, extra);
      decl.members.push({ kind, func });
      const done: Callee = { name: memberName, params, ret: sig.ret, argCap: 3 };
      if (kind === "static") info.statics.push({ ...done, owner: name });
      else if (kind === "getter") info.getters.push(done);
      else info.methods.push(done);
    }
    this.classInfo.push(info);
    return decl;
  }

  /**
   * Appends up to `count` structured parameters named from `names`; some are destructured:
   * objects bind the fields whose names are free, tuples bind `<prefix><k>` for each element.
   */
  private structParams(params: Param[], names: string[], tuplePrefixes: string[], count: number): void {
    for (let j = 0; j < count; j++) {
      // Rows mode: a Body parameter takes an element (`h(ps[i])`, inlined).
      const shape = this.opts.rows && this.chance(0.3) ? BODY : this.pick(PARAM_SHAPES);
      const param: Param = { name: names[j]!, kind: "struct", shape };
      if (this.chance(0.35)) {
        const taken = new Set(params.flatMap((q) => q.bind ?? [q.name]));
        if (shape.k === "tuple") param.bind = shape.items.map((_, k) => `${tuplePrefixes[j]}${k}`);
        else if (shape.k === "obj") {
          const free = shape.fields.map((f) => f.name).filter((n) => !taken.has(n) && this.chance(0.8));
          if (free.length > 0) param.bind = free;
        }
      }
      params.push(param);
    }
  }

  private helperSignature(name: string, recursive: boolean): Callee {
    const params: Param[] = [];
    const nNum = this.int(1, 3);
    for (let j = 0; j < nNum; j++) params.push({ name: `p${j}`, kind: "num" });
    if (this.opts.arrays && this.chance(0.25)) params.push({ name: "w", kind: this.pick<ParamKind>(["vec", "f64", "roVec", "mat"]) });
    // Methods mode: more helpers taking a number[] (grown arrays and matrix rows are passed to them).
    else if (this.grow && this.chance(0.35)) params.push({ name: "w", kind: this.pick<ParamKind>(["vec", "roVec"]) });
    if (this.opts.structs && this.chance(0.6)) this.structParams(params, ["u", "r"], ["g", "o"], this.int(1, 2));
    // Rows mode: a helper reading a whole array of objects (`kinetic(ps)`).
    if (this.opts.rows && this.chance(0.3)) params.push({ name: "rs", kind: "rows", shape: this.pick(ROW_SHAPES), readonly: this.chance(0.3) });
    if (recursive) params.push({ name: "d", kind: "int" });
    else if (this.chance(0.15)) params.splice(this.int(0, params.length), 0, { name: "m", kind: "int" });
    // Helpers returning structures are inlined, so they are never recursive.
    // Rows mode: sometimes a Body, for whole-element assignments `r[i] = h(...)`.
    const returns = this.opts.structs && !recursive && this.chance(0.35) ? (this.opts.rows && this.chance(0.3) ? BODY : this.pick(RESULT_SHAPES)) : undefined;
    return { name, params, ret: recursive ? 3 : LIMIT, argCap: 3, returns };
  }

  /** Generates a function body for `sig`; `partners` makes it recursive (first is itself). */
  private func(
    sig: Callee,
    exported: boolean,
    style: Func["style"],
    consts: VarInfo[],
    callees: Callee[],
    partners: Callee[] | undefined,
    vector?: "number[]" | "Float64Array",
    extra?: VarInfo[],
  ): Func {
    const top: Scope = { vars: new Map(), used: new Set() };
    for (const c of consts) top.vars.set(c.name, c);
    const params = new Map<string, VarInfo>();
    // Classes mode: `this.ka`, getters, class constants (read-only variables), methods of class-typed parameters.
    for (const v of extra ?? []) params.set(v.name, v);
    const instanceCallees: Callee[] = [];
    for (const p of sig.params) {
      if (p.cls) {
        const cls = this.classInfo.find((c) => c.name === p.cls)!;
        const inst: VarInfo = { name: p.name, kind: "inst", shape: cls.shape, mutable: false, cap: sig.argCap, loopLevel: 0, param: true };
        params.set(p.name, inst);
        for (const f of cls.fields) params.set(`${p.name}.${f}`, { name: `${p.name}.${f}`, kind: "num", mutable: false, cap: sig.argCap, loopLevel: 0, root: inst });
        for (const g of cls.getters) params.set(`${p.name}.${g.name}`, { name: `${p.name}.${g.name}`, kind: "num", mutable: false, cap: g.ret, loopLevel: 0, root: inst });
        instanceCallees.push(...cls.methods.map((c) => ({ ...c, name: `${p.name}.${c.name}` })));
        continue;
      }
      if (p.kind === "num") params.set(p.name, { name: p.name, kind: "num", mutable: true, cap: sig.argCap, loopLevel: 0, param: true });
      else if (p.kind === "int") params.set(p.name, { name: p.name, kind: "int", mutable: false, cap: MAX_INT, loopLevel: 0 });
      // Workaround inlined-binding-write: an inlined function does not reassign its bindings.
      else if (p.kind === "struct") this.declareStructParam(params, p, sig.argCap, !(sig.returns && this.opts.avoid.includes("inlined-binding-write")));
      else if (p.kind === "rows") params.set(p.name, { name: p.name, kind: "rows", shape: p.shape, mutable: false, cap: sig.argCap, loopLevel: 0, param: true, readonlyRows: p.readonly });
      else params.set(p.name, { name: p.name, kind: "ro", atype: PARAM_ATYPE[p.kind], mutable: false, cap: sig.argCap, loopLevel: 0, length: MIN_VEC });
    }
    const ctx: FnCtx = {
      scopes: [top, { vars: params, used: new Set() }],
      loops: [],
      budget: this.int(3, this.opts.maxStatements),
      names: 0,
      labels: 0,
      callees: [...callees, ...instanceCallees],
      recursive: partners ? { partners, depth: "d" } : undefined,
      recursiveSites: 2,
      callsAllowed: true,
      inlined: sig.returns !== undefined,
      noReturns: vector !== undefined || sig.returns !== undefined,
      localArrays: this.opts.arrays && (exported || !this.opts.avoid.includes("helper-local-array")),
      retCap: sig.ret,
      maxReturn: 0,
      declared: new Set(),
      unread: new Set(),
      paramNames: new Set(sig.params.map((p) => p.name)),
    };
    const annotateReturn = partners !== undefined || this.chance(0.7);
    if (vector) return this.vectorFunc(sig, exported, style === "arrowExpr" ? "function" : style, ctx, vector);
    if (sig.returns) return this.structFunc(sig, exported, style, ctx, sig.returns);
    if (style === "arrowExpr" && !partners) {
      const body = this.fit(this.expr(ctx, this.int(2, 4)), ctx.retCap);
      sig.ret = Math.max(body.b, 1e-3);
      return { name: sig.name, exported, style, params: sig.params, body: [], exprBody: body.e, annotateReturn };
    }
    const body: Stmt[] = [];
    if (partners) {
      // Base case first: `if (d <= 0) return ...;`
      ctx.callsAllowed = false;
      const base = this.fit(this.expr(ctx, 2, false), ctx.retCap);
      ctx.callsAllowed = true;
      body.push({
        k: "if",
        test: { k: "cmp", op: "<=", a: { k: "ref", name: "d" }, b: { k: "num", v: 0 } },
        then: [{ k: "return", value: base.e }],
        fixed: true,
      });
      ctx.maxReturn = Math.max(ctx.maxReturn, base.b);
    }
    // Rows mode: often the function copies an array parameter first, to write into the copy.
    if (this.opts.rows && ctx.callsAllowed) {
      const own = this.visible(ctx, (v) => v.kind === "rows" && v.param === true && !hasIndexField(v.shape!));
      if (own.length > 0 && this.chance(0.6)) body.push(this.rowsDecl(ctx, this.pick(own)));
    }
    const terminated = this.block(ctx, body, 0);
    if (!terminated) {
      let value = this.expr(ctx, this.int(1, 4));
      // Fold in locals nothing has read, so that they matter.
      for (const name of this.unreadTopLevel(ctx).slice(0, 3)) {
        const v = this.lookup(ctx, name)!;
        value = { e: { k: "bin", op: this.pick<BinOp>(["+", "-", "*"]), a: value.e, b: { k: "ref", name: this.use(ctx, name) } }, b: value.b + v.cap };
      }
      // Rows mode: and elements of local arrays of objects (what was written into them reaches the result).
      for (const r of [...ctx.scopes[1]!.vars.values()].filter((v) => v.kind === "rows" && !v.param && !hasIndexField(v.shape!))) {
        if (!this.chance(0.8)) continue;
        const leaf = this.pick(leavesOf(r.shape!).filter((l) => l.shape.k === "num"));
        const name = printPath(`${this.use(ctx, r.name)}[${this.int(0, MIN_VEC - 1)}]`, leaf.path);
        value = { e: { k: "bin", op: this.pick<BinOp>(["+", "-", "*"]), a: value.e, b: { k: "ref", name } }, b: value.b + r.cap };
      }
      value = this.fit(value, ctx.retCap);
      ctx.maxReturn = Math.max(ctx.maxReturn, value.b);
      body.push({ k: "return", value: value.e });
    }
    if (!partners) sig.ret = Math.max(ctx.maxReturn, 1e-3);
    return { name: sig.name, exported, style, params: sig.params, body, annotateReturn };
  }

  /** `const out = ...; <statements>; out[k] = ...; return out;` */
  private vectorFunc(sig: Callee, exported: boolean, style: Func["style"], ctx: FnCtx, type: "number[]" | "Float64Array"): Func {
    // Methods mode: `const out: number[] = []; ... out.push(...); return out;`
    if (this.grow && type === "number[]" && this.chance(0.4)) {
      const body: Stmt[] = [...this.growDecl(ctx, "out")];
      const out = this.lookup(ctx, "out")!;
      this.block(ctx, body, 0);
      const unread = this.unreadTopLevel(ctx).slice(0, 2);
      if (!out.sealed && unread.length > 0) body.push({ k: "push", array: "out", values: unread.map((name) => this.fit({ e: { k: "ref", name: this.use(ctx, name) }, b: 20 }, 3).e) });
      body.push({ k: "return", value: { k: "ref", name: "out" } });
      return { name: sig.name, exported, style, params: sig.params, body, annotateReturn: this.chance(0.7), returns: type };
    }
    const length = this.int(MIN_VEC, 3);
    const init: ArrayInit =
      type === "Float64Array"
        ? { k: "f64", length: { k: "num", v: length } }
        : this.chance(0.5)
          ? { k: "fill", length: { k: "num", v: length }, annotated: this.chance(0.5) }
          : { k: "lit", elements: Array.from({ length }, () => this.fit(this.expr(ctx, 2), 3).e) };
    ctx.scopes[1]!.vars.set("out", { name: "out", kind: "vec", atype: type, mutable: false, cap: 3, loopLevel: 0, length });
    const body: Stmt[] = [{ k: "adecl", name: "out", init }];
    this.block(ctx, body, 0);
    for (let k = 0; k < length; k++) {
      if (this.chance(0.7)) body.push({ k: "store", array: "out", index: { k: "num", v: k }, op: this.pick<AssignOp>(["=", "+="]), value: this.fit(this.expr(ctx, 3), 1).e });
    }
    for (const name of this.unreadTopLevel(ctx).slice(0, 2)) {
      body.push({ k: "store", array: "out", index: { k: "num", v: this.int(0, length - 1) }, op: "+=", value: this.fit({ e: { k: "ref", name: this.use(ctx, name) }, b: 20 }, 1).e });
    }
    body.push({ k: "return", value: { k: "ref", name: "out" } });
    return { name: sig.name, exported, style, params: sig.params, body, annotateReturn: this.chance(0.7), returns: type };
  }

  /** `<statements>; return <structure>;` (the only return: such a function is inlined where called). */
  private structFunc(sig: Callee, exported: boolean, style: Func["style"], ctx: FnCtx, shape: Shape): Func {
    const body: Stmt[] = [];
    this.block(ctx, body, 0);
    // A local of the body that shares no object (returning a parameter would hand the caller's object out).
    const params = new Set(sig.params.flatMap((p) => p.bind ?? [p.name]));
    const locals = this.structSources(ctx, shape, STRUCT_CAP).filter((src) => !params.has(src.v.name) && !src.v.frozen && ctx.scopes[1]!.vars.get(src.v.name) === src.v);
    let value: SVal;
    if (locals.length > 0 && this.chance(0.4)) {
      const src = this.pick(locals);
      value = { k: "sref", name: this.use(ctx, src.v.name), path: src.path };
    } else {
      value = this.literal(ctx, shape, STRUCT_CAP, 1);
      // Fold in locals nothing has read, so that they matter.
      const slots = numberSlots(value);
      // (A literal of nested spreads and calls only has no number of its own to fold into.)
      for (const name of this.unreadTopLevel(ctx).filter(() => slots.length > 0).slice(0, 2)) {
        const slot = this.pick(slots);
        const v = this.lookup(ctx, name)!;
        slot.set(this.fit({ e: { k: "bin", op: this.pick<BinOp>(["+", "-", "*"]), a: slot.get(), b: { k: "ref", name: this.use(ctx, name) } }, b: STRUCT_CAP + v.cap }, STRUCT_CAP).e);
      }
    }
    body.push({ k: "return", value: { k: "struct", v: value } });
    sig.ret = STRUCT_CAP;
    return { name: sig.name, exported, style, params: sig.params, body, annotateReturn: true, returns: shape };
  }

  // ---------------------------------------------------------------- structures (behind the flag)

  /** A structured parameter: named (its fields read-only), or destructured into its bindings. */
  private declareStructParam(vars: Map<string, VarInfo>, p: Param, cap: number, writableBindings: boolean): void {
    const shape = p.shape!;
    if (!p.bind) {
      this.declareStruct(vars, p.name, shape, { mutable: false, fieldsMutable: false, cap, loopLevel: 0 });
      return;
    }
    p.bind.forEach((name, k) => {
      const field = shape.k === "tuple" ? shape.items[k]! : shape.k === "obj" ? shape.fields.find((f) => f.name === name)!.shape : shape;
      // A bound number is a local copy (writable); a bound structure is still the caller's.
      if (field.k === "num") vars.set(name, { name, kind: "num", mutable: writableBindings, cap, loopLevel: 0 });
      else if (field.k === "bool") vars.set(name, { name, kind: "bool", mutable: false, cap: 1, loopLevel: 0 });
      else this.declareStruct(vars, name, field, { mutable: false, fieldsMutable: false, cap, loopLevel: 0 });
    });
  }

  /** Declares structure `name` and each of its number and boolean fields as a variable named by its path. */
  private declareStruct(vars: Map<string, VarInfo>, name: string, shape: Shape, o: { mutable: boolean; fieldsMutable: boolean; cap: number; loopLevel: number; unread?: Set<string> }): VarInfo {
    const info: VarInfo = { name, kind: "struct", shape, mutable: o.mutable, cap: o.cap, loopLevel: o.loopLevel };
    vars.set(name, info);
    for (const { path, shape: leaf } of leavesOf(shape)) {
      const leafName = printPath(name, path);
      if (isIndexPath(shape, path)) {
        // `sp.i`: an integer index (only compared and used as an index: derivative 0).
        vars.set(leafName, { name: leafName, kind: "int", mutable: false, cap: MIN_VEC - 1, loopLevel: o.loopLevel, root: info, rowIndex: true });
        continue;
      }
      vars.set(leafName, { name: leafName, kind: leaf.k === "num" ? "num" : "bool", mutable: o.fieldsMutable, cap: leaf.k === "num" ? o.cap : 1, loopLevel: o.loopLevel, root: info });
      if (leaf.k === "num") o.unread?.add(leafName);
    }
    return info;
  }

  /** Visible structures and sub-structures of `shape` whose numbers stay within `cap`. */
  private structSources(ctx: FnCtx, shape: Shape, cap: number): { v: VarInfo; path: (string | number)[] }[] {
    const key = shapeKey(shape);
    return this.visible(ctx, (v) => v.kind === "struct" && v.cap <= cap).flatMap((v) => subStructures(v.shape!).filter((s) => shapeKey(s.shape) === key).map((s) => ({ v, path: s.path })));
  }

  /** A structured value of `shape` (numbers within `cap`); `alias` allows a plain variable (shared object). */
  private svalue(ctx: FnCtx, shape: Shape, cap: number, depth: number, refs = true): SVal {
    const sources = this.structSources(ctx, shape, cap);
    const calls = ctx.callsAllowed && depth > 0 ? ctx.callees.filter((c) => c.returns && shapeKey(c.returns) === shapeKey(shape) && c.ret <= cap) : [];
    // Workaround shallow-spread: a spread shares nested objects, which tsgrad copies; spread flat ones only.
    const spreadable = sources.length > 0 && !(this.opts.avoid.includes("shallow-spread") && subStructures(shape).length > 1);
    return this.weighted<SVal>([
      [refs && sources.length > 0 ? 3 : 0, () => {
        const src = this.pick(sources);
        return { k: "sref", name: this.use(ctx, src.v.name), path: src.path };
      }],
      [calls.length > 0 ? 2 : 0, () => {
        const call = this.call(ctx, this.pick(calls), depth - 1).e;
        return call.k === "call" ? { k: "scall", fn: call.fn, args: call.args } : this.literal(ctx, shape, cap, depth - 1);
      }],
      [2.5, () => this.literal(ctx, shape, cap, depth)],
      [shape.k === "obj" && spreadable ? 1.5 : 0, () => {
        // `{ ...src, f: e }`: a copy with some number or boolean fields replaced.
        const src = this.pick(sources);
        const fields = (shape as Extract<Shape, { k: "obj" }>).fields.filter((f) => f.shape.k === "num" || f.shape.k === "bool").filter(() => this.chance(0.5));
        return {
          k: "obj",
          spread: { k: "sref", name: this.use(ctx, src.v.name), path: src.path },
          fields: fields.map((f) => ({ name: f.name, value: f.shape.k === "num" ? this.fit(this.expr(ctx, this.int(1, 3)), cap).e : this.cond(ctx, 1) })),
        };
      }],
    ]);
  }

  /** An object or tuple literal of `shape`. */
  private literal(ctx: FnCtx, shape: Shape, cap: number, depth: number): SVal {
    const part = (t: Shape): Expr | Cond | SVal =>
      // A nested structure is never a plain variable: the literal would share its object.
      // At depth 0, only leaves: calls in them could build structures again without end.
      t.k === "num" ? this.fit(this.expr(ctx, depth > 0 ? this.int(1, 3) : 0), cap).e : t.k === "bool" ? this.cond(ctx, 1) : this.svalue(ctx, t, cap, depth - 1, false);
    if (shape.k === "obj") return { k: "obj", fields: shape.fields.map((f) => ({ name: f.name, value: part(f.shape) })) };
    if (shape.k === "tuple") return { k: "tup", items: shape.items.map(part) };
    throw new Error("literal of a scalar shape");
  }

  /** From now on no field of structure `v` is written. */
  private freeze(ctx: FnCtx, v: VarInfo): void {
    v.frozen = true;
    for (const scope of ctx.scopes) for (const leaf of scope.vars.values()) if (leaf.root === v) leaf.mutable = false;
  }

  /** Marks the structure a written field belongs to (it may not share its object from now on). */
  private markWritten(v: VarInfo): void {
    if (v.root) v.root.written = true;
  }

  /** A local structure: a literal, spread, helper result, alias or `?:` between structures. */
  private structDecl(ctx: FnCtx): Stmt {
    // Not a Spring: a literal would put computed numbers in its index fields.
    const visibleShapes = this.visible(ctx, (v) => v.kind === "struct" && !hasIndexField(v.shape!)).map((v) => v.shape!);
    const shape = visibleShapes.length > 0 && this.chance(0.5) ? this.pick(visibleShapes) : this.pick(PARAM_SHAPES);
    const isConst = this.chance(0.5);
    const name = this.newName(ctx, "s");
    // A source not written so far can be shared; both are frozen then (TSG1051).
    const shareable = this.structSources(ctx, shape, STRUCT_CAP).filter((src) => !src.v.written);
    const freeze = (src: { v: VarInfo }): void => this.freeze(ctx, src.v);
    let frozen = false;
    let cap = STRUCT_CAP;
    const init = this.weighted<SVal>([
      [shareable.length > 0 ? 1.2 : 0, () => {
        const src = this.pick(shareable);
        freeze(src);
        frozen = true;
        cap = src.v.cap;
        return { k: "sref", name: this.use(ctx, src.v.name), path: src.path };
      }],
      [shareable.length > 1 ? 0.4 : 0, () => {
        const a = this.pick(shareable);
        const b = this.pick(shareable);
        freeze(a);
        freeze(b);
        frozen = true;
        cap = Math.max(a.v.cap, b.v.cap);
        return { k: "scond", test: this.cond(ctx, 1), a: { k: "sref", name: this.use(ctx, a.v.name), path: a.path }, b: { k: "sref", name: this.use(ctx, b.v.name), path: b.path } };
      }],
      [4, () => this.svalue(ctx, shape, STRUCT_CAP, 2, false)],
    ]);
    const vars = ctx.scopes[ctx.scopes.length - 1]!.vars;
    const info = this.declareStruct(vars, name, shape, { mutable: !isConst, fieldsMutable: !frozen, cap, loopLevel: ctx.loops.length, unread: ctx.unread });
    info.frozen = frozen;
    // A tuple literal needs its type (else it is a number[]); other values sometimes get theirs.
    const literal = init.k === "obj" || init.k === "tup";
    // `{ ..., fixed: c && false }` gives the field type `false` (as for `let b = c && false`): a
    // later `s.fixed = ...` would not type-check (seed 3492644196, TS2322), so it gets its type.
    // (Tested last: the random draws, and so the rest of the program, stay as they were.)
    const annotate = (literal && hasTuple(shape)) || this.chance(0.3) || (!frozen && hasBoolLiteralField(init)) ? shape : undefined;
    return { k: "sdecl", kind: isConst ? "const" : "let", name, annotate, init };
  }

  /** `s = <fresh value>` for a let structure: often `{ ...s, x: 0.5 * s.x + e }` or a literal of updates. */
  private structAssign(ctx: FnCtx, v: VarInfo): Stmt {
    this.use(ctx, v.name);
    if (v.element && v.name.includes("[")) this.markReplaced(ctx, v.name.split("[")[0]!);
    const value = this.weighted<SVal>([
      [2, () => {
        const fresh = this.literal(ctx, v.shape!, v.cap, 1);
        // Each number becomes a damped update of the field it replaces: 0.5 * s.f + e.
        for (const { path, shape } of leavesOf(v.shape!)) {
          if (shape.k !== "num" || !this.chance(0.7)) continue;
          const slot = numberSlots(fresh).find((sl) => sl.path.join(".") === path.join("."));
          const step = this.fit(this.expr(ctx, this.int(1, 2)), v.cap / 2).e;
          slot?.set({ k: "bin", op: "+", a: { k: "bin", op: "*", a: { k: "num", v: 0.5 }, b: { k: "ref", name: this.use(ctx, printPath(v.name, path)) } }, b: step });
        }
        return fresh;
      }],
      [2, () => this.svalue(ctx, v.shape!, v.cap, 1, false)],
    ]);
    return { k: "sassign", name: v.name, value };
  }

  /** `const { x: t1, y: t2 } = s;`, `const [t1, t2] = t;` or `let [t1, t2] = [e1, e2];`. */
  private destructure(ctx: FnCtx): Stmt | undefined {
    const kind = this.chance(0.5) ? "const" : "let";
    // Workaround destructure-written: not from a structure whose fields are written.
    const avoidWritten = this.opts.avoid.includes("destructure-written");
    const sources = this.visible(ctx, (v) => v.kind === "struct" && !(avoidWritten && v.written));
    const fromLiteral = sources.length === 0 || this.chance(0.3);
    let fields: { field: string | number; cap: number }[];
    let init: SVal;
    if (fromLiteral) {
      const n = this.int(2, 3);
      const items = Array.from({ length: n }, () => this.fit(this.expr(ctx, this.int(1, 3)), STRUCT_CAP).e);
      init = { k: "tup", items };
      fields = items.map((_, k) => ({ field: k, cap: STRUCT_CAP }));
    } else {
      const src = this.pick(sources);
      const shape = src.shape!;
      if (shape.k === "obj") {
        fields = shape.fields.filter((f) => f.shape.k === "num" && !(hasIndexField(shape) && INDEX_FIELDS.includes(f.name)) && this.chance(0.7)).map((f) => ({ field: f.name, cap: src.cap }));
      } else if (shape.k === "tuple") {
        // A prefix of number elements (no holes).
        const prefix = shape.items.findIndex((t) => t.k !== "num");
        fields = shape.items.slice(0, prefix < 0 ? undefined : prefix).map((_, k) => ({ field: k, cap: src.cap }));
      } else fields = [];
      if (fields.length === 0) return undefined;
      if (avoidWritten) this.freeze(ctx, src);
      init = { k: "sref", name: this.use(ctx, src.name), path: [] };
    }
    const binds = fields.map((f) => {
      const name = this.newName(ctx, "t");
      return { field: f.field, name, cap: f.cap };
    });
    for (const b of binds) {
      this.declare(ctx, { name: b.name, kind: "num", mutable: kind === "let", cap: b.cap, loopLevel: ctx.loops.length });
      ctx.unread.add(b.name);
    }
    return { k: "destr", kind, pattern: typeof fields[0]!.field === "number" ? "tuple" : "obj", binds: binds.map(({ field, name }) => ({ field, name })), init };
  }

  /** `[a, b] = [b, a]` for two writable numbers of one bound, or `[a, b] = [e1, e2]`. */
  private destructuringAssign(ctx: FnCtx, targets: VarInfo[]): Stmt | undefined {
    // Workaround swap-const-fields: no fields of a const structure, no parameters of an inlined function.
    const avoid = this.opts.avoid.includes("swap-const-fields");
    let assignable = avoid ? targets.filter((v) => (!v.root || v.root.mutable) && !(ctx.inlined && v.param)) : targets;
    // Workaround swap-element-fields: no fields of elements of arrays of objects.
    if (this.opts.avoid.includes("swap-element-fields")) assignable = assignable.filter((v) => !v.root?.element);
    if (assignable.length < 2) return undefined;
    const a = this.pick(assignable);
    const partners = assignable.filter((v) => v !== a && v.name !== a.name);
    if (partners.length === 0) return undefined;
    const sameCap = partners.filter((v) => v.cap === a.cap);
    this.use(ctx, a.name);
    if (sameCap.length > 0 && this.chance(0.6)) {
      const b = this.pick(sameCap);
      this.use(ctx, b.name);
      this.markWritten(a);
      this.markWritten(b);
      return { k: "dassign", targets: [a.name, b.name], values: [{ k: "ref", name: b.name }, { k: "ref", name: a.name }] };
    }
    const b = this.pick(partners);
    this.use(ctx, b.name);
    this.markWritten(a);
    this.markWritten(b);
    return { k: "dassign", targets: [a.name, b.name], values: [a, b].map((v) => this.fit(this.expr(ctx, this.int(1, 3)), v.cap).e) };
  }

  // ---------------------------------------------------------------- scopes

  private lookup(ctx: FnCtx, name: string): VarInfo | undefined {
    for (let i = ctx.scopes.length - 1; i >= 0; i--) {
      const v = ctx.scopes[i]!.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }

  private visible(ctx: FnCtx, pred: (v: VarInfo) => boolean): VarInfo[] {
    const seen = new Set<string>();
    const out: VarInfo[] = [];
    for (let i = ctx.scopes.length - 1; i >= 0; i--) {
      for (const v of ctx.scopes[i]!.vars.values()) {
        if (seen.has(v.name)) continue;
        seen.add(v.name);
        if (pred(v)) out.push(v);
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /**
   * A name for a new local, hidden until `declare`: fresh, or sometimes one declared in a sibling
   * scope, or one that shadows an outer variable not read in this scope so far.
   */
  private newName(ctx: FnCtx, prefix: string): string {
    const current = ctx.scopes[ctx.scopes.length - 1]!;
    let name: string | undefined;
    if (this.chance(0.15)) {
      // (`prefix` and a number: `r` does not reuse a matrix row's name `row2`, which a callback body may not redeclare.)
      const reusable = [...ctx.declared].filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)) && !current.vars.has(n) && !current.used.has(n));
      // (Not a name of the scope just outside: a callback's parameters, which its body may not
      // redeclare; filtered after the draws above, so that other programs stay as they were.)
      const outside = ctx.scopes[ctx.scopes.length - 2]?.vars;
      const candidates = reusable.filter((n) => !this.lookup(ctx, n) || this.chance(0.3)).filter((n) => !outside?.has(n));
      if (candidates.length > 0) name = this.pick(candidates.sort());
    }
    if (name === undefined) {
      name = `${prefix}${ctx.names++}`;
      ctx.declared.add(name);
    }
    current.vars.set(name, { name, kind: "hidden", mutable: false, cap: 0, loopLevel: 0 });
    // The fields of a structure this name shadows are out of reach too.
    // So are elements named through it (`r2[i1]`, `r2[i1].pos.x` when shadowing `r2` or `i1`).
    const through = new RegExp(`\\b${name}\\b`);
    for (const v of this.visible(ctx, (f) => (f.root !== undefined && f.name.split(/[.[]/)[0] === name) || (f.name.includes("[") && f.name !== name && through.test(f.name)))) current.vars.set(v.name, { name: v.name, kind: "hidden", mutable: false, cap: 0, loopLevel: 0 });
    return name;
  }

  /**
   * Numbers declared at the function's top level that nothing has read. `unread` holds names, and a
   * callback's or loop's element may leave its name there after its scope closed: when a top-level
   * variable has the same name (a destructured parameter `[e0, e1]: [number, Vec2]` and a callback
   * `(e1) => ...`), only a number of that name may be folded in (seed 3062409236 added `Math.sin(e1)`
   * with `e1` a Vec2).
   */
  private unreadTopLevel(ctx: FnCtx): string[] {
    return [...ctx.unread].filter((n) => ctx.scopes[1]!.vars.get(n)?.kind === "num");
  }

  private declare(ctx: FnCtx, v: VarInfo): void {
    ctx.scopes[ctx.scopes.length - 1]!.vars.set(v.name, v);
  }

  /** Records a read of `name` in every open scope. */
  private use(ctx: FnCtx, name: string): string {
    // A field `s.pos.x` is a read of `s` too (a later `s` in a nested scope would shadow it).
    const base = name.split(/[.[]/)[0]!;
    for (const s of ctx.scopes) {
      s.used.add(name);
      s.used.add(base);
    }
    ctx.unread.delete(name);
    return name;
  }

  private pushScope(ctx: FnCtx): void {
    ctx.scopes.push({ vars: new Map(), used: new Set() });
  }

  /** A name for an element of array of objects `rows` is declared in the current scope (see `Scope.views`). */
  private markView(ctx: FnCtx, rows: string): void {
    const current = ctx.scopes[ctx.scopes.length - 1]!;
    (current.views ??= new Set()).add(rows);
  }

  /**
   * Whether `v` is an element named by index (`r[i]`) that may not be replaced whole here: a name
   * for an element of `r` is in scope (seed 2589320646: `const s2 = r0[1]`, then `r0[i4] = { ... }`
   * in a loop below, TSG1055).
   */
  private viewedElement(ctx: FnCtx, v: VarInfo): boolean {
    if (!v.element || !v.name.includes("[")) return false;
    const rows = v.name.split("[")[0]!;
    return ctx.scopes.some((s) => s.views?.has(rows));
  }

  /** Records that an element of `rows` is replaced whole here (see `Scope.replaced`). */
  private markReplaced(ctx: FnCtx, rows: string): void {
    for (const s of ctx.scopes) (s.replaced ??= new Set()).add(rows);
  }

  /** Product of the trip counts of the loops entered since `level`. */
  private tripsSince(ctx: FnCtx, level: number): number {
    let t = 1;
    for (let i = level; i < ctx.loops.length; i++) t *= ctx.loops[i]!.maxTrips;
    return t;
  }

  private totalTrips(ctx: FnCtx): number {
    return this.tripsSince(ctx, 0);
  }

  // ---------------------------------------------------------------- statements

  /** Appends statements to `out`; returns true when the block ends in a jump on every path. */
  private block(ctx: FnCtx, out: Stmt[], depth: number, minCount = 1): boolean {
    const count = this.int(minCount, depth === 0 ? 6 : 3);
    for (let i = 0; i < count && ctx.budget > 0; i++) {
      const s = this.stmt(ctx, depth);
      if (!s) continue;
      out.push(...s.stmts);
      if (s.terminates) return true;
    }
    // Before a nested scope closes, let a local nothing read flow into an outer variable.
    const current = ctx.scopes[ctx.scopes.length - 1]!;
    const unread = [...current.vars.values()].filter((v) => v.kind === "num" && ctx.unread.has(v.name));
    const outer = this.visible(ctx, (v) => v.kind === "num" && v.mutable && !current.vars.has(v.name));
    if (ctx.scopes.length > 2 && unread.length > 0 && outer.length > 0 && this.chance(0.75)) {
      const target = this.pick(outer);
      const local = this.pick(unread);
      this.use(ctx, target.name);
      this.markWritten(target);
      const sum: Bounded = { e: { k: "bin", op: "+", a: { k: "ref", name: target.name }, b: { k: "ref", name: this.use(ctx, local.name) } }, b: target.cap + local.cap };
      out.push({ k: "assign", name: target.name, op: "=", value: this.fit(sum, target.cap).e });
    }
    return false;
  }

  private stmt(ctx: FnCtx, depth: number): { stmts: Stmt[]; terminates: boolean } | undefined {
    ctx.budget--;
    const inLoop = ctx.loops.length > (ctx.loopFloor ?? 0);
    const assignable = this.visible(ctx, (v) => v.kind === "num" && v.mutable);
    const bools = this.visible(ctx, (v) => v.kind === "bool" && v.mutable);
    const arrays = this.visible(ctx, (v) => v.kind === "vec");
    const structs = this.opts.structs;
    const rows = this.opts.rows ? this.visible(ctx, (v) => v.kind === "rows") : [];
    // (A name for an element spans its whole block: not after an element was replaced whole in it.)
    const replaced = ctx.scopes[ctx.scopes.length - 1]!.replaced;
    const fields = structs ? assignable.filter((v) => v.root) : [];
    const lets = structs ? this.visible(ctx, (v) => v.kind === "struct" && v.mutable) : [];
    const plain = (s: Stmt | undefined) => (s ? { stmts: [s], terminates: false } : undefined);
    return this.weighted<{ stmts: Stmt[]; terminates: boolean } | undefined>([
      [3, () => plain(this.declStmt(ctx))],
      [0.5, () => plain(this.boolDecl(ctx))],
      [assignable.length > 0 ? 3 : 0, () => plain(this.assignStmt(ctx, this.pick(assignable)))],
      [bools.length > 0 && !this.opts.avoid.includes("bool-reassign") ? 0.4 : 0, () => {
        const b = this.pick(bools);
        this.markWritten(b);
        return plain({ k: "bassign", name: this.use(ctx, b.name), value: this.cond(ctx, 2) });
      }],
      [depth < 3 ? 1.6 : 0, () => this.ifStmt(ctx, depth)],
      [depth < 3 && ctx.loops.length < 2 && this.totalTrips(ctx) <= 8 ? 1.3 : 0, () => plain(this.loopStmt(ctx, depth))],
      [depth < 3 ? 0.15 : 0, () => plain(this.blockStmt(ctx, depth))],
      [inLoop ? 0.7 : 0, () => this.jumpIf(ctx, depth)],
      [ctx.noReturns ? 0 : 0.35, () => this.earlyReturn(ctx, depth)],
      [ctx.localArrays ? 0.6 : 0, () => plain(this.arrayDecl(ctx))],
      [this.opts.arrays && arrays.length > 0 ? 1.5 : 0, () => plain(this.storeStmt(ctx, this.pick(arrays)))],
      [structs ? 2 : 0, () => plain(this.structDecl(ctx))],
      [fields.length > 0 ? 2 : 0, () => plain(this.assignStmt(ctx, this.pick(fields)))],
      // (A statement that would break the TSG1055 rule is left out rather than the choice weighted
      // otherwise: the other programs stay as they were.)
      [lets.length > 0 ? 1 : 0, () => {
        const v = this.pick(lets);
        return this.viewedElement(ctx, v) ? undefined : plain(this.structAssign(ctx, v));
      }],
      [structs ? 0.6 : 0, () => plain(this.destructure(ctx))],
      [structs && assignable.length > 1 ? 0.5 : 0, () => plain(this.destructuringAssign(ctx, assignable))],
      [this.opts.rows ? 1.2 : 0, () => plain(this.rowsDecl(ctx))],
      [rows.length > 0 && depth < 3 && ctx.loops.length < 2 && this.totalTrips(ctx) <= 8 ? 2 : 0, () => plain(this.forOf(ctx, depth, this.pick(rows)))],
      [rows.length > 0 ? 1.2 : 0, () => {
        const r = this.pick(rows);
        return replaced?.has(r.name) ? undefined : plain(this.elementName(ctx, r));
      }],
      [this.movers.length > 0 ? 2 : 0, () => plain(this.moveCall(ctx))],
      [rows.length > 0 && depth < 3 && ctx.loops.length < 2 && this.totalTrips(ctx) <= 8 ? 1.5 : 0, () => plain(this.loopStmt(ctx, depth, this.pick(rows)))],
      ...this.methodStmts(ctx, depth),
      ...this.reassignStmts(ctx, depth),
    ]);
  }

  /** Methods mode: the statements of everyday functional code (none otherwise, so other modes draw as before). */
  private methodStmts(ctx: FnCtx, depth: number): [number, () => { stmts: Stmt[]; terminates: boolean } | undefined][] {
    if (!this.opts.methods) return [];
    const plain = (s: Stmt | undefined) => (s ? { stmts: [s], terminates: false } : undefined);
    const numbers = this.numArrays(ctx);
    const sources = [...numbers, ...this.visible(ctx, (v) => v.kind === "rows"), ...this.matrices(ctx)];
    const loopRoom = depth < 3 && ctx.loops.length < 2 && this.totalTrips(ctx) <= 8;
    const finished = this.grow ? this.visible(ctx, (v) => v.kind === "grow" && (v.minLength ?? 0) > 0 && this.sealable(ctx, v)) : [];
    return [
      [2, () => plain(this.mapDecl(ctx))],
      [sources.length > 0 && loopRoom ? 1.5 : 0, () => this.forEachStmt(ctx, depth, this.pick(sources))],
      [numbers.length > 0 && loopRoom ? 1.2 : 0, () => plain(this.numForOf(ctx, depth, this.pick(numbers)))],
      [numbers.length > 0 ? 0.7 : 0, () => plain(this.arrayDestructure(ctx, this.pick(numbers)))],
      [1, () => plain(this.localHelper(ctx))],
      [depth < 3 ? 1.2 : 0, () => this.switchStmt(ctx, depth)],
      // Arrays grown by push (none in methodsV1: weight 0 draws nothing).
      [this.grow && ctx.localArrays ? 0.9 : 0, () => ({ stmts: this.growDecl(ctx), terminates: false })],
      [this.grow && this.pushable(ctx).length > 0 ? 2.2 : 0, () => plain(this.pushStmt(ctx, this.pick(this.pushable(ctx))))],
      [finished.length > 0 ? 2 : 0, () => plain(this.wholeUse(ctx, depth, this.pick(finished), loopRoom))],
    ];
  }

  // ---------------------------------------------------------------- arrays grown by push (methods mode)

  /** `const ys: number[] = [];`, often followed by a push or two (counted in its fewest elements). */
  private growDecl(ctx: FnCtx, fixedName?: string): Stmt[] {
    const name = fixedName ?? this.newName(ctx, "ys");
    const info: VarInfo = { name, kind: "grow", atype: "number[]", mutable: false, cap: 3, loopLevel: ctx.loops.length, length: 0, minLength: 0, scopeIndex: ctx.scopes.length - 1 };
    this.declare(ctx, info);
    const out: Stmt[] = [{ k: "adecl", name, init: { k: "empty" } }];
    for (let k = fixedName ? this.int(1, 2) : this.int(0, 3); k > 0; k--) out.push(this.pushStmt(ctx, info));
    return out;
  }

  /** Grown arrays that may get more elements here (not passed as a whole yet, not iterated here, at most 16 elements). */
  private pushable(ctx: FnCtx): VarInfo[] {
    return this.visible(ctx, (v) => v.kind === "grow" && !v.sealed && !v.busy && (v.length ?? 0) + 2 * this.tripsSince(ctx, v.loopLevel) <= 16);
  }

  /** `ys.push(e)` or `ys.push(a, b)`. */
  private pushStmt(ctx: FnCtx, ys: VarInfo): Stmt {
    this.use(ctx, ys.name);
    // (Its values do not use it as a whole: a push after a use as a whole is TSG1072. busy -1 marks that.)
    const busy = ys.busy;
    ys.busy = -1;
    const count = this.chance(0.3) ? 2 : 1;
    // Workaround push-reads-itself: the values of a push of several do not read ys (hidden meanwhile).
    const hide = count > 1 && this.opts.avoid.includes("push-reads-itself");
    if (hide) ys.kind = "hidden";
    const values = Array.from({ length: count }, () => this.fit(this.expr(ctx, this.int(1, 3)), ys.cap).e);
    ys.kind = "grow";
    ys.busy = busy;
    ys.length = (ys.length ?? 0) + values.length * this.tripsSince(ctx, ys.loopLevel);
    if (ctx.scopes.length - 1 === ys.scopeIndex) ys.minLength = (ys.minLength ?? 0) + values.length;
    for (let i = 0; i < ctx.loops.length; i++) (ctx.loops[i]!.pushed ??= []).push(ys);
    return { k: "push", array: ys.name, values };
  }

  /** Whether grown array `ys` may be used as a whole here: no loop around since its declaration pushes it (TSG1072). */
  private sealable(ctx: FnCtx, ys: VarInfo): boolean {
    if (ys.kind !== "grow") return true;
    if (ys.busy === -1) return false;
    // Workaround push-fresh-in-loop: not in a loop that pushes it, even one it is declared in.
    const from = this.opts.avoid.includes("push-fresh-in-loop") ? 0 : ys.loopLevel;
    for (let i = from; i < ctx.loops.length; i++) if (ctx.loops[i]!.pushed?.includes(ys)) return false;
    return true;
  }

  /** A use of `a` as a whole: a grown array gets no more pushes. */
  private seal(a: VarInfo): void {
    if (a.kind === "grow") a.sealed = true;
  }

  /** A grown array used as a whole after its pushes: `for (const e of ys)`, `const t = Math.hypot(...ys)`, `const t = h(ys, ...)`. */
  private wholeUse(ctx: FnCtx, depth: number, ys: VarInfo, loopRoom: boolean): Stmt {
    const helpers = ctx.callsAllowed && (ys.minLength ?? 0) >= MIN_VEC && (ys.length ?? 0) <= MIN_VEC + 4 ? ctx.callees.filter((c) => !c.returns && c.params.some((p) => p.kind === "vec" || p.kind === "roVec")) : [];
    return this.weighted<Stmt>([
      [loopRoom ? 2 : 0, () => this.numForOf(ctx, depth, ys)],
      [1, () => {
        this.use(ctx, ys.name);
        this.seal(ys);
        const name = this.newName(ctx, "t");
        this.declare(ctx, { name, kind: "num", mutable: false, cap: ys.cap * 4, loopLevel: ctx.loops.length });
        ctx.unread.add(name);
        return { k: "decl", kind: "const", name, annotate: false, init: { k: "spread", fn: "hypot", array: ys.name, args: [] } };
      }],
      [helpers.length > 0 ? 4 : 0, () => {
        const callee = this.pick(helpers);
        ctx.preferArray = ys;
        const call = this.call(ctx, callee, 2);
        ctx.preferArray = undefined;
        const name = this.newName(ctx, "t");
        this.declare(ctx, { name, kind: "num", mutable: false, cap: Math.max(call.b, 1e-3), loopLevel: ctx.loops.length });
        ctx.unread.add(name);
        return { k: "decl", kind: "const", name, annotate: false, init: call.e };
      }],
    ]);
  }

  /** `ys.length`, `ys[k]` below the pushes so far, `ys[i]` in a loop over it, `0 < ys.length ? ys[ys.length - 1] : e`. */
  private growRead(ctx: FnCtx, ys: VarInfo): Bounded {
    this.use(ctx, ys.name);
    const loops = this.visible(ctx, (v) => v.kind === "index" && v.over === ys.name);
    return this.weighted<Bounded>([
      [1, () => ({ e: { k: "length", array: ys.name }, b: Math.max(ys.length ?? 0, 1) })],
      [(ys.minLength ?? 0) > 0 || loops.length > 0 ? 3 : 0, () => {
        const index: Expr = (ys.minLength ?? 0) > 0 ? this.indexOf(ctx, ys) : { k: "ref", name: this.use(ctx, this.pick(loops).name) };
        return { e: { k: "index", array: ys.name, index }, b: ys.cap };
      }],
      [1.5, () => {
        const last: Expr = { k: "index", array: ys.name, index: { k: "bin", op: "-", a: { k: "length", array: ys.name }, b: { k: "num", v: 1 } } };
        const other = this.fit(this.leaf(ctx), ys.cap);
        return { e: { k: "cond", test: { k: "cmp", op: ">", a: { k: "length", array: ys.name }, b: { k: "num", v: 0 } }, a: last, b: other.e }, b: ys.cap };
      }],
    ]);
  }

  private declStmt(ctx: FnCtx): Stmt {
    const isConst = this.chance(0.45);
    const name = this.newName(ctx, "t");
    const init = this.fit(this.expr(ctx, this.int(1, 4)), LIMIT);
    const cap = isConst ? Math.max(init.b, 1e-3) : init.b <= 1 ? 1 : Math.max(2 * init.b, 2);
    this.declare(ctx, { name, kind: "num", mutable: !isConst, cap, loopLevel: ctx.loops.length });
    ctx.unread.add(name);
    return { k: "decl", kind: isConst ? "const" : "let", name, annotate: this.chance(0.2), init: init.e };
  }

  private boolDecl(ctx: FnCtx): Stmt {
    const isConst = this.chance(0.5);
    const name = this.newName(ctx, "b");
    const init = this.cond(ctx, 2);
    this.declare(ctx, { name, kind: "bool", mutable: !isConst, cap: 1, loopLevel: ctx.loops.length });
    // `let b = c && false` has type `false`, not boolean: a later `b = ...` would not type-check.
    return { k: "bdecl", kind: isConst ? "const" : "let", name, annotate: (!isConst && hasBoolLiteral(init)) || this.chance(0.2), init };
  }

  /** An assignment that keeps `v` within its cap, however often the enclosing loops repeat it. */
  private assignStmt(ctx: FnCtx, v: VarInfo): Stmt {
    this.use(ctx, v.name);
    this.markWritten(v);
    const trips = this.tripsSince(ctx, v.loopLevel);
    const incrementCap = v.cap / (4 * trips);
    const ops: [number, () => Stmt][] = [
      [v.loopLevel === 0 && ctx.scopes[1]!.vars.get(v.name) === v ? 0.7 : 3, () => ({ k: "assign", name: v.name, op: "=", value: this.fit(this.expr(ctx, this.int(1, 4)), v.cap).e })],
      [incrementCap >= 0.05 ? 3 : 0, () => ({ k: "assign", name: v.name, op: this.pick<AssignOp>(["+=", "-="]), value: this.fit(this.expr(ctx, this.int(1, 3)), incrementCap).e })],
      [1.5, () => ({ k: "assign", name: v.name, op: "*=", value: this.fit(this.expr(ctx, this.int(1, 3)), 1).e })],
      [1, () => ({ k: "assign", name: v.name, op: "/=", value: this.atLeastOne(ctx) })],
      [v.cap <= 1 ? 1 : 0, () => ({ k: "assign", name: v.name, op: "**=", value: { k: "num", v: 2 } })],
      [0.3, () => ({ k: "assign", name: v.name, op: "%=", value: { k: "num", v: this.pick([0.75, 1.5, 2.5]) } })],
      [incrementCap >= 1 ? 1 : 0, () => ({ k: "incr", name: v.name, op: this.pick(["++", "--"] as const), prefix: this.chance(0.3) })],
    ];
    return this.weighted(ops);
  }

  /** An expression >= 1 (for `/=`). */
  private atLeastOne(ctx: FnCtx): Expr {
    const a = this.expr(ctx, this.int(1, 2)).e;
    return this.weighted<Expr>([
      [small(a) ? 2 : 0.2, () => ({ k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "bin", op: "*", a, b: a } })],
      [1, () => ({ k: "bin", op: "+", a: { k: "num", v: 2 }, b: { k: "math", fn: "sin", args: [a] } })],
      [1, () => ({ k: "math", fn: "cosh", args: [{ k: "math", fn: "tanh", args: [a] }] })],
      [0.5, () => ({ k: "num", v: this.pick([1.5, 2, 1.25]) })],
    ]);
  }

  private ifStmt(ctx: FnCtx, depth: number): { stmts: Stmt[]; terminates: boolean } {
    // Methods mode: `xs.some(...)` / `xs.every(...)` steering the if.
    const quantifiable = this.opts.methods ? this.methodSources(ctx) : [];
    const test = quantifiable.length > 0 && this.chance(0.35) ? this.quantCond(ctx, this.pick(quantifiable)) : this.cond(ctx, 2);
    const thenBody: Stmt[] = [];
    this.pushScope(ctx);
    let thenEnds = this.block(ctx, thenBody, depth + 1);
    if (!thenEnds && this.chance(0.12)) {
      const jump = this.jump(ctx);
      if (jump) {
        thenBody.push(jump);
        thenEnds = true;
      }
    }
    ctx.scopes.pop();
    let elseBody: Stmt[] | undefined;
    let elseEnds = false;
    if (this.chance(0.5)) {
      elseBody = [];
      this.pushScope(ctx);
      if (this.chance(0.3) && depth < 2) {
        const chained = this.ifStmt(ctx, depth + 1);
        elseBody.push(...chained.stmts);
        elseEnds = chained.terminates;
      } else {
        elseEnds = this.block(ctx, elseBody, depth + 1);
      }
      ctx.scopes.pop();
    }
    return { stmts: [{ k: "if", test, then: thenBody, else: elseBody }], terminates: thenEnds && elseEnds && elseBody !== undefined };
  }

  /** `break`, `continue` (maybe labeled) or `return`, for the end of a branch. */
  private jump(ctx: FnCtx): Stmt | undefined {
    // (Methods mode: not to the loops around a forEach callback.)
    const loops = ctx.loops.slice(ctx.loopFloor ?? 0);
    const labels = loops.filter((l) => l.label !== undefined);
    if (loops.length === 0 && ctx.noReturns) return undefined;
    return this.weighted<Stmt | undefined>([
      [loops.length > 0 ? 2 : 0, () => ({ k: "break" })],
      [loops.length > 0 ? 2 : 0, () => ({ k: "continue" })],
      [labels.length > 0 ? 1.5 : 0, () => ({ k: this.pick(["break", "continue"] as const), label: this.pick(labels).label! })],
      [ctx.noReturns ? 0 : 1, () => this.returnStmt(ctx)],
    ]);
  }

  private returnStmt(ctx: FnCtx): Stmt {
    const value = this.fit(this.expr(ctx, this.int(1, 3)), ctx.retCap);
    ctx.maxReturn = Math.max(ctx.maxReturn, value.b);
    return { k: "return", value: value.e };
  }

  private jumpIf(ctx: FnCtx, depth: number): { stmts: Stmt[]; terminates: boolean } | undefined {
    const jump = this.jump(ctx);
    if (!jump) return undefined;
    const then: Stmt[] = [];
    this.pushScope(ctx);
    if (this.chance(0.3) && depth < 3) this.block(ctx, then, depth + 1);
    ctx.scopes.pop();
    then.push(jump);
    return { stmts: [{ k: "if", test: this.cond(ctx, 2), then }], terminates: false };
  }

  private earlyReturn(ctx: FnCtx, depth: number): { stmts: Stmt[]; terminates: boolean } {
    const then: Stmt[] = [];
    this.pushScope(ctx);
    if (this.chance(0.3) && depth < 3) this.block(ctx, then, depth + 1);
    then.push(this.returnStmt(ctx));
    ctx.scopes.pop();
    return { stmts: [{ k: "if", test: this.cond(ctx, 2), then }], terminates: false };
  }

  private blockStmt(ctx: FnCtx, depth: number): Stmt {
    const body: Stmt[] = [];
    this.pushScope(ctx);
    this.block(ctx, body, depth + 1);
    ctx.scopes.pop();
    return { k: "block", body };
  }

  /** `overRows`: a counted loop `for (let i = 0; i < r.length; i++)` over that array of objects. */
  private loopStmt(ctx: FnCtx, depth: number, overRows?: VarInfo): Stmt {
    const label = this.chance(0.25) ? `L${ctx.labels++}` : undefined;
    const kind = overRows ? "counted" : this.weighted<"counted" | "floatFor" | "while" | "do">([
      [4, () => "counted"],
      [1, () => "floatFor"],
      [2, () => "while"],
      [1.5, () => "do"],
    ]);
    const body: Stmt[] = [];
    if (kind === "while" || kind === "do") {
      const max = this.int(2, kind === "do" ? 4 : 6);
      ctx.inDoCondition = kind === "do";
      const test = this.cond(ctx, 2);
      ctx.inDoCondition = false;
      const counter = this.newName(ctx, "k");
      // The counter is declared before the loop and readable after it.
      this.declare(ctx, { name: counter, kind: "counter", mutable: false, cap: max, loopLevel: ctx.loops.length });
      ctx.loops.push({ label, maxTrips: max });
      this.pushScope(ctx);
      // The body starts with `counter++`: a body-level declaration must not shadow the counter.
      this.use(ctx, counter);
      this.block(ctx, body, depth + 1);
      ctx.scopes.pop();
      ctx.loops.pop();
      return { k: "while", label, counter, max, test, body, doWhile: kind === "do" };
    }
    const outer = kind === "counted" && this.chance(0.15);
    // The index is in scope (and in its TDZ) in the loop head; an outer one in the enclosing scope.
    if (!outer) this.pushScope(ctx);
    const index = this.newName(ctx, "i");
    let start: Expr;
    let bound: Expr;
    let guardOp: "<" | "<=" | ">" = "<";
    let update: Extract<Stmt, { k: "for" }>["update"];
    let maxTrips: number;
    let indexCap: number;
    let extra: Cond | undefined;
    let over: string | undefined;
    if (kind === "floatFor") {
      // for (let t = a; t < b; t += 0.5) with |a|, |b| <= 2: at most 9 trips.
      start = this.fit(this.expr(ctx, 2, !this.opts.avoid.includes("for-init-call")), 1.5).e;
      bound = this.fit(this.expr(ctx, 2), 1.5).e;
      update = "+= 0.5";
      maxTrips = 7;
      indexCap = 2;
    } else {
      const ints = this.visible(ctx, (v) => v.kind === "int");
      const arrays = this.visible(ctx, (v) => v.kind === "vec" || v.kind === "ro" || v.kind === "rows" || v.kind === "grow");
      const form = overRows ? "up" : this.weighted<"up" | "down" | "step2">([
        [5, () => "up"],
        [1.5, () => "down"],
        [1, () => "step2"],
      ]);
      const limit = overRows ? { e: { k: "length", array: this.use(ctx, (over = overRows.name)) } as Expr, max: overRows.length ?? MIN_VEC + 2 } : this.weighted<{ e: Expr; max: number }>([
        [3, () => {
          const n = this.int(1, 5);
          return { e: { k: "num", v: n }, max: n };
        }],
        [ints.length > 0 ? 3 : 0, () => ({ e: { k: "ref", name: this.pick(ints).name }, max: MAX_INT })],
        [ints.length > 0 ? 1 : 0, () => ({ e: { k: "bin", op: "+", a: { k: "ref", name: this.pick(ints).name }, b: { k: "num", v: 1 } }, max: MAX_INT + 1 })],
        // Data-dependent trip count: 2 + 3 * |sin(e)| in [2, 5].
        [2, () => ({
          e: { k: "bin", op: "+", a: { k: "num", v: 2 }, b: { k: "bin", op: "*", a: { k: "num", v: 3 }, b: { k: "math", fn: "abs", args: [{ k: "math", fn: "sin", args: [this.expr(ctx, 2, false).e] }] } } },
          max: 5,
        })],
        [1, () => ({
          e: { k: "math", fn: "floor", args: [{ k: "bin", op: "+", a: { k: "num", v: 2 }, b: { k: "math", fn: "tanh", args: [this.expr(ctx, 2, false).e] } }] },
          max: 3,
        })],
        [arrays.length > 0 && form === "up" ? 4 : 0, () => {
          const a = this.pick(arrays);
          over = a.name;
          return { e: { k: "length", array: this.use(ctx, a.name) }, max: a.kind === "vec" || a.kind === "grow" ? a.length! : a.kind === "rows" ? (a.length ?? MIN_VEC + 2) : MIN_VEC + 2 };
        }],
      ]);
      // A loop counting down from an integer parameter would make the index depend on it.
      if (form === "down" && !readsInt(limit.e, ints)) {
        start = limit.e;
        bound = { k: "num", v: 0 };
        guardOp = ">";
        update = this.chance(0.5) ? "--" : "-= 1";
        maxTrips = Math.ceil(limit.max);
      } else {
        start = { k: "num", v: 0 };
        bound = limit.e;
        guardOp = this.chance(0.2) && limit.e.k === "num" ? "<=" : "<";
        update = form === "step2" ? "+= 2" : "++";
        maxTrips = Math.ceil(limit.max) + 1;
      }
      indexCap = Math.max(1, limit.max + 1);
      if (this.chance(overRows ? 0.1 : 0.3)) extra = this.cond(ctx, 1);
    }
    const indexInfo: VarInfo = { name: index, kind: "index", mutable: false, cap: indexCap, loopLevel: ctx.loops.length, over: outer ? undefined : over };
    this.declare(ctx, indexInfo);
    // A loop over a grown array's length: no pushes into it inside (the loop would not end).
    const iterated = over !== undefined ? this.lookup(ctx, over) : undefined;
    if (iterated?.kind === "grow") iterated.busy = (iterated.busy ?? 0) + 1;
    ctx.loops.push({ label, maxTrips });
    this.pushScope(ctx);
    const rows = over !== undefined && !outer ? this.lookup(ctx, over) : undefined;
    if (rows?.kind === "rows" && guardOp === "<" && update === "++") {
      // `r[i]` names the element: its fields are variables, and a local array's element may be replaced whole.
      this.use(ctx, index);
      const view = this.declareStruct(ctx.scopes[ctx.scopes.length - 1]!.vars, `${rows.name}[${index}]`, rows.shape!, { mutable: !rows.param, fieldsMutable: !rows.param, cap: rows.cap, loopLevel: rows.loopLevel, unread: ctx.unread });
      view.written = view.element = true;
      // Physics style: the loop updates the element's fields first (`r[i].pos.x += r[i].vel.x * ...`).
      if (!rows.param && this.chance(0.6)) body.push(...this.elementWrites(ctx, view));
      // Polygon style: the next element, read only.
      if (this.chance(0.35)) {
        const next = this.declareStruct(ctx.scopes[ctx.scopes.length - 1]!.vars, `${rows.name}[(${index} + 1) % ${rows.name}.length]`, rows.shape!, { mutable: false, fieldsMutable: false, cap: rows.cap, loopLevel: rows.loopLevel, unread: ctx.unread });
        next.written = next.element = true;
      }
    }
    this.block(ctx, body, depth + 1);
    if (iterated?.kind === "grow") iterated.busy!--;
    ctx.scopes.pop();
    if (!outer) ctx.scopes.pop();
    ctx.loops.pop();
    return { k: "for", label, index, outer, start, guardOp, bound, extra, update, body };
  }

  // ---------------------------------------------------------------- arrays (behind the flag)

  private arrayDecl(ctx: FnCtx): Stmt {
    const name = this.newName(ctx, "a");
    const length = this.int(MIN_VEC, 4);
    const init = this.weighted<ArrayInit>([
      [2, () => ({ k: "f64", length: { k: "num", v: length } })],
      [1, () => ({ k: "fill", length: { k: "num", v: length }, annotated: this.chance(0.5) })],
      [2, () => ({ k: "lit", elements: Array.from({ length }, () => this.fit(this.expr(ctx, 2), 3).e) })],
    ]);
    const atype = init.k === "f64" ? "Float64Array" : "number[]";
    this.declare(ctx, { name, kind: "vec", atype, mutable: false, cap: 3, loopLevel: ctx.loops.length, length });
    return { k: "adecl", name, init };
  }

  /** A valid index of `a`: a literal below its (minimum) length, or a loop index running over it. */
  private indexOf(ctx: FnCtx, a: VarInfo): Expr {
    // (Methods mode: an array as long as another takes that array's indices too.)
    const loops = this.visible(ctx, (v) => v.kind === "index" && (v.over === a.name || (a.lengthOf !== undefined && v.over === a.lengthOf)));
    if (loops.length > 0 && this.chance(0.7)) return { k: "ref", name: this.use(ctx, this.pick(loops).name) };
    return { k: "num", v: this.int(0, (a.minLength ?? a.length ?? MIN_VEC) - 1) };
  }

  private storeStmt(ctx: FnCtx, a: VarInfo): Stmt {
    this.use(ctx, a.name);
    const index = this.indexOf(ctx, a);
    const trips = this.tripsSince(ctx, a.loopLevel);
    if (this.chance(0.5)) {
      return { k: "store", array: a.name, index, op: "+=", value: this.fit(this.expr(ctx, 2), a.cap / (4 * trips)).e };
    }
    return { k: "store", array: a.name, index, op: this.pick<AssignOp>(["=", "*="]), value: this.fit(this.expr(ctx, 2), 1).e };
  }

  // ---------------------------------------------------------------- arrays assigned again (reassign mode)

  /**
   * `function relax0(xs: readonly number[], p0: number): number[]`: a new array from `xs`, each
   * element a convex mix of `xs[i]` and a squashed neighbour, so that `ys = relax0(ys, e)` in a
   * loop stays bounded.
   */
  private arrayHelper(name: string): Func {
    const [k1, k2] = this.pick([[0.5, 0.5], [0.75, 0.25], [0.25, 0.75]] as const);
    const i: Expr = { k: "ref", name: "i" };
    const len: Expr = { k: "length", array: "xs" };
    const neighbour: Expr = this.pick<Expr>([
      { k: "index", array: "xs", index: { k: "bin", op: "%", a: { k: "bin", op: "+", a: i, b: { k: "num", v: 1 } }, b: len } },
      { k: "index", array: "xs", index: { k: "cond", test: { k: "cmp", op: ">", a: i, b: { k: "num", v: 0 } }, a: { k: "bin", op: "-", a: i, b: { k: "num", v: 1 } }, b: i } },
      { k: "index", array: "xs", index: { k: "bin", op: "-", a: { k: "bin", op: "-", a: len, b: { k: "num", v: 1 } }, b: i } },
    ]);
    const mixed = (self: Expr): Expr => ({
      k: "bin",
      op: "+",
      a: { k: "bin", op: "*", a: { k: "num", v: k1 }, b: self },
      b: { k: "bin", op: "*", a: { k: "num", v: k2 }, b: { k: "math", fn: this.pick(["tanh", "sin"]), args: [{ k: "bin", op: this.pick<BinOp>(["*", "+"]), a: { k: "ref", name: "p0" }, b: neighbour }] } },
    });
    const params: Param[] = [{ name: "xs", kind: "roVec" }, { name: "p0", kind: "num" }];
    const out: Expr = { k: "ref", name: "out" };
    const body: Stmt[] = this.chance(0.5)
      ? [{ k: "adecl", name: "out", init: { k: "map", src: "xs", elem: "e", index: "i", body: mixed({ k: "ref", name: "e" }) } }]
      : [
          { k: "adecl", name: "out", init: { k: "fill", length: len, annotated: this.chance(0.5) } },
          { k: "for", index: "i", outer: false, start: { k: "num", v: 0 }, guardOp: "<", bound: len, update: "++", body: [{ k: "store", array: "out", index: i, op: "=", value: mixed({ k: "index", array: "xs", index: i }) }] },
        ];
    body.push({ k: "return", value: out });
    this.arrayHelpers.push(name);
    return { name, exported: false, style: "function", params, body, annotateReturn: this.chance(0.7), returns: "number[]" };
  }

  /** Reassign mode: loops over arrays declared with `let` and assigned again (none otherwise, so other modes draw as before). */
  private reassignStmts(ctx: FnCtx, depth: number): [number, () => { stmts: Stmt[]; terminates: boolean } | undefined][] {
    if (!this.opts.reassign) return [];
    // (Not inside a forEach callback, whose loops are the array method's.)
    const room = ctx.localArrays && depth < 2 && ctx.loops.length < 2 && this.totalTrips(ctx) <= 4 && (ctx.loopFloor ?? 0) === 0;
    return [[room ? 2.5 : 0, () => ({ stmts: this.reassignKernel(ctx, depth), terminates: false })]];
  }

  /** Array parameters (not matrices) in scope: never written, a `let h = h0` may take them, a `for...of` visit them. */
  private arrayParams(ctx: FnCtx): VarInfo[] {
    return [...ctx.scopes[1]!.vars.values()].filter((v) => v.kind === "ro" && ctx.paramNames?.has(v.name) && v.atype !== "number[][]" && !v.row && this.lookup(ctx, v.name) === v);
  }

  /** Arrays a `let` may copy or map: number arrays that are not matrices or rows (of any length >= MIN_VEC). */
  private copySources(ctx: FnCtx): VarInfo[] {
    return this.visible(ctx, (v) => (v.kind === "vec" || v.kind === "ro") && v.atype !== "number[][]" && !v.row);
  }

  /**
   * `let name = <fresh array>`: a copy or map of an array in scope, a literal, `new Array<number>(n).fill(0)`
   * or `new Float64Array(n)`; `like` makes one of the same type and length as that array.
   */
  private letArray(ctx: FnCtx, prefix: string, like?: VarInfo): { stmt: Stmt; info: VarInfo } {
    const name = this.newName(ctx, prefix);
    const sources = like ? [like] : this.copySources(ctx);
    const f64 = like ? like.atype === "Float64Array" : undefined;
    type Made = { init: ArrayInit; atype: VarInfo["atype"]; cap: number; length: number };
    const fromSource = (src: VarInfo): Made[] => {
      this.use(ctx, src.name);
      const length = this.minLen(src);
      const atype = src.atype === "Float64Array" ? "Float64Array" : "number[]";
      const map = (): Made =>
        this.inCallback(ctx, () => {
          const elem = this.newName(ctx, "e");
          this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: src.cap, loopLevel: ctx.loops.length });
          const index = this.chance(0.4) ? this.indexParam(ctx, src) : undefined;
          const body = this.fit(this.withElement(ctx, src, elem, this.expr(ctx, this.int(0, 2))), 3);
          return { init: { k: "map", src: src.name, elem, index, body: body.e }, atype, cap: Math.max(body.b, 1e-3), length };
        });
      const lengthOf: Expr = { k: "length", array: src.name };
      return this.weighted<Made[]>([
        [3, () => [{ init: { k: "copy", src: src.name, spread: false }, atype, cap: src.cap, length }]],
        [f64 === true || src.reassigned ? 0 : 1.5, () => [{ init: { k: "copy", src: src.name, spread: true }, atype: "number[]", cap: src.cap, length }]],
        [2.5, () => [map()]],
        [like ? 2.5 : 0.5, () => [{ init: atype === "Float64Array" ? { k: "f64", length: lengthOf } : { k: "fill", length: lengthOf, annotated: this.chance(0.3) }, atype, cap: 0, length }]],
      ]);
    };
    const made: Made = this.weighted<Made>([
      [sources.length > 0 ? (like ? 10 : 4) : 0, () => fromSource(this.pick(sources))[0]!],
      [like ? 0 : 1.5, () => {
        const length = this.int(MIN_VEC, 4);
        return { init: { k: "lit", elements: Array.from({ length }, () => this.fit(this.expr(ctx, 2), 3).e) }, atype: "number[]", cap: 3, length };
      }],
      [like ? 0 : 1, () => {
        const length = this.int(MIN_VEC, 4);
        return this.chance(0.5) ? { init: { k: "f64", length: { k: "num", v: length } }, atype: "Float64Array", cap: 0, length } : { init: { k: "fill", length: { k: "num", v: length }, annotated: this.chance(0.3) }, atype: "number[]", cap: 0, length };
      }],
    ]);
    // (Read by the code around, never written by it: element writes are the kernels' own.)
    const info: VarInfo = { name, kind: "ro", atype: made.atype, mutable: false, cap: made.cap, loopLevel: ctx.loops.length, length: made.length, reassigned: true };
    return { stmt: { k: "adecl", name, init: made.init, let: true }, info };
  }

  /**
   * `for (let s = 0; s < T; s++) { <code around>; <body> }` (T a literal, an integer parameter)
   * or `for (const xv of w)` over a parameter array; `body` fills the loop after the statements
   * of the code around (which never end the loop body).
   */
  private timeLoop(ctx: FnCtx, depth: number, body: (stmts: Stmt[], trips: number) => void): Stmt {
    const ints = this.visible(ctx, (v) => v.kind === "int");
    const params = this.arrayParams(ctx);
    const kind = this.weighted<"count" | "int" | "of">([
      [3, () => "count"],
      [ints.length > 0 ? 1.5 : 0, () => "int"],
      [params.length > 0 ? 1 : 0, () => "of"],
    ]);
    const stmts: Stmt[] = [];
    const around = (): void => {
      for (let k = this.chance(0.5) ? this.int(1, 2) : 0; k > 0 && ctx.budget > 0; k--) {
        const s = this.stmt(ctx, depth + 1);
        if (s && !s.terminates) stmts.push(...s.stmts);
      }
    };
    this.pushScope(ctx);
    if (kind === "of") {
      const a = this.pick(params);
      this.use(ctx, a.name);
      const elem = this.newName(ctx, "e");
      this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: a.cap, loopLevel: ctx.loops.length });
      ctx.unread.add(elem);
      const trips = MIN_VEC + 2;
      ctx.loops.push({ maxTrips: trips });
      this.pushScope(ctx);
      around();
      body(stmts, trips);
      ctx.scopes.pop();
      ctx.loops.pop();
      ctx.scopes.pop();
      return { k: "forof", array: a.name, elem, body: stmts };
    }
    const index = this.newName(ctx, "s");
    const bound: Expr = kind === "int" ? { k: "ref", name: this.use(ctx, this.pick(ints).name) } : { k: "num", v: this.int(1, 4) };
    const trips = kind === "int" ? MAX_INT : (bound as { v: number }).v;
    this.declare(ctx, { name: index, kind: "index", mutable: false, cap: trips + 1, loopLevel: ctx.loops.length });
    ctx.loops.push({ maxTrips: trips });
    this.pushScope(ctx);
    around();
    body(stmts, trips);
    ctx.scopes.pop();
    ctx.loops.pop();
    ctx.scopes.pop();
    return { k: "for", index, outer: false, start: { k: "num", v: 0 }, guardOp: "<", bound, update: "++", body: stmts };
  }

  /** `for (let i = from; i < a.length - less; i++) { body(i) }` (i also valid for the arrays as long as `a`). */
  private sweep(ctx: FnCtx, a: VarInfo, from: number, less: number, body: (i: Expr) => Stmt[]): Stmt {
    this.pushScope(ctx);
    const index = this.newName(ctx, "i");
    this.declare(ctx, { name: index, kind: "index", mutable: false, cap: this.maxLen(a), loopLevel: ctx.loops.length });
    ctx.loops.push({ maxTrips: this.maxLen(a) });
    this.pushScope(ctx);
    const len: Expr = { k: "length", array: this.use(ctx, a.name) };
    const stmts = body({ k: "ref", name: this.use(ctx, index) });
    ctx.scopes.pop();
    ctx.loops.pop();
    ctx.scopes.pop();
    return { k: "for", index, outer: false, start: { k: "num", v: from }, guardOp: "<", bound: less > 0 ? { k: "bin", op: "-", a: len, b: { k: "num", v: less } } : len, update: "++", body: stmts };
  }

  /** A small term of the code around (a source, a force): a squashed expression within `cap`. */
  private term(ctx: FnCtx, cap: number, calls = true): Expr {
    return this.fit(this.expr(ctx, this.int(1, 2), calls), cap).e;
  }

  /**
   * A kernel of code that assigns arrays again inside a loop: gradient steps `x = x.map(...)`, a
   * stencil over two buffers swapped after each step (`[u, v] = [v, u]` or through a temporary;
   * the ends of the buffer written are not always overwritten, so the swap shows), three buffers
   * rotated, a recurrence `h = hNew`, a helper's result assigned back. Then a number read from the
   * arrays, for the result.
   */
  private reassignKernel(ctx: FnCtx, depth: number): Stmt[] {
    const out: Stmt[] = [];
    const outerTrips = this.totalTrips(ctx);
    const helpers = ctx.callsAllowed ? this.arrayHelpers : [];
    const kind = this.weighted<"descent" | "stencil" | "rotate" | "recur" | "helper">([
      [3, () => "descent"],
      [3.5, () => "stencil"],
      [2, () => "rotate"],
      [2.5, () => "recur"],
      [helpers.length > 0 ? 2 : 0, () => "helper"],
    ]);
    const read: VarInfo[] = [];
    const ref = (v: VarInfo): Expr => ({ k: "ref", name: this.use(ctx, v.name) });
    const at = (v: VarInfo, i: Expr): Expr => ({ k: "index", array: this.use(ctx, v.name), index: i });
    const plus = (i: Expr, d: number): Expr => (d === 0 ? i : { k: "bin", op: d > 0 ? "+" : "-", a: i, b: { k: "num", v: Math.abs(d) } });
    const weighted = (parts: [number, Expr][]): Expr => parts.map(([w, e]): Expr => (w === 1 ? e : { k: "bin", op: "*", a: { k: "num", v: w }, b: e })).reduce((a, b) => ({ k: "bin", op: "+", a, b }));
    if (kind === "descent") {
      const x = this.letArray(ctx, "xa");
      out.push(x.stmt);
      const lr = this.chance(0.5) ? ({ k: "num", v: this.pick([0.1, 0.05, 0.25, 0.2]) } as Expr) : this.term(ctx, 0.3);
      const lrCap = lr.k === "num" ? lr.v : 0.3;
      const info = x.info;
      this.declare(ctx, info);
      out.push(
        this.timeLoop(ctx, depth, (body, trips) => {
          info.cap += 3 * lrCap * trips * outerTrips;
          let g: VarInfo | undefined;
          if (this.chance(0.5)) {
            // `const g = x.map((xi, i) => ...)`: a gradient-like array, then the step.
            const name = this.newName(ctx, "gr");
            const init = this.inCallback<ArrayInit>(ctx, () => {
              const elem = this.newName(ctx, "e");
              this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: info.cap, loopLevel: ctx.loops.length });
              const index = this.chance(0.5) ? this.indexParam(ctx, info) : undefined;
              return { k: "map", src: this.use(ctx, info.name), elem, index, body: this.fit(this.withElement(ctx, info, elem, this.expr(ctx, this.int(1, 2))), 3).e };
            });
            body.push({ k: "adecl", name, init });
            g = { name, kind: "vec", atype: info.atype, mutable: false, cap: 3, loopLevel: ctx.loops.length, length: info.length };
            this.declare(ctx, g);
          }
          const step = this.inCallback<ArrayInit>(ctx, () => {
            const elem = this.newName(ctx, "e");
            this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: info.cap, loopLevel: ctx.loops.length });
            const index = g || this.chance(0.4) ? this.indexParam(ctx, info) : undefined;
            const grad = g && index ? at(g, { k: "ref", name: index }) : this.fit(this.withElement(ctx, info, elem, this.expr(ctx, this.int(1, 2))), 3).e;
            return { k: "map", src: this.use(ctx, info.name), elem, index, body: { k: "bin", op: "-", a: { k: "ref", name: elem }, b: { k: "bin", op: "*", a: lr, b: grad } } };
          });
          body.push({ k: "aassign", name: info.name, init: step });
        }),
      );
      read.push(info);
    } else if (kind === "stencil" || kind === "rotate") {
      const u = this.letArray(ctx, kind === "stencil" ? "ua" : "pa");
      out.push(u.stmt);
      this.declare(ctx, u.info);
      const bufs = [u.info];
      for (const prefix of kind === "stencil" ? ["va"] : ["ca", "na"]) {
        const b = this.letArray(ctx, prefix, u.info);
        out.push(b.stmt);
        this.declare(ctx, b.info);
        bufs.push(b.info);
      }
      // (Every buffer the same type and length: each takes every other's place.)
      for (const b of bufs) b.atype = u.info.atype;
      const [cur, next] = kind === "stencil" ? [bufs[0]!, bufs[1]!] : [bufs[1]!, bufs[2]!];
      const prev = kind === "rotate" ? bufs[0]! : undefined;
      // `a` in [0, 0.5]: `u[i] + a * (u[i - 1] - 2 * u[i] + u[i + 1])` mixes its neighbours convexly.
      let a: Expr = { k: "num", v: this.pick([0.25, 0.1, 0.4, 0.5]) };
      if (this.chance(0.4)) {
        const name = this.newName(ctx, "t");
        out.push({ k: "decl", kind: "const", name, annotate: false, init: { k: "bin", op: "*", a: { k: "num", v: 0.25 }, b: { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "math", fn: "tanh", args: [this.expr(ctx, 2).e] } } } });
        this.declare(ctx, { name, kind: "num", mutable: false, cap: 0.5, loopLevel: ctx.loops.length });
        a = ref({ name } as VarInfo);
      }
      const form = this.weighted<"inner" | "periodic" | "upwind">([
        [3, () => "inner"],
        [1.5, () => "periodic"],
        [1.5, () => "upwind"],
      ]);
      const source = this.chance(0.5);
      out.push(
        this.timeLoop(ctx, depth, (body, trips) => {
          const grow = (source ? 0.1 : 0) * trips * outerTrips;
          const cap = Math.max(...bufs.map((b) => b.cap)) + grow;
          for (const b of bufs) b.cap = cap;
          const stencil = (i: Expr): Stmt[] => {
            const len: Expr = { k: "length", array: cur.name };
            const left = form === "periodic" ? at(cur, { k: "bin", op: "%", a: { k: "bin", op: "-", a: { k: "bin", op: "+", a: i, b: len }, b: { k: "num", v: 1 } }, b: len }) : at(cur, plus(i, -1));
            const right = form === "periodic" ? at(cur, { k: "bin", op: "%", a: plus(i, 1), b: len }) : at(cur, plus(i, 1));
            let value: Expr =
              form === "upwind"
                ? weighted([[0.5, at(cur, i)], [0.5, left]])
                : kind === "rotate"
                  ? weighted(this.pick([[0.25, 0.25, 0.25, -0.25], [0.2, 0.4, 0.2, -0.2], [0.3, 0.3, 0.3, 0.1]]).map((w, k): [number, Expr] => [w, [left, at(cur, i), right, at(prev!, i)][k]!]))
                  : { k: "bin", op: "+", a: at(cur, i), b: { k: "bin", op: "*", a, b: { k: "bin", op: "+", a: { k: "bin", op: "-", a: left, b: { k: "bin", op: "*", a: { k: "num", v: 2 }, b: at(cur, i) } }, b: right } } };
            if (source) value = { k: "bin", op: "+", a: value, b: this.term(ctx, 0.1) };
            return [{ k: "store", array: this.use(ctx, next.name), index: i, op: "=", value }];
          };
          body.push(form === "periodic" ? this.sweep(ctx, cur, 0, 0, stencil) : form === "upwind" ? this.sweep(ctx, cur, 1, 0, stencil) : this.sweep(ctx, cur, 1, 1, stencil));
          // Sometimes an end is written too; else the buffer keeps what it had two steps ago there.
          if (form !== "periodic" && this.chance(0.35)) body.push({ k: "store", array: this.use(ctx, next.name), index: { k: "num", v: 0 }, op: "=", value: at(cur, { k: "num", v: 0 }) });
          if (kind === "rotate" && this.chance(0.7)) {
            // Any permutation of the three but the identity.
            // Workaround permutation-fixed-point: every array takes another's place.
            const moveAll = this.opts.avoid.includes("permutation-fixed-point");
            const names = bufs.map((b) => b.name);
            let values = names;
            while (moveAll ? values.some((n, k) => n === names[k]) : values.every((n, k) => n === names[k])) {
              values = [...names];
              for (let k = values.length - 1; k > 0; k--) {
                const j = this.int(0, k);
                [values[k], values[j]] = [values[j]!, values[k]!];
              }
            }
            body.push({ k: "dassign", targets: names.map((n) => this.use(ctx, n)), values: values.map((n) => ({ k: "ref", name: n })) });
          } else if (this.chance(0.65)) {
            const pair = this.chance(0.5) ? [cur.name, next.name] : [next.name, cur.name];
            body.push({ k: "dassign", targets: pair.map((n) => this.use(ctx, n)), values: [...pair].reverse().map((n) => ({ k: "ref", name: n })) });
          } else {
            // `const t = u; u = v; v = t;`
            const [x, y] = this.chance(0.5) ? [cur.name, next.name] : [next.name, cur.name];
            const t = this.newName(ctx, "tmp");
            body.push({ k: "adecl", name: t, init: { k: "alias", src: this.use(ctx, x) } }, { k: "aassign", name: x, init: { k: "alias", src: this.use(ctx, y) } }, { k: "aassign", name: y, init: { k: "alias", src: t } });
          }
        }),
      );
      read.push(...bufs);
    } else if (kind === "recur") {
      const params = this.arrayParams(ctx);
      let h: VarInfo;
      if (params.length > 0 && this.chance(0.5)) {
        // `let h = h0`: a parameter, never written, and h never written through.
        const h0 = this.pick(params);
        const name = this.newName(ctx, "hs");
        out.push({ k: "adecl", name, init: { k: "alias", src: this.use(ctx, h0.name) }, let: true });
        h = { ...h0, name, loopLevel: ctx.loops.length, cap: Math.max(h0.cap, 1), reassigned: true };
      } else {
        const made = this.letArray(ctx, "hs");
        out.push(made.stmt);
        h = made.info;
        h.cap = Math.max(h.cap, 1);
      }
      this.declare(ctx, h);
      const fresh = h.atype === "Float64Array" ? "Float64Array" : "number[]";
      const mix = (hi: Expr, i: Expr | undefined, extra: Expr | undefined): Expr => {
        const w = this.chance(0.5) ? ({ k: "num", v: this.pick([0.5, 0.8, -0.6, 1.2]) } as Expr) : this.term(ctx, 1.5);
        let arg: Expr = { k: "bin", op: "+", a: { k: "bin", op: "*", a: w, b: hi }, b: this.term(ctx, 2) };
        if (i) arg = { k: "bin", op: "+", a: arg, b: { k: "bin", op: "*", a: { k: "num", v: 0.1 }, b: i } };
        if (extra) arg = { k: "bin", op: "+", a: arg, b: extra };
        return { k: "math", fn: this.pick(["tanh", "sin"]), args: [arg] };
      };
      out.push(
        this.timeLoop(ctx, depth, (body) => {
          const name = this.newName(ctx, "hn");
          if (this.chance(0.55)) {
            const init = this.inCallback<ArrayInit>(ctx, () => {
              const elem = this.newName(ctx, "e");
              this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: h.cap, loopLevel: ctx.loops.length });
              const index = this.chance(0.5) ? this.indexParam(ctx, h) : undefined;
              return { k: "map", src: this.use(ctx, h.name), elem, index, body: mix({ k: "ref", name: elem }, index ? { k: "ref", name: index } : undefined, undefined) };
            });
            body.push({ k: "adecl", name, init });
          } else {
            // `const hn = new Float64Array(h.length); for (...) hn[i] = ...h[i]...h[(i + 1) % h.length]...`
            const len: Expr = { k: "length", array: this.use(ctx, h.name) };
            body.push({ k: "adecl", name, init: fresh === "Float64Array" ? { k: "f64", length: len } : { k: "fill", length: len, annotated: this.chance(0.3) } });
            body.push(
              this.sweep(ctx, h, 0, 0, (i) => [
                { k: "store", array: name, index: i, op: "=", value: mix(at(h, i), undefined, { k: "bin", op: "*", a: { k: "num", v: this.pick([0.3, -0.5, 0.25]) }, b: at(h, { k: "bin", op: "%", a: plus(i, 1), b: { k: "length", array: h.name } }) }) },
              ]),
            );
          }
          body.push({ k: "aassign", name: this.use(ctx, h.name), init: { k: "alias", src: name } });
        }),
      );
      read.push(h);
    } else {
      // `let ys = relax0(src, e); for (...) ys = relax0(ys, e);`
      const fn = this.pick(helpers);
      // Workaround helper-array-call-arg: no calls in the number arguments of a helper returning an array.
      const calls = !this.opts.avoid.includes("helper-array-call-arg");
      const srcs = this.copySources(ctx).filter((v) => v.atype === "number[]" || v.atype === "readonly number[]");
      const name = this.newName(ctx, "ys");
      let first: ArrayInit;
      let cap = 1;
      let length = MIN_VEC;
      if (srcs.length > 0) {
        const src = this.pick(srcs);
        first = { k: "acall", fn, args: [{ k: "ref", name: this.use(ctx, src.name) }, this.term(ctx, 3, calls)] };
        cap = Math.max(src.cap, 1);
        length = this.minLen(src);
      } else {
        length = this.int(MIN_VEC, 4);
        first = { k: "lit", elements: Array.from({ length }, () => this.term(ctx, 3)) };
        cap = 3;
      }
      out.push({ k: "adecl", name, init: first, let: true });
      const ys: VarInfo = { name, kind: "ro", atype: "number[]", mutable: false, cap, loopLevel: ctx.loops.length, length, reassigned: true };
      this.declare(ctx, ys);
      out.push(
        this.timeLoop(ctx, depth, (body) => {
          body.push({ k: "aassign", name: this.use(ctx, name), init: { k: "acall", fn: this.pick(helpers), args: [{ k: "ref", name }, this.term(ctx, 3, calls)] } });
        }),
      );
      read.push(ys);
    }
    // A number read from the arrays (both buffers of a swap: their ends show which is which).
    const terms: Expr[] = [];
    let bound = 0;
    for (const v of read) {
      if (terms.length > 0 && !this.chance(0.6)) continue;
      const last: Expr = at(v, { k: "bin", op: "-", a: { k: "length", array: v.name }, b: { k: "num", v: 1 } });
      const e = this.weighted<Bounded>([
        [2, () => ({ e: at(v, { k: "num", v: this.int(0, (v.length ?? MIN_VEC) - 1) }), b: v.cap })],
        [1.5, () => ({ e: last, b: v.cap })],
        [2, () => this.reduceExpr(ctx, v, 1, true)],
      ]);
      terms.push(e.e);
      bound += e.b;
    }
    const name = this.newName(ctx, "t");
    const init = this.fit({ e: terms.reduce((x, y) => ({ k: "bin", op: this.pick<BinOp>(["+", "-"]), a: x, b: y })), b: bound }, LIMIT);
    out.push({ k: "decl", kind: "const", name, annotate: false, init: init.e });
    this.declare(ctx, { name, kind: "num", mutable: false, cap: Math.max(init.b, 1e-3), loopLevel: ctx.loops.length });
    ctx.unread.add(name);
    // In a nested block, the number flows into a variable declared outside it (else it could go unread).
    const current = ctx.scopes[ctx.scopes.length - 1]!;
    const outer = this.visible(ctx, (v) => v.kind === "num" && v.mutable && !current.vars.has(v.name));
    if (ctx.scopes.length > 2 && outer.length > 0) {
      const target = this.pick(outer);
      this.use(ctx, target.name);
      this.markWritten(target);
      const sum: Bounded = { e: { k: "bin", op: "+", a: { k: "ref", name: target.name }, b: { k: "ref", name: this.use(ctx, name) } }, b: target.cap + Math.max(init.b, 1e-3) };
      out.push({ k: "assign", name: target.name, op: "=", value: this.fit(sum, target.cap).e });
    }
    return out;
  }

  // ---------------------------------------------------------------- array methods, local helpers, switch (methods mode)

  /** Number arrays the methods apply to (not matrices). */
  private numArrays(ctx: FnCtx): VarInfo[] {
    // (Grown arrays once they have an element and may be used as a whole; not matrix rows.)
    return this.visible(ctx, (v) => ((v.kind === "vec" || v.kind === "ro") && v.atype !== "number[][]" && !v.row) || (v.kind === "grow" && (v.minLength ?? 0) > 0 && this.sealable(ctx, v)));
  }

  /** Methods mode: matrices, whose rows map, reduce, forEach, some and every visit. */
  private matrices(ctx: FnCtx): VarInfo[] {
    return this.grow ? this.visible(ctx, (v) => v.atype === "number[][]") : [];
  }

  /** Number arrays and arrays of objects. */
  private methodSources(ctx: FnCtx): VarInfo[] {
    return [...this.numArrays(ctx), ...this.visible(ctx, (v) => v.kind === "rows"), ...this.matrices(ctx)];
  }

  /** Most elements array `a` may have (parameters get MIN_VEC..MIN_VEC+2). */
  private maxLen(a: VarInfo): number {
    return a.kind === "ro" && !a.row ? MIN_VEC + 2 : (a.length ?? MIN_VEC + 2);
  }

  /** Fewest elements array `a` may have. */
  private minLen(a: VarInfo): number {
    return a.minLength ?? (a.kind === "ro" || a.kind === "rows" ? (a.kind === "rows" && a.length !== undefined ? a.length : MIN_VEC) : (a.length ?? MIN_VEC));
  }

  /** Runs `f` in a callback's scope (its parameters are declared there; no recursive calls inside). */
  private inCallback<T>(ctx: FnCtx, f: () => T): T {
    this.pushScope(ctx);
    const sites = ctx.recursiveSites;
    ctx.recursiveSites = 0;
    try {
      return f();
    } finally {
      ctx.recursiveSites = sites;
      for (const name of ctx.scopes[ctx.scopes.length - 1]!.vars.keys()) ctx.unread.delete(name);
      ctx.scopes.pop();
    }
  }

  /** A callback's element parameter: a number, or a name of an element of an array of objects. */
  private elementParam(ctx: FnCtx, a: VarInfo, writable = false): string {
    if (a.atype === "number[][]") {
      // A row: read by index (`row0[1]`) and passed to helpers, no methods on it.
      const row = this.newName(ctx, "row");
      this.declare(ctx, { name: row, kind: "ro", atype: "number[]", row: true, mutable: false, cap: a.cap, loopLevel: ctx.loops.length, length: MIN_VEC });
      return row;
    }
    const elem = this.newName(ctx, "e");
    if (a.kind === "rows") {
      markElement(this.declareStruct(ctx.scopes[ctx.scopes.length - 1]!.vars, elem, a.shape!, { mutable: false, fieldsMutable: writable && !a.param, cap: a.cap, loopLevel: a.loopLevel, unread: ctx.unread }));
      this.markView(ctx, a.name);
    } else {
      this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: a.cap, loopLevel: ctx.loops.length });
      ctx.unread.add(elem);
    }
    return elem;
  }

  /** Mostly an expression reading callback element `elem` (of array `a`): `elem op e`, `elem.pos.x op e`. */
  private withElement(ctx: FnCtx, a: VarInfo, elem: string, e: Bounded): Bounded {
    if (!this.chance(0.8)) return e;
    let name = elem;
    if (a.atype === "number[][]") {
      const x: Expr = { k: "index", array: this.use(ctx, elem), index: { k: "num", v: this.int(0, MIN_VEC - 1) } };
      return { e: { k: "bin", op: this.pick<BinOp>(["+", "-", "*"]), a: x, b: this.fit(e, 2).e }, b: a.cap * 2 + e.b };
    }
    if (a.kind === "rows") {
      const leaves = this.visible(ctx, (v) => v.kind === "num" && v.root !== undefined && v.root.name === elem);
      if (leaves.length === 0) return e;
      name = this.pick(leaves).name;
    }
    const x: Bounded = { e: { k: "ref", name: this.use(ctx, name) }, b: a.cap };
    return this.weighted<Bounded>([
      [2, () => ({ e: { k: "bin", op: this.pick<BinOp>(["+", "-"]), a: x.e, b: e.e }, b: x.b + e.b })],
      [2, () => {
        const f = this.fit(e, 2);
        return { e: { k: "bin", op: "*", a: x.e, b: f.e }, b: x.b * f.b };
      }],
      [1, () => ({ e: { k: "math", fn: this.pick(["sin", "tanh", "exp"]), args: [x.e] }, b: Math.exp(x.b) })],
    ]);
  }

  /** A callback's index parameter, valid as an index of `a`. */
  private indexParam(ctx: FnCtx, a: VarInfo): string {
    const index = this.newName(ctx, "i");
    this.declare(ctx, { name: index, kind: "index", mutable: false, cap: this.maxLen(a), loopLevel: ctx.loops.length, over: a.name });
    return index;
  }

  /** `xs.reduce(...)`, `xs.reduceRight(...)`, `Math.max(...xs)`, `Math.min(e, ...xs)`, `Math.hypot(...xs)`. */
  private methodExprs(ctx: FnCtx, d: number, calls: boolean): [number, () => Bounded][] {
    // Not in a do...while condition: tsgrad lifts a method's loop out of the expression, which it
    // rejects there (TSG1002, as for assignments inside expressions).
    if (!this.opts.methods || ctx.inDoCondition) return [];
    const numbers = this.numArrays(ctx);
    const sources = this.methodSources(ctx);
    return [
      [sources.length > 0 ? 2.5 : 0, () => this.reduceExpr(ctx, this.pick(sources), d, calls)],
      [numbers.length > 0 ? 1 : 0, () => {
        const a = this.pick(numbers);
        this.use(ctx, a.name);
        this.seal(a);
        const fn = this.pick(["max", "min", "hypot"] as const);
        const args = fn !== "hypot" && this.chance(0.4) ? [this.fit(this.expr(ctx, d, calls), 3).e] : [];
        return { e: { k: "spread", fn, array: a.name, args }, b: fn === "hypot" ? a.cap * Math.sqrt(this.maxLen(a)) : Math.max(a.cap, 3) };
      }],
    ];
  }

  private reduceExpr(ctx: FnCtx, a: VarInfo, d: number, calls: boolean): Bounded {
    this.use(ctx, a.name);
    this.seal(a);
    const rows = a.kind === "rows" || a.atype === "number[][]";
    const method = !rows && this.chance(0.3) ? "reduceRight" : "reduce";
    // Without an initial value (number arrays only) the first element starts.
    const init = rows || this.chance(0.7) ? this.reduceInit(ctx, a, calls) : undefined;
    const n = this.maxLen(a);
    return this.inCallback(ctx, () => {
      const acc = this.newName(ctx, "c");
      const start = init ? init.b : a.cap;
      this.declare(ctx, { name: acc, kind: "num", mutable: false, cap: start + 1, loopLevel: ctx.loops.length });
      const elem = this.elementParam(ctx, a);
      const index = this.chance(0.4) ? this.indexParam(ctx, a) : undefined;
      const accRef = (): Expr => ({ k: "ref", name: this.use(ctx, acc) });
      const step = (): Bounded => this.withElement(ctx, a, elem, this.expr(ctx, Math.max(d - 1, 0), calls));
      const { body, b } = this.weighted<{ body: Expr; b: number }>([
        // A squashed update keeps the accumulator bounded whatever the length.
        [3, () => {
          const e = step();
          return { body: this.fit({ e: { k: "bin", op: "+", a: accRef(), b: e.e }, b: start + 1 + e.b }, 3).e, b: Math.max(start, 3) };
        }],
        [2, () => ({ body: { k: "bin", op: this.pick<BinOp>(["+", "-"]), a: accRef(), b: this.fit(step(), 1 / n).e }, b: start + 1 })],
        [1.5, () => ({ body: { k: "bin", op: "*", a: accRef(), b: this.fit(step(), 1).e }, b: start })],
        [1, () => ({ body: { k: "math", fn: this.pick(["max", "min"]), args: [accRef(), this.fit(step(), 3).e] }, b: Math.max(start, 3) })],
      ]);
      return { e: { k: "reduce", array: a.name, method, acc, elem, index, body, init: init?.e }, b: b + 1 };
    });
  }

  /**
   * The initial value of a reduce over `a`. Over rows (arrays of arrays or of objects) TypeScript
   * takes the accumulator's type from it (`reduce<U>`), so it must not be a variable a switch
   * around narrowed to its case labels: `switch (i6) { case 2: v.reduce((c, row) => c - ..., i6) }`
   * makes `c` a `0 | 2` (seed 279603776: TS2345 and TS2769). Such a value is drawn again with
   * those variables out of reach (only then: other programs stay as they were).
   */
  private reduceInit(ctx: FnCtx, a: VarInfo, calls: boolean): Bounded {
    const depth = this.int(0, 2);
    const first = this.fit(this.expr(ctx, depth, calls), 2);
    const narrowed = ctx.switchedOn ?? [];
    const rows = a.kind === "rows" || a.atype === "number[][]";
    if (!rows || !narrowedValue(first.e, narrowed)) return first;
    this.pushScope(ctx);
    for (const name of narrowed) this.declare(ctx, { name, kind: "hidden", mutable: false, cap: 0, loopLevel: 0 });
    try {
      return this.fit(this.expr(ctx, depth, calls), 2);
    } finally {
      ctx.scopes.pop();
    }
  }

  /** `xs.some((e, i) => ...)` or `xs.every(...)`. */
  private quantCond(ctx: FnCtx, a: VarInfo): Cond {
    this.use(ctx, a.name);
    this.seal(a);
    const method = this.pick(["some", "every"] as const);
    return this.inCallback(ctx, () => {
      const elem = this.elementParam(ctx, a);
      const index = this.chance(0.3) ? this.indexParam(ctx, a) : undefined;
      return { k: "quant", method, array: a.name, elem, index, body: this.compare(ctx) };
    });
  }

  /** `const ys = xs.map((e, i) => ...)`, `xs.map(h0)`, `ps.map((p) => ...)` or `Array.from({ length: 3 }, (_, i) => ...)`. */
  private mapDecl(ctx: FnCtx): Stmt {
    const name = this.newName(ctx, "a");
    const sources = this.methodSources(ctx);
    if (sources.length === 0 || this.chance(0.25)) {
      const length = this.int(MIN_VEC, 4);
      const init = this.inCallback<ArrayInit>(ctx, () => {
        const index = this.newName(ctx, "i");
        this.declare(ctx, { name: index, kind: "index", mutable: false, cap: length, loopLevel: ctx.loops.length });
        return { k: "from", length, index, body: this.fit(this.expr(ctx, this.int(1, 3)), 3).e };
      });
      this.declare(ctx, { name, kind: "vec", atype: "number[]", mutable: false, cap: 3, loopLevel: ctx.loops.length, length });
      return { k: "adecl", name, init };
    }
    const src = this.pick(sources);
    this.use(ctx, src.name);
    this.seal(src);
    // A helper of one number parameter, by name.
    const unary = src.kind !== "rows" && src.atype !== "number[][]" && ctx.callsAllowed ? ctx.callees.filter((c) => !c.returns && c.params.length === 1 && c.params[0]!.kind === "num" && src.cap <= c.argCap) : [];
    let init: ArrayInit;
    let cap = 3;
    if (unary.length > 0 && this.chance(0.25)) {
      const c = this.pick(unary);
      init = { k: "map", src: src.name, elem: "", body: { k: "num", v: 0 }, fn: c.name };
      cap = Math.max(c.ret, 1e-3);
    } else {
      init = this.inCallback<ArrayInit>(ctx, () => {
        const elem = this.elementParam(ctx, src);
        const index = this.chance(0.4) ? this.indexParam(ctx, src) : undefined;
        return { k: "map", src: src.name, elem, index, body: this.fit(this.withElement(ctx, src, elem, this.expr(ctx, this.int(0, 2))), 3).e };
      });
    }
    const atype = src.atype === "Float64Array" ? "Float64Array" : "number[]";
    this.declare(ctx, { name, kind: "vec", atype, mutable: false, cap, loopLevel: ctx.loops.length, length: this.maxLen(src), minLength: this.minLen(src), lengthOf: src.name });
    return { k: "adecl", name, init };
  }

  /** `xs.forEach((e, i) => { out[i] = ...; ... })`, sometimes after `const out = new Float64Array(xs.length)`. */
  private forEachStmt(ctx: FnCtx, depth: number, a: VarInfo): { stmts: Stmt[]; terminates: boolean } {
    this.use(ctx, a.name);
    this.seal(a);
    const stmts: Stmt[] = [];
    let targets = this.visible(ctx, (v) => v.kind === "vec" && v.lengthOf === a.name);
    if (targets.length === 0 && this.chance(0.6)) {
      const name = this.newName(ctx, "a");
      const f64 = this.chance(0.5);
      const length: Expr = { k: "length", array: a.name };
      const info: VarInfo = { name, kind: "vec", atype: f64 ? "Float64Array" : "number[]", mutable: false, cap: 3, loopLevel: ctx.loops.length, length: this.maxLen(a), minLength: this.minLen(a), lengthOf: a.name };
      this.declare(ctx, info);
      stmts.push({ k: "adecl", name, init: f64 ? { k: "f64", length } : { k: "fill", length, annotated: this.chance(0.5) } });
      targets = [info];
    }
    const stmt: Extract<Stmt, { k: "foreach" }> = { k: "foreach", array: a.name, elem: "", body: [] };
    this.pushScope(ctx);
    const floor = ctx.loopFloor;
    const noReturns = ctx.noReturns;
    const sites = ctx.recursiveSites;
    stmt.elem = this.elementParam(ctx, a, true);
    if (targets.length > 0 || this.chance(0.4)) stmt.index = this.indexParam(ctx, a);
    ctx.loops.push({ maxTrips: this.maxLen(a) });
    ctx.loopFloor = ctx.loops.length;
    ctx.noReturns = true;
    ctx.recursiveSites = 0;
    this.pushScope(ctx);
    if (targets.length > 0 && stmt.index) {
      const t = this.pick(targets);
      const op = this.pick<AssignOp>(["=", "+=", "="]);
      const cap = op === "=" ? 1 : t.cap / (4 * this.tripsSince(ctx, t.loopLevel));
      stmt.body.push({ k: "store", array: this.use(ctx, t.name), index: { k: "ref", name: this.use(ctx, stmt.index) }, op, value: this.fit(this.expr(ctx, this.int(1, 3)), cap).e });
    }
    this.block(ctx, stmt.body, depth + 1);
    ctx.scopes.pop();
    ctx.loops.pop();
    ctx.loopFloor = floor;
    ctx.noReturns = noReturns;
    ctx.recursiveSites = sites;
    ctx.scopes.pop();
    stmts.push(stmt);
    return { stmts, terminates: false };
  }

  /** `for (const e of xs)` or `for (const [i, e] of xs.entries())` over a number array. */
  private numForOf(ctx: FnCtx, depth: number, a: VarInfo): Stmt {
    this.use(ctx, a.name);
    this.seal(a);
    const label = this.chance(0.2) ? `L${ctx.labels++}` : undefined;
    const stmt: Extract<Stmt, { k: "forof" }> = { k: "forof", label, array: a.name, elem: "", body: [] };
    this.pushScope(ctx);
    stmt.elem = this.newName(ctx, "e");
    this.declare(ctx, { name: stmt.elem, kind: "num", mutable: false, cap: a.cap, loopLevel: ctx.loops.length });
    ctx.unread.add(stmt.elem);
    if (this.chance(0.35)) stmt.entries = this.indexParam(ctx, a);
    ctx.loops.push({ label, maxTrips: this.maxLen(a) });
    this.pushScope(ctx);
    this.block(ctx, stmt.body, depth + 1);
    ctx.scopes.pop();
    ctx.loops.pop();
    ctx.scopes.pop();
    return stmt;
  }

  /** `const [t1, t2] = xs;` (no more names than elements). */
  private arrayDestructure(ctx: FnCtx, a: VarInfo): Stmt {
    this.use(ctx, a.name);
    this.seal(a);
    const names = Array.from({ length: this.int(1, Math.min(3, this.minLen(a))) }, () => this.newName(ctx, "t"));
    for (const name of names) {
      this.declare(ctx, { name, kind: "num", mutable: false, cap: a.cap, loopLevel: ctx.loops.length });
      ctx.unread.add(name);
    }
    return { k: "adestr", names, array: a.name };
  }

  /** `const fn0 = (q1: number, q2: number): number => ...;` reading the enclosing variables. */
  private localHelper(ctx: FnCtx): Stmt {
    const name = this.newName(ctx, "fn");
    const params: string[] = [];
    const body = this.inCallback(ctx, () => {
      for (let k = this.int(1, 2); k > 0; k--) {
        const q = this.newName(ctx, "q");
        this.declare(ctx, { name: q, kind: "num", mutable: false, cap: 3, loopLevel: ctx.loops.length });
        ctx.unread.add(q);
        params.push(q);
      }
      return this.fit(this.expr(ctx, this.int(1, 3)), LIMIT);
    });
    const callee: Callee = { name, params: params.map((q) => ({ name: q, kind: "num" as const })), ret: Math.max(body.b, 1e-3), argCap: 3 };
    this.declare(ctx, { name, kind: "fn", mutable: false, cap: 0, loopLevel: ctx.loops.length, callee });
    return { k: "fdecl", name, params, body: body.e };
  }

  /** `switch` over integer values: several labels per case, fall-through, `default` anywhere. */
  private switchStmt(ctx: FnCtx, depth: number): { stmts: Stmt[]; terminates: boolean } {
    const narrowed = ctx.switchedOn ?? [];
    const ints = this.visible(ctx, (v) => v.kind === "int" && !narrowed.includes(v.name));
    const counters = this.visible(ctx, (v) => (v.kind === "index" || v.kind === "counter") && !narrowed.includes(v.name));
    const disc = this.weighted<Expr>([
      [ints.length > 0 ? 3 : 0, () => ({ k: "ref", name: this.use(ctx, this.pick(ints).name) })],
      [counters.length > 0 ? 1.5 : 0, () => ({ k: "ref", name: this.use(ctx, this.pick(counters).name) })],
      // -3 .. 2
      [2, () => ({ k: "math", fn: this.pick(["floor", "round", "trunc"]), args: [this.fit(this.expr(ctx, this.int(1, 2)), 2.4).e] })],
    ]);
    const pool = [-2, -1, 0, 1, 2, 3];
    const nCases = this.int(1, 4);
    const defaultAt = this.chance(0.65) ? this.int(0, nCases) : -1;
    const cases: SwitchCase[] = [];
    let allEnd = true;
    ctx.switchedOn = disc.k === "ref" ? [...narrowed, disc.name] : narrowed;
    for (let c = 0; c <= nCases; c++) {
      const labels: (number | "default")[] = [];
      if (c < nCases) {
        for (let l = this.chance(0.25) ? 2 : 1; l > 0 && pool.length > 0; l--) labels.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!);
      }
      if (c === defaultAt) labels.push("default");
      if (labels.length === 0) continue;
      const body: Stmt[] = [];
      this.pushScope(ctx);
      const ends = this.block(ctx, body, depth + 1);
      ctx.scopes.pop();
      const last = c === nCases || (c === nCases - 1 && defaultAt !== nCases);
      if (!ends && this.chance(last ? 0.5 : 0.7)) body.push({ k: "break" });
      if (!ends) allEnd = false;
      const declares = body.some((s) => ["decl", "bdecl", "adecl", "sdecl", "destr", "rdecl", "fdecl", "adestr", "while"].includes(s.k) || (s.k === "for" && s.outer));
      cases.push({ labels, body, braces: declares || this.chance(0.2) });
    }
    ctx.switchedOn = narrowed;
    // The code after the switch is unreachable when every case ends in a jump that leaves it, and default is there.
    const terminates = defaultAt >= 0 && allEnd && !cases.some((c) => breaksSwitch(c.body));
    return { stmts: [{ k: "switch", disc, cases }], terminates };
  }

  // ---------------------------------------------------------------- arrays of objects (rows mode)

  /**
   * `function mv0(u: Body, p0: number): void { u.pos.x += u.vel.x * p0; ... }`: writes into the
   * element it is called with (only ever an element of a local array: tsgrad inlines it there).
   */
  private mover(name: string, consts: VarInfo[]): Func {
    const shape = this.chance(0.4) ? BODY : this.pick(ROW_SHAPES);
    const top: Scope = { vars: new Map(), used: new Set() };
    for (const c of consts) top.vars.set(c.name, c);
    const vars = new Map<string, VarInfo>();
    markElement(this.declareStruct(vars, "u", shape, { mutable: false, fieldsMutable: true, cap: STRUCT_CAP, loopLevel: 0 }));
    vars.set("p0", { name: "p0", kind: "num", mutable: false, cap: 1, loopLevel: 0 });
    const ctx: FnCtx = {
      scopes: [top, { vars, used: new Set() }],
      loops: [],
      budget: this.int(1, 4),
      names: 0,
      labels: 0,
      callees: [],
      recursiveSites: 0,
      callsAllowed: false,
      inlined: true,
      noReturns: true,
      localArrays: false,
      retCap: STRUCT_CAP,
      maxReturn: 0,
      declared: new Set(),
      unread: new Set(),
    };
    const body: Stmt[] = [];
    const leaves = [...vars.values()].filter((v) => v.root && v.kind === "num");
    for (let k = this.int(1, 3); k > 0; k--) body.push(this.assignStmt(ctx, this.pick(leaves)));
    if (this.chance(0.4)) this.block(ctx, body, 1);
    this.movers.push({ name, shape });
    return { name, exported: false, style: "function", params: [{ name: "u", kind: "struct", shape }, { name: "p0", kind: "num" }], body, annotateReturn: true, returns: "void" };
  }

  /** `mv0(r[i], e);` on an element of a local array (a view whose fields may be written). */
  private moveCall(ctx: FnCtx): Stmt | undefined {
    const options = this.movers.flatMap((m) =>
      this.visible(ctx, (v) => v.kind === "struct" && v.element === true && shapeKey(v.shape!) === shapeKey(m.shape) && this.visible(ctx, (f) => f.root === v && f.mutable).length > 0).map((v) => ({ m, v })),
    );
    if (options.length === 0) return undefined;
    const { m, v } = this.pick(options);
    return { k: "vcall", fn: m.name, args: [{ k: "ref", name: this.use(ctx, v.name) }, this.fit(this.expr(ctx, this.int(0, 2), false), 0.5).e] };
  }

  /** A local array of objects or tuples: a deep or modified `map` copy, `Array.from`, or a literal. */
  private rowsDecl(ctx: FnCtx, copyOf?: VarInfo): Stmt {
    // (The name first: an array it shadows is in its TDZ, no source.)
    const name = this.newName(ctx, "r");
    const sources = this.visible(ctx, (v) => v.kind === "rows" && !hasIndexField(v.shape!));
    const numbers = this.visible(ctx, (v) => (v.kind === "vec" && v.atype === "number[]") || (v.kind === "ro" && (v.atype === "number[]" || v.atype === "readonly number[]")));
    let shape: Shape = this.pick(ROW_SHAPES);
    let cap = STRUCT_CAP;
    let length: number | undefined;
    // The callback's parameters live in a scope of their own.
    const callback = <T>(f: () => T): T => {
      this.pushScope(ctx);
      const callsAllowed = ctx.callsAllowed;
      const sites = ctx.recursiveSites;
      ctx.recursiveSites = 0;
      try {
        return f();
      } finally {
        ctx.callsAllowed = callsAllowed;
        ctx.recursiveSites = sites;
        ctx.scopes.pop();
      }
    };
    const init = this.weighted<RowsInit>([
      [copyOf ? 1e9 : sources.length > 0 ? 3 : 0, () => {
        const src = copyOf ?? this.pick(sources);
        this.use(ctx, src.name);
        shape = src.shape!;
        length = src.length;
        return callback<RowsInit>(() => {
          const elem = this.newName(ctx, "e");
          markElement(this.declareStruct(ctx.scopes[ctx.scopes.length - 1]!.vars, elem, shape, { mutable: false, fieldsMutable: false, cap: src.cap, loopLevel: ctx.loops.length }));
          let index: string | undefined;
          if (this.chance(0.3)) {
            index = this.newName(ctx, "i");
            this.declare(ctx, { name: index, kind: "index", mutable: false, cap: MIN_VEC + 2, loopLevel: ctx.loops.length });
          }
          if (copyOf || this.chance(0.55)) {
            // A deep copy (`{ ...p, pos: { ...p.pos } }` or field by field): a shallow one would share nested objects.
            cap = src.cap;
            // Workaround deep-spread-copy: field by field only.
            return { k: "map", src: src.name, elem, index, body: deepCopy(elem, [], shape, !this.opts.avoid.includes("deep-spread-copy") && this.chance(0.5)) };
          }
          return { k: "map", src: src.name, elem, index, body: this.literal(ctx, shape, STRUCT_CAP, 1) };
        });
      }],
      // With --arrays: `xs.map((x, i) => ({ ... }))` over a number array.
      [copyOf ? 0 : numbers.length > 0 ? 1.5 : 0, () => {
        const src = this.pick(numbers);
        this.use(ctx, src.name);
        length = src.kind === "vec" ? src.length : undefined;
        return callback<RowsInit>(() => {
          const elem = this.newName(ctx, "t");
          this.declare(ctx, { name: elem, kind: "num", mutable: false, cap: src.cap, loopLevel: ctx.loops.length });
          ctx.unread.add(elem);
          let index: string | undefined;
          if (this.chance(0.4)) {
            index = this.newName(ctx, "i");
            this.declare(ctx, { name: index, kind: "index", mutable: false, cap: MIN_VEC + 2, loopLevel: ctx.loops.length });
          }
          const body = this.literal(ctx, shape, STRUCT_CAP, 1);
          // The element reaches the new array.
          const slots = numberSlots(body);
          if (slots.length > 0 && ctx.unread.has(elem)) {
            const slot = this.pick(slots);
            slot.set(this.fit({ e: { k: "bin", op: "+", a: slot.get(), b: { k: "ref", name: this.use(ctx, elem) } }, b: STRUCT_CAP + src.cap }, STRUCT_CAP).e);
          }
          return { k: "map", src: src.name, elem, index, body };
        });
      }],
      [2, () => {
        length = this.int(MIN_VEC, 4);
        return callback<RowsInit>(() => {
          const index = this.newName(ctx, "i");
          this.declare(ctx, { name: index, kind: "index", mutable: false, cap: length!, loopLevel: ctx.loops.length });
          return { k: "from", length: length!, index, body: this.literal(ctx, shape, STRUCT_CAP, 1) };
        });
      }],
      [1.5, () => {
        length = this.int(MIN_VEC, 3);
        return { k: "lit", elems: Array.from({ length: length! }, () => this.literal(ctx, shape, STRUCT_CAP, 1)) };
      }],
    ]);
    this.declare(ctx, { name, kind: "rows", shape, mutable: true, cap, loopLevel: ctx.loops.length, length });
    // A tuple element needs its type (else it is a number[]); objects sometimes get theirs.
    const annotate = hasTuple(shape) || (init.k === "lit" && this.chance(0.5)) || this.chance(0.2) ? shape : undefined;
    return { k: "rdecl", name, annotate, init };
  }

  /** `for (const p of r)`, destructured, or over `r.entries()`; writes through `p` go into a local `r`. */
  private forOf(ctx: FnCtx, depth: number, r: VarInfo): Stmt {
    this.use(ctx, r.name);
    const label = this.chance(0.2) ? `L${ctx.labels++}` : undefined;
    const shape = r.shape!;
    const maxTrips = r.length ?? MIN_VEC + 2;
    const stmt: Extract<Stmt, { k: "forof" }> = { k: "forof", label, array: r.name, elem: "", body: [] };
    // The loop's bindings.
    this.pushScope(ctx);
    const vars = ctx.scopes[ctx.scopes.length - 1]!.vars;
    this.markView(ctx, r.name);
    const style = this.weighted<"plain" | "entries" | "destructure">([
      [3, () => "plain"],
      [1, () => "entries"],
      [1.2, () => "destructure"],
    ]);
    if (style === "destructure" && shape.k === "obj") {
      const free = shape.fields.filter((f) => !this.lookup(ctx, f.name) && !ctx.declared.has(f.name) && this.chance(0.7));
      if (free.length > 0) {
        stmt.bind = free.map((f) => f.name);
        for (const f of free) {
          if (isIndexPath(shape, [f.name])) vars.set(f.name, { name: f.name, kind: "int", mutable: false, cap: MIN_VEC - 1, loopLevel: r.loopLevel, rowIndex: true });
          else if (f.shape.k === "num") {
            vars.set(f.name, { name: f.name, kind: "num", mutable: false, cap: r.cap, loopLevel: r.loopLevel });
            ctx.unread.add(f.name);
          } else markElement(this.declareStruct(vars, f.name, f.shape, { mutable: false, fieldsMutable: false, cap: r.cap, loopLevel: r.loopLevel, unread: ctx.unread }));
        }
      }
    } else if (style === "destructure" && shape.k === "tuple" && shape.items.every((t) => t.k === "num")) {
      stmt.tuple = true;
      stmt.bind = shape.items.map(() => this.newName(ctx, "t"));
      for (const b of stmt.bind) {
        vars.set(b, { name: b, kind: "num", mutable: false, cap: r.cap, loopLevel: r.loopLevel });
        ctx.unread.add(b);
      }
    }
    if (!stmt.bind) {
      stmt.elem = this.newName(ctx, "e");
      const view = this.declareStruct(vars, stmt.elem, shape, { mutable: false, fieldsMutable: !r.param, cap: r.cap, loopLevel: r.loopLevel, unread: ctx.unread });
      markElement(view);
      if (!r.param && this.chance(0.5)) stmt.body.push(...this.elementWrites(ctx, view));
      if (style === "entries") {
        stmt.entries = this.newName(ctx, "i");
        this.declare(ctx, { name: stmt.entries, kind: "index", mutable: false, cap: maxTrips, loopLevel: ctx.loops.length, over: r.name });
      }
    }
    ctx.loops.push({ label, maxTrips });
    this.pushScope(ctx);
    // The element writes above open the loop's body in the program text: what they read, a
    // declaration in the body must not shadow (seed 1656884475 read `t6` there, then declared
    // `const t6` below it: TS2448).
    for (const n of ctx.scopes[ctx.scopes.length - 2]!.used) ctx.scopes[ctx.scopes.length - 1]!.used.add(n);
    // Spring style: `const a = ps[sp.i]; const b = ps[sp.j];`, then updates through a and b.
    const targets = this.visible(ctx, (v) => v.kind === "rows" && !hasIndexField(v.shape!));
    if (hasIndexField(shape) && targets.length > 0 && this.chance(0.8)) {
      const writable = targets.filter((v) => !v.param);
      const target = writable.length > 0 && this.chance(0.8) ? this.pick(writable) : this.pick(targets);
      const ends = this.chance(0.7) ? 2 : 1;
      const names: VarInfo[] = [];
      for (let k = 0; k < ends; k++) {
        const decl = this.elementName(ctx, target, true);
        stmt.body.push(decl);
        names.push(this.lookup(ctx, (decl as Extract<Stmt, { k: "sdecl" }>).name)!);
      }
      if (!target.param) for (const v of names) if (this.chance(0.7)) stmt.body.push(...this.elementWrites(ctx, v));
    }
    this.block(ctx, stmt.body, depth + 1);
    ctx.scopes.pop();
    ctx.scopes.pop();
    ctx.loops.pop();
    return stmt;
  }

  /** One or two writes into number fields of element view `v` (`a.vel.x += ...`, `r[i].pos.y = ...`). */
  private elementWrites(ctx: FnCtx, v: VarInfo): Stmt[] {
    const leaves = this.visible(ctx, (f) => f.root === v && f.kind === "num" && f.mutable);
    const out: Stmt[] = [];
    // `integrate(p, dt)`: a helper writing into the element.
    const movers = this.movers.filter((m) => shapeKey(m.shape) === shapeKey(v.shape!));
    if (movers.length > 0 && leaves.length > 0 && this.chance(0.5)) {
      ctx.budget--;
      return [{ k: "vcall", fn: this.pick(movers).name, args: [{ k: "ref", name: this.use(ctx, v.name) }, this.fit(this.expr(ctx, this.int(0, 2), false), 0.5).e] }];
    }
    for (let k = this.int(1, 2); k > 0 && leaves.length > 0; k--) {
      ctx.budget--;
      out.push(this.assignStmt(ctx, this.pick(leaves)));
    }
    return out;
  }

  /** `const a = r[k]`: names an element (k a loop index over r, an index field or a literal); writes through it go into a local r. */
  private elementName(ctx: FnCtx, r: VarInfo, byIndexField = false): Stmt {
    this.use(ctx, r.name);
    const fields = this.visible(ctx, (v) => v.kind === "int" && v.rowIndex === true);
    const indices = byIndexField && fields.length > 0 ? fields : this.visible(ctx, (v) => (v.kind === "index" && v.over === r.name) || (v.kind === "int" && v.rowIndex === true));
    const index: Expr = indices.length > 0 && (byIndexField || this.chance(0.8)) ? { k: "ref", name: this.use(ctx, this.pick(indices).name) } : { k: "num", v: this.int(0, MIN_VEC - 1) };
    const name = this.newName(ctx, "s");
    markElement(this.declareStruct(ctx.scopes[ctx.scopes.length - 1]!.vars, name, r.shape!, { mutable: false, fieldsMutable: !r.param, cap: r.cap, loopLevel: r.loopLevel, unread: ctx.unread }));
    this.markView(ctx, r.name);
    ctx.budget--;
    return { k: "sdecl", kind: "const", name, init: { k: "sref", name: `${r.name}[${printExprSimple(index)}]`, path: [] } };
  }

  // ---------------------------------------------------------------- conditions

  private cond(ctx: FnCtx, depth: number): Cond {
    const bools = this.visible(ctx, (v) => v.kind === "bool");
    return this.weighted<Cond>([
      [5, () => this.compare(ctx)],
      [depth > 0 ? 1.2 : 0, () => ({ k: "logic", op: this.pick(["&&", "||"] as const), a: this.cond(ctx, depth - 1), b: this.cond(ctx, depth - 1) })],
      [depth > 0 ? 0.4 : 0, () => ({ k: "not", a: this.cond(ctx, depth - 1) })],
      [bools.length > 0 ? 1 : 0, () => ({ k: "bref", name: this.use(ctx, this.pick(bools).name) })],
      [bools.length > 0 && !this.opts.avoid.includes("bool-narrowed-never") ? 0.2 : 0, () => ({ k: "beq", op: this.pick(["===", "!=="] as const), a: { k: "bref", name: this.use(ctx, this.pick(bools).name) }, b: this.compare(ctx) })],
      [0.05, () => ({ k: "bool", v: this.chance(0.5) })],
    ]);
  }

  private compare(ctx: FnCtx): Cond {
    // Calls in conditions run the primal only; allowed now and then.
    const calls = ctx.callsAllowed && this.chance(0.15);
    let a = this.expr(ctx, this.int(0, 2), calls);
    for (let tries = 0; tries < 3 && !readsVariable(a.e, ctx); tries++) a = this.expr(ctx, this.int(0, 2), calls);
    const op = this.pick(["<", "<=", ">", ">="] as const);
    return this.weighted<Cond>([
      // A threshold inside the range of `a`, so both outcomes happen.
      [3, () => ({ k: "cmp", op, a: a.e, b: { k: "num", v: round2((this.r() * 2 - 1) * Math.min(a.b, 3)) } })],
      [2, () => ({ k: "cmp", op, a: a.e, b: this.expr(ctx, this.int(0, 2), calls).e })],
      // Equality on piecewise-constant values only (never on a literal-typed operand).
      [0.3, () => ({
        k: "cmp",
        op: this.pick(["===", "!=="] as const),
        a: { k: "math", fn: this.pick(["floor", "sign", "round"]), args: [a.e] },
        b: { k: "num", v: this.int(-1, 1) },
      })],
    ]);
  }

  // ---------------------------------------------------------------- expressions

  /** Wraps `x` so that its bound is at most `cap`. */
  private fit(x: Bounded, cap: number): Bounded {
    if (x.b <= cap) return x;
    const squashed = this.squash(x);
    if (squashed.b <= cap) return squashed;
    const scale = round2(cap / squashed.b / 1.01);
    if (scale <= 0) return { e: { k: "num", v: 0 }, b: 0 };
    return { e: { k: "bin", op: "*", a: { k: "num", v: scale }, b: squashed.e }, b: scale * squashed.b };
  }

  /** A smooth function of `x` bounded by pi/2. */
  private squash(x: Bounded): Bounded {
    return this.weighted<Bounded>([
      [3, () => ({ e: { k: "math", fn: "tanh", args: [x.e] }, b: 1 })],
      [2, () => ({ e: { k: "math", fn: "sin", args: [x.e] }, b: 1 })],
      [1, () => ({ e: { k: "math", fn: "cos", args: [x.e] }, b: 1 })],
      [1.5, () => ({ e: { k: "math", fn: "atan", args: [x.e] }, b: Math.PI / 2 })],
      [small(x.e) ? 1 : 0, () => ({ e: { k: "bin", op: "/", a: x.e, b: { k: "math", fn: "sqrt", args: [onePlusSquare(x.e)] } }, b: 1 })],
      [small(x.e) ? 0.5 : 0, () => ({ e: { k: "bin", op: "/", a: x.e, b: { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "math", fn: "abs", args: [x.e] } } }, b: 1 })],
    ]);
  }

  /** A numeric expression; `calls` false keeps user calls out (recursion base cases). */
  private expr(ctx: FnCtx, depth: number, calls = true): Bounded {
    if (depth <= 0 || this.chance(0.22)) return this.leaf(ctx);
    const d = depth - 1;
    const callable = calls && ctx.callsAllowed ? this.callables(ctx) : [];
    return this.weighted<Bounded>([
      [3, () => {
        const a = this.expr(ctx, d, calls);
        const b = this.expr(ctx, d, calls);
        return { e: { k: "bin", op: this.pick<BinOp>(["+", "-"]), a: a.e, b: b.e }, b: a.b + b.b };
      }],
      [3, () => {
        let a = this.expr(ctx, d, calls);
        let b = this.expr(ctx, d, calls);
        if (a.b * b.b > LIMIT) a = this.fit(a, 2);
        if (a.b * b.b > LIMIT) b = this.fit(b, 2);
        return { e: { k: "bin", op: "*", a: a.e, b: b.e }, b: a.b * b.b };
      }],
      [1.5, () => this.division(ctx, d, calls)],
      [0.6, () => {
        const a = this.expr(ctx, d, calls);
        return { e: { k: "neg", a: a.e }, b: a.b };
      }],
      [5, () => this.math1(ctx, d, calls)],
      [1.5, () => this.math2(ctx, d, calls)],
      [0.8, () => this.power(ctx, d, calls)],
      [0.25, () => {
        const a = this.expr(ctx, d, calls);
        const m = this.pick([0.75, 1.5, 2.5]);
        return { e: { k: "bin", op: "%", a: a.e, b: { k: "num", v: m } }, b: Math.min(a.b, m) };
      }],
      [0.8, () => {
        const a = this.expr(ctx, d, calls);
        const b = this.expr(ctx, d, calls);
        return { e: { k: "cond", test: this.cond(ctx, 1), a: a.e, b: b.e }, b: Math.max(a.b, b.b) };
      }],
      [callable.length > 0 ? 2.5 : 0, () => this.call(ctx, this.pick(callable), d)],
      ...this.methodExprs(ctx, d, calls),
    ]);
  }

  private leaf(ctx: FnCtx): Bounded {
    const isModuleConst = (v: VarInfo): boolean => ctx.scopes[0]!.vars.get(v.name) === v;
    const vars = this.visible(ctx, (v) => v.kind === "num" && !isModuleConst(v));
    const counters = this.visible(ctx, (v) => v.kind === "index" || v.kind === "counter");
    const consts = this.visible(ctx, (v) => v.kind === "num" && isModuleConst(v));
    const arrays = this.visible(ctx, (v) => v.kind === "vec" || v.kind === "ro");
    const rows = this.visible(ctx, (v) => v.kind === "rows");
    const grows = this.visible(ctx, (v) => v.kind === "grow");
    const ref = (v: VarInfo): Bounded => ({ e: { k: "ref", name: this.use(ctx, v.name) }, b: v.cap });
    return this.weighted<Bounded>([
      [vars.length > 0 ? 6 : 0, () => {
        const fresh = vars.filter((v) => ctx.unread.has(v.name));
        return ref(fresh.length > 0 && this.chance(0.5) ? this.pick(fresh) : this.pick(vars));
      }],
      [counters.length > 0 ? 1.5 : 0, () => ref(this.pick(counters))],
      [consts.length > 0 ? 0.5 : 0, () => ref(this.pick(consts))],
      [1.5, () => {
        const v = this.pick([0.5, 2, 3, 1.5, 0.25, 0.1, 1, 4, 0.75, 1.25, 0.3, 7]);
        return { e: { k: "num", v }, b: v };
      }],
      [0.15, () => {
        const name = this.pick(["PI", "E", "SQRT2", "LN2", "SQRT1_2", "LOG2E"]);
        return { e: { k: "ref", name: `Math.${name}` }, b: (Math as unknown as Record<string, number>)[name]! };
      }],
      [arrays.length > 0 ? 2 : 0, () => {
        const a = this.pick(arrays);
        this.use(ctx, a.name);
        if (this.chance(0.2)) return { e: { k: "length", array: a.name }, b: (a.length ?? MIN_VEC) + 2 };
        const col: Expr | undefined = a.atype === "number[][]" ? { k: "num", v: this.int(0, MIN_VEC - 1) } : undefined;
        return { e: { k: "index", array: a.name, index: this.indexOf(ctx, a), col }, b: a.cap };
      }],
      [rows.length > 0 ? 0.3 : 0, () => ({ e: { k: "length", array: this.use(ctx, this.pick(rows).name) }, b: MIN_VEC + 2 })],
      // Methods mode: arrays grown by push.
      [grows.length > 0 ? 2 : 0, () => this.growRead(ctx, this.pick(grows))],
    ]);
  }

  private callables(ctx: FnCtx): Callee[] {
    // Helpers returning structures are called where a structure is needed (svalue).
    const out = ctx.callees.filter((c) => !c.returns);
    // Methods mode: local arrow helpers in scope.
    if (this.opts.methods) out.push(...this.visible(ctx, (v) => v.kind === "fn").map((v) => v.callee!));
    if (ctx.recursive && ctx.recursiveSites > 0 && this.totalTrips(ctx) <= 3) out.push(...ctx.recursive.partners);
    return out;
  }

  private call(ctx: FnCtx, callee: Callee, depth: number): Bounded {
    const recursive = ctx.recursive?.partners.includes(callee) ?? false;
    if (recursive) ctx.recursiveSites--;
    const ints = this.visible(ctx, (v) => v.kind === "int");
    const arrays = this.visible(ctx, (v) => v.kind === "vec" || v.kind === "ro");
    const args: Expr[] = [];
    const fixed: boolean[] = [];
    for (const p of callee.params) {
      if (p.kind === "int") {
        if (recursive) {
          args.push({ k: "bin", op: "-", a: { k: "ref", name: ctx.recursive!.depth }, b: { k: "num", v: 1 } });
          fixed.push(true);
        } else {
          args.push(ints.length > 0 && this.chance(0.6) ? { k: "ref", name: this.use(ctx, this.pick(ints).name) } : { k: "num", v: this.int(0, MAX_INT) });
          fixed.push(true);
        }
      } else if (p.kind === "num") {
        args.push(this.fit(this.expr(ctx, Math.min(depth, 2), !recursive), callee.argCap).e);
        fixed.push(false);
      } else if (p.kind === "rows") {
        // A whole array of objects of the parameter's element type.
        const candidates = this.visible(ctx, (v) => v.kind === "rows" && shapeKey(v.shape!) === shapeKey(p.shape!) && v.cap <= callee.argCap && (p.readonly || !v.readonlyRows));
        args.push({ k: "ref", name: candidates.length > 0 ? this.use(ctx, this.pick(candidates).name) : "__missing__" });
        fixed.push(true);
      } else if (p.kind === "struct" && p.cls) {
        // An instance: a parameter of the class or of its subclass (no literals: a class has methods).
        const cls = p.cls;
        const candidates = this.visible(ctx, (v) => v.kind === "inst" && v.cap <= callee.argCap && (v.shape as { name?: string }).name !== undefined && this.extendsClass((v.shape as { name: string }).name, cls));
        args.push({ k: "ref", name: candidates.length > 0 ? this.use(ctx, this.pick(candidates).name) : "__missing__" });
        fixed.push(true);
      } else if (p.kind === "struct") {
        // Workaround do-while-struct-call: no calls inside a structure argument in a do-while condition.
        const noCalls = ctx.inDoCondition && this.opts.avoid.includes("do-while-struct-call");
        const callsAllowed = ctx.callsAllowed;
        if (noCalls) ctx.callsAllowed = false;
        // Kept by the reducer: replacing a structure by a number would not type-check.
        args.push({ k: "struct", v: this.svalue(ctx, p.shape!, callee.argCap, Math.min(depth, 1)) });
        ctx.callsAllowed = callsAllowed;
        fixed.push(true);
      } else {
        // Array arguments: an array parameter or a local array that is long enough.
        const accepts = p.kind === "vec" ? ["number[]"] : p.kind === "f64" ? ["Float64Array"] : p.kind === "mat" ? ["number[][]"] : ["number[]", "readonly number[]"];
        const candidates = arrays.filter((a) => (a.length ?? MIN_VEC) >= MIN_VEC && accepts.includes(a.atype!));
        // Methods mode: a grown array after its last push (helpers read indices below MIN_VEC).
        if (this.grow && p.kind !== "mat") candidates.push(...this.visible(ctx, (v) => v.kind === "grow" && accepts.includes("number[]") && (v.minLength ?? 0) >= MIN_VEC && (v.length ?? 0) <= MIN_VEC + 4 && this.sealable(ctx, v)));
        if (candidates.length > 0) {
          const a = ctx.preferArray && candidates.includes(ctx.preferArray) ? ctx.preferArray : this.pick(candidates);
          this.seal(a);
          args.push({ k: "ref", name: this.use(ctx, a.name) });
        } else {
          args.push({ k: "ref", name: "__missing__" });
        }
        fixed.push(true);
      }
    }
    if (args.some((a) => a.k === "ref" && a.name === "__missing__")) return this.leaf(ctx);
    return { e: { k: "call", fn: callee.name, args, fixed }, b: callee.ret };
  }

  private division(ctx: FnCtx, d: number, calls: boolean): Bounded {
    const a = this.expr(ctx, d, calls);
    const b = this.expr(ctx, d, calls);
    return this.weighted<Bounded>([
      [small(b.e) ? 3 : 0.5, () => ({ e: { k: "bin", op: "/", a: a.e, b: onePlusSquare(b.e) }, b: a.b })],
      [2, () => ({ e: { k: "bin", op: "/", a: a.e, b: { k: "bin", op: "+", a: { k: "num", v: 2 }, b: { k: "math", fn: this.pick(["sin", "cos", "tanh"]), args: [b.e] } } }, b: a.b })],
      [1, () => {
        const c = this.pick([2, 3, 0.5, 4]);
        return { e: { k: "bin", op: "/", a: a.e, b: { k: "num", v: c } }, b: a.b / c };
      }],
      [0.7, () => ({ e: { k: "bin", op: "/", a: { k: "num", v: 1 }, b: { k: "math", fn: "cosh", args: [this.fit(b, 3).e] } }, b: 1 })],
    ]);
  }

  /** A strictly positive expression and its range [lo, hi]. */
  private positive(ctx: FnCtx, d: number, calls: boolean): { e: Expr; lo: number; hi: number } {
    const a = this.expr(ctx, d, calls);
    return this.weighted<{ e: Expr; lo: number; hi: number }>([
      [small(a.e) ? 3 : 0.3, () => ({ e: onePlusSquare(a.e), lo: 1, hi: 1 + a.b * a.b })],
      [2, () => ({ e: { k: "bin", op: "+", a: { k: "num", v: 2 }, b: { k: "math", fn: this.pick(["sin", "cos"]), args: [a.e] } }, lo: 1, hi: 3 })],
      [1, () => {
        const f = this.fit(a, 3);
        return { e: { k: "math", fn: "exp", args: [f.e] }, lo: Math.exp(-f.b), hi: Math.exp(f.b) };
      }],
      [1, () => ({ e: { k: "math", fn: "hypot", args: [a.e, { k: "num", v: 1 }] }, lo: 1, hi: Math.hypot(a.b, 1) })],
      [small(a.e) ? 0.7 : 0, () => ({ e: { k: "bin", op: "+", a: { k: "bin", op: "*", a: a.e, b: a.e }, b: { k: "num", v: 0.5 } }, lo: 0.5, hi: a.b * a.b + 0.5 })],
      [0.5, () => ({ e: { k: "bin", op: "+", a: { k: "math", fn: "abs", args: [a.e] }, b: { k: "num", v: 0.5 } }, lo: 0.5, hi: a.b + 0.5 })],
    ]);
  }

  private math1(ctx: FnCtx, d: number, calls: boolean): Bounded {
    const fn = this.pick([
      "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "expm1", "log", "log1p", "log2", "log10",
      "sqrt", "cbrt", "abs", "sign", "floor", "ceil", "round", "trunc", "asinh", "acosh", "atanh", "clz32", "imul",
    ]);
    const m = (arg: Expr): Expr => ({ k: "math", fn, args: [arg] });
    switch (fn) {
      case "sin":
      case "cos":
      case "tanh":
        return { e: m(this.expr(ctx, d, calls).e), b: 1 };
      case "atan":
        return { e: m(this.expr(ctx, d, calls).e), b: Math.PI / 2 };
      case "tan": {
        const a = this.expr(ctx, d, calls);
        const arg = a.b <= 1.2 ? a.e : { k: "math" as const, fn: this.pick(["sin", "cos", "tanh"]), args: [a.e] };
        return { e: m(arg), b: Math.tan(Math.min(a.b, 1.2)) };
      }
      case "asin":
      case "acos": {
        const a = this.expr(ctx, d, calls);
        const arg: Expr = a.b <= 0.9
          ? a.e
          : this.weighted<Expr>([
              [2, () => ({ k: "bin", op: "*", a: { k: "num", v: 0.9 }, b: { k: "math", fn: "tanh", args: [a.e] } })],
              [1, () => ({ k: "bin", op: "*", a: { k: "num", v: 0.9 }, b: { k: "math", fn: "sin", args: [a.e] } })],
              [small(a.e) ? 1 : 0, () => ({ k: "bin", op: "/", a: a.e, b: { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "bin", op: "*", a: a.e, b: a.e } } })],
            ]);
        return { e: m(arg), b: Math.PI };
      }
      case "sinh":
      case "cosh":
      case "exp":
      case "expm1": {
        const a = this.fit(this.expr(ctx, d, calls), 3);
        return { e: m(a.e), b: Math.exp(a.b) };
      }
      case "log":
      case "log2":
      case "log10": {
        const p = this.positive(ctx, d, calls);
        return { e: m(p.e), b: Math.max(Math.abs(Math.log2(p.lo)), Math.abs(Math.log2(p.hi)), 0.1) };
      }
      case "log1p": {
        const a = this.expr(ctx, d, calls);
        return this.weighted<Bounded>([
          [small(a.e) ? 2 : 0.2, () => ({ e: m({ k: "bin", op: "*", a: a.e, b: a.e }), b: Math.log1p(a.b * a.b) })],
          [1, () => ({ e: m({ k: "bin", op: "*", a: { k: "num", v: 0.9 }, b: { k: "math", fn: "tanh", args: [a.e] } }), b: 2.31 })],
          [1, () => ({ e: m({ k: "math", fn: "abs", args: [a.e] }), b: Math.log1p(a.b) })],
        ]);
      }
      case "sqrt": {
        const p = this.positive(ctx, d, calls);
        return { e: m(p.e), b: Math.sqrt(p.hi) };
      }
      case "cbrt": {
        // Shifted away from an exact zero (a constant 0 would make cbrt'(0) * 0 = NaN).
        const a = this.expr(ctx, d, calls);
        const shift = this.pick([0.5125, -0.7375, 1.5625]);
        return { e: m({ k: "bin", op: "+", a: a.e, b: { k: "num", v: shift } }), b: Math.cbrt(a.b + Math.abs(shift)) };
      }
      case "abs": {
        const a = this.expr(ctx, d, calls);
        return { e: m(a.e), b: a.b };
      }
      case "sign":
        return { e: m(this.expr(ctx, d, calls).e), b: 1 };
      case "asinh": {
        const a = this.expr(ctx, d, calls);
        return { e: m(a.e), b: Math.asinh(a.b) };
      }
      case "acosh": {
        // 1 + p with p > 0: inside the domain, away from the infinite slope at 1.
        const p = this.positive(ctx, d, calls);
        return { e: m({ k: "bin", op: "+", a: { k: "num", v: 1 }, b: p.e }), b: Math.acosh(1 + p.hi) };
      }
      case "atanh": {
        const a = this.expr(ctx, d, calls);
        return { e: m({ k: "bin", op: "*", a: { k: "num", v: 0.9 }, b: { k: "math", fn: "tanh", args: [a.e] } }), b: Math.atanh(0.9) };
      }
      case "clz32": {
        // Integer-valued, piecewise constant: 0..32.
        return { e: m(this.expr(ctx, d, calls).e), b: 32 };
      }
      case "imul": {
        const a = this.fit(this.expr(ctx, d, calls), 1000);
        return { e: { k: "math", fn, args: [a.e, { k: "num", v: 3 }] }, b: 3 * a.b + 3 };
      }
      default: {
        // floor, ceil, round, trunc: piecewise constant.
        const a = this.expr(ctx, d, calls);
        return { e: m(a.e), b: a.b + 1 };
      }
    }
  }

  private math2(ctx: FnCtx, d: number, calls: boolean): Bounded {
    const a = this.expr(ctx, d, calls);
    const b = this.expr(ctx, d, calls);
    return this.weighted<Bounded>([
      [1.5, () => {
        const fn = this.pick(["min", "max"]);
        if (this.chance(0.3)) {
          const c = this.expr(ctx, d, calls);
          return { e: { k: "math", fn, args: [a.e, b.e, c.e] }, b: Math.max(a.b, b.b, c.b) };
        }
        return { e: { k: "math", fn, args: [a.e, b.e] }, b: Math.max(a.b, b.b) };
      }],
      [1, () => {
        // hypot with a nonzero constant argument: never at its kink (all zero).
        const args = this.chance(0.5) ? [a.e, b.e, { k: "num" as const, v: 1 }] : [a.e, { k: "num" as const, v: 0.5 }];
        return { e: { k: "math", fn: "hypot", args }, b: a.b + b.b + 1 };
      }],
      [1, () => {
        // atan2(y, x) with x > 0 mostly; the general form crosses its branch cut (x is shifted so
        // that a constant 0 cannot put it at the origin, where its derivative is 0/0).
        // (0.5125, not 0.5: constants such as -(2 % 0.75) cancel a round shift exactly.)
        const x: Expr = this.chance(0.7) ? this.positive(ctx, d, calls).e : { k: "bin", op: "+", a: b.e, b: { k: "num", v: 0.5125 } };
        return { e: { k: "math", fn: "atan2", args: [a.e, x] }, b: Math.PI };
      }],
    ]);
  }

  private power(ctx: FnCtx, d: number, calls: boolean): Bounded {
    const usePow = this.chance(0.6);
    const mk = (base: Expr, exponent: Expr): Expr => (usePow ? { k: "math", fn: "pow", args: [base, exponent] } : { k: "bin", op: "**", a: base, b: exponent });
    return this.weighted<Bounded>([
      // Any base, small integer exponent.
      [2, () => {
        const a = this.fit(this.expr(ctx, d, calls), 4);
        const k = this.pick([2, 3, 1, 0]);
        return { e: mk(a.e, { k: "num", v: k }), b: Math.max(1, a.b ** k) };
      }],
      // Positive base, any (bounded) exponent.
      [2, () => {
        const p = this.positive(ctx, d, calls);
        const base = p.hi > 8 ? { e: { k: "math" as const, fn: "sqrt", args: [p.e] }, lo: Math.sqrt(p.lo), hi: Math.sqrt(p.hi) } : p;
        const y = this.fit(this.expr(ctx, d, calls), 2);
        const bound = Math.max(base.hi ** y.b, base.lo ** -y.b, 1);
        return { e: mk(base.e, y.e), b: bound };
      }],
      // Positive base, constant fractional exponent.
      [1, () => {
        const p = this.positive(ctx, d, calls);
        const y = this.pick([0.5, 1.5, -0.5, -1, 2.5]);
        return { e: mk(p.e, { k: "num", v: y }), b: Math.max(p.hi ** y, p.lo ** y) };
      }],
    ]);
  }
}

const PARAM_ATYPE: Record<ParamKind, VarInfo["atype"]> = {
  rows: undefined,
  num: undefined,
  int: undefined,
  struct: undefined,
  vec: "number[]",
  f64: "Float64Array",
  roVec: "readonly number[]",
  mat: "number[][]",
};

// ---------------------------------------------------------------- structured types

/** Bound on the numbers of local structures and of structured results. */
const STRUCT_CAP = 3;

const NUM: Shape = { k: "num" };
const VEC2: Shape = { k: "obj", name: "Vec2", fields: [{ name: "x", shape: NUM }, { name: "y", shape: NUM }] };
const VEC3: Shape = { k: "obj", name: "Vec3", fields: ["x", "y", "z"].map((name) => ({ name, shape: NUM })) };
const PAIR: Shape = { k: "tuple", name: "Pair", items: [NUM, NUM] };
const PARTICLE: Shape = {
  k: "obj",
  name: "Particle",
  fields: [{ name: "pos", shape: VEC2 }, { name: "vel", shape: VEC2 }, { name: "mass", shape: NUM }, { name: "fixed", shape: { k: "bool" } }],
};
const SEGMENT: Shape = { k: "obj", name: "Segment", fields: [{ name: "from", shape: VEC2 }, { name: "to", shape: VEC2 }] };
const STATE: Shape = { k: "obj", name: "State", fields: [{ name: "pos", shape: NUM }, { name: "vel", shape: NUM }, { name: "on", shape: { k: "bool" } }] };

/** The program's type declarations (structs mode). */
const TYPES: TypeDecl[] = [
  { name: "Vec2", style: "type", shape: VEC2 },
  { name: "Vec3", style: "interface", shape: VEC3 },
  { name: "Pair", style: "type", shape: PAIR },
  { name: "Particle", style: "interface", shape: PARTICLE },
  { name: "Segment", style: "type", shape: SEGMENT },
  { name: "State", style: "interface", shape: STATE },
];

/** Rows mode: elements of arrays of objects hold numbers only. */
const BODY: Shape = { k: "obj", name: "Body", fields: [{ name: "pos", shape: VEC2 }, { name: "vel", shape: VEC2 }, { name: "mass", shape: NUM }] };
/** Index fields `i`, `j` into an array of objects (see INDEX_FIELDS). */
const SPRING: Shape = { k: "obj", name: "Spring", fields: [{ name: "i", shape: NUM }, { name: "j", shape: NUM }, { name: "rest", shape: NUM }] };
const ROW_TYPES: TypeDecl[] = [
  { name: "Body", style: "interface", shape: BODY },
  { name: "Spring", style: "interface", shape: SPRING },
];
/** Element types of arrays of objects and tuples (Spring apart: only a parameter, never built). */
const ROW_SHAPES: Shape[] = [BODY, BODY, VEC2, PAIR, { k: "tuple", items: [NUM, NUM] }];

/** An element view (`r[i]`, `const a = r[k]`, a for...of element): never shared (TSG1051), never a swap target (swap-element-fields). */
function markElement(v: VarInfo): void {
  v.written = true;
  v.element = true;
}

function hasIndexField(s: Shape): boolean {
  return s.k === "obj" && s.name === "Spring";
}

function isIndexPath(s: Shape, path: (string | number)[]): boolean {
  return hasIndexField(s) && path.length === 1 && INDEX_FIELDS.includes(String(path[0]));
}

/** Structured results: numbers only (a boolean field would make the function not differentiable). */
const RESULT_SHAPES: Shape[] = [
  VEC2,
  VEC3,
  PAIR,
  SEGMENT,
  { k: "obj", fields: [{ name: "lo", shape: NUM }, { name: "hi", shape: NUM }] },
  { k: "tuple", items: [NUM, NUM, NUM] },
  { k: "tuple", items: [NUM, VEC2] },
  { k: "obj", fields: [{ name: "span", shape: PAIR }, { name: "gain", shape: NUM }] },
];

/** Parameter and local types: the results' and those with boolean fields, a named tuple. */
const PARAM_SHAPES: Shape[] = [...RESULT_SHAPES, PARTICLE, STATE, PARTICLE, VEC2, { k: "tuple", labels: ["w0", "w1"], items: [NUM, NUM] }];

/** Two shapes are interchangeable when they agree but for type names and tuple labels. */
function shapeKey(s: Shape): string {
  switch (s.k) {
    case "num":
    case "bool":
      return s.k;
    case "obj":
      return `{${s.fields.map((f) => `${f.name}:${shapeKey(f.shape)}`).join(";")}}`;
    case "tuple":
      return `[${s.items.map(shapeKey).join(",")}]`;
  }
}

/** The number and boolean fields of a shape, with their paths. */
export function leavesOf(s: Shape, path: (string | number)[] = []): { path: (string | number)[]; shape: Shape }[] {
  if (s.k === "obj") return s.fields.flatMap((f) => leavesOf(f.shape, [...path, f.name]));
  if (s.k === "tuple") return s.items.flatMap((t, i) => leavesOf(t, [...path, i]));
  return [{ path, shape: s }];
}

/** A shape and its structured fields, with their paths. */
function subStructures(s: Shape, path: (string | number)[] = []): { path: (string | number)[]; shape: Shape }[] {
  if (s.k === "obj") return [{ path, shape: s }, ...s.fields.flatMap((f) => subStructures(f.shape, [...path, f.name]))];
  if (s.k === "tuple") return [{ path, shape: s }, ...s.items.flatMap((t, i) => subStructures(t, [...path, i]))];
  return [];
}

function hasTuple(s: Shape): boolean {
  return s.k === "tuple" || (s.k === "obj" && s.fields.some((f) => hasTuple(f.shape)));
}

/** The number fields of a literal (nested literals included), to read and replace. */
function numberSlots(v: SVal, path: (string | number)[] = []): { path: (string | number)[]; get: () => Expr; set: (e: Expr) => void }[] {
  const parts: { key: string | number; get: () => Expr | Cond | SVal; set: (e: Expr) => void }[] =
    v.k === "obj"
      ? v.fields.map((f) => ({ key: f.name, get: () => f.value, set: (e: Expr) => (f.value = e) }))
      : v.k === "tup"
        ? v.items.map((_, i) => ({ key: i, get: () => v.items[i]!, set: (e: Expr) => (v.items[i] = e) }))
        : [];
  return parts.flatMap((p) => {
    const x = p.get();
    if (isSVal(x)) return numberSlots(x, [...path, p.key]);
    if (isCond(x)) return [];
    return [{ path: [...path, p.key], get: () => p.get() as Expr, set: p.set }];
  });
}

/** `{ ...p, pos: { ...p.pos } }` or `{ pos: { x: p.pos.x, ... }, mass: p.mass }`: a copy sharing no object with `name`. */
function deepCopy(name: string, path: (string | number)[], shape: Shape, spread: boolean): SVal {
  const part = (t: Shape, at: (string | number)[]): Expr | SVal => (t.k === "num" ? { k: "ref", name: printPath(name, at) } : deepCopy(name, at, t, spread));
  if (shape.k === "obj") {
    if (spread) return { k: "obj", spread: { k: "sref", name, path }, fields: shape.fields.filter((f) => f.shape.k !== "num").map((f) => ({ name: f.name, value: part(f.shape, [...path, f.name]) })) };
    return { k: "obj", fields: shape.fields.map((f) => ({ name: f.name, value: part(f.shape, [...path, f.name]) })) };
  }
  if (shape.k === "tuple") return { k: "tup", items: shape.items.map((t, i) => part(t, [...path, i])) };
  throw new Error("deep copy of a scalar");
}

/** An index: a variable or a literal. */
function printExprSimple(e: Expr): string {
  return e.k === "ref" ? e.name : e.k === "num" ? String(e.v) : "0";
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Whether the type of `e` is that of one of the `narrowed` variables (`i6`, `c ? i6 : 2`): a union of literals in a switch case. */
function narrowedValue(e: Expr, narrowed: string[]): boolean {
  if (e.k === "ref") return narrowed.includes(e.name);
  if (e.k === "cond") return narrowedValue(e.a, narrowed) || narrowedValue(e.b, narrowed);
  return false;
}

/**
 * Whether a literal (or a nested one) gives a boolean field a value with a bool literal inside
 * (see `hasBoolLiteral`; a bare `false` is widened to boolean, `c && false` is not).
 */
function hasBoolLiteralField(v: SVal): boolean {
  const part = (x: Expr | Cond | SVal): boolean => (isSVal(x) ? hasBoolLiteralField(x) : isCond(x) && x.k !== "bool" && hasBoolLiteral(x));
  if (v.k === "obj") return v.fields.some((f) => part(f.value));
  if (v.k === "tup") return v.items.some(part);
  return false;
}

function hasBoolLiteral(c: Cond): boolean {
  switch (c.k) {
    case "bool":
      return true;
    case "logic":
    case "beq":
      return hasBoolLiteral(c.a) || hasBoolLiteral(c.b);
    case "not":
      return hasBoolLiteral(c.a);
    default:
      return false;
  }
}

function declaresArray(body: Stmt[]): boolean {
  return body.some((s) => {
    switch (s.k) {
      case "adecl":
        return true;
      case "if":
        return declaresArray(s.then) || (s.else !== undefined && declaresArray(s.else));
      case "for":
      case "while":
      case "block":
        return declaresArray(s.body);
      default:
        return false;
    }
  });
}

/** Whether `body` has a `break` that leaves the switch it is a case of (not one of a nested loop or switch). */
function breaksSwitch(body: Stmt[]): boolean {
  return body.some((s) => {
    switch (s.k) {
      case "break":
        return s.label === undefined;
      case "if":
        return breaksSwitch(s.then) || (s.else !== undefined && breaksSwitch(s.else));
      case "block":
        return breaksSwitch(s.body);
      default:
        return false;
    }
  });
}

/** Expressions small enough to appear twice in a formula. */
function small(e: Expr): boolean {
  return size(e) <= 4;
}

function size(e: Expr): number {
  switch (e.k) {
    case "num":
    case "ref":
    case "length":
      return 1;
    case "neg":
      return 1 + size(e.a);
    case "bin":
      return 1 + size(e.a) + size(e.b);
    case "math":
    case "call":
      return 1 + e.args.reduce((s, a) => s + size(a), 0);
    case "cond":
      return 1 + size(e.a) + size(e.b) + 2;
    case "index":
      return 1 + size(e.index);
    case "struct":
      return 3;
    case "reduce":
      return 3 + size(e.body);
    case "spread":
      return 2;
  }
}

function readsInt(e: Expr, ints: VarInfo[]): boolean {
  return e.k === "ref" ? ints.some((v) => v.name === e.name) : e.k === "bin" ? readsInt(e.a, ints) || readsInt(e.b, ints) : false;
}

/** Whether `e` reads a local or parameter (not only literals and module constants). */
function readsVariable(e: Expr, ctx: FnCtx): boolean {
  switch (e.k) {
    case "ref":
      return !e.name.startsWith("Math.") && ctx.scopes[0]!.vars.get(e.name) === undefined;
    case "num":
      return false;
    case "length":
    case "index":
    case "struct":
    case "reduce":
    case "spread":
      return true;
    case "neg":
      return readsVariable(e.a, ctx);
    case "bin":
      return readsVariable(e.a, ctx) || readsVariable(e.b, ctx);
    case "math":
    case "call":
      return e.args.some((a) => readsVariable(a, ctx));
    case "cond":
      return readsVariable(e.a, ctx) || readsVariable(e.b, ctx);
  }
}

function onePlusSquare(e: Expr): Expr {
  return { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "bin", op: "*", a: e, b: e } };
}

const DEFAULTS: Required<GenOptions> = { avoid: [], arrays: false, structs: false, rows: false, methods: false, methodsV1: false, classes: false, reassign: false, idioms: false, maxHelpers: 3, maxExported: 2, maxStatements: 14 };

export function generateProgram(seed: number, options: GenOptions = {}): Program {
  const opts = { ...DEFAULTS, ...options };
  if (opts.methodsV1) opts.methods = true;
  // (Under idioms only: the other modes' options, and so their programs, stay as they were.)
  if (opts.idioms) {
    opts.methods = true;
    opts.maxExported = Math.min(opts.maxExported, 1);
    opts.maxHelpers = Math.min(opts.maxHelpers, 2);
  }
  if (opts.methods) opts.arrays = opts.rows = true;
  if (opts.reassign) opts.arrays = true;
  if (opts.classes) opts.structs = true;
  if (opts.rows) opts.structs = true;
  const program = new Gen(seed >>> 0, opts).program();
  if (opts.idioms) program.raw = idiomUnits(seed >>> 0, opts.avoid);
  return program;
}

/** The seed of program `index` of a run with seed `runSeed` (a stateless mix, so any program can be regenerated alone). */
export function programSeed(runSeed: number, index: number): number {
  let h = (Math.imul(runSeed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
