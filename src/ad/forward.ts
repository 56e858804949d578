/**
 * Forward mode: `f_jvp` computes the value and the directional derivative in one sweep.
 *
 * Each active statement gets a tangent statement beside it (`dy = cos(x) * dx` next to
 * `y = sin(x)`); control flow, loops and declarations stay as they are. A callee gets a tangent
 * routine `g_tangent(x, dx, ...)` that returns the value and pushes the tangent on the tape
 * (the caller pops it at once), so calls in loops allocate nothing.
 */
import type { Expr, IrFunction, IrProgram, Stmt, Type, Var } from "../ir/nodes.js";
import { NUMBER, Var as VarClass, isArrayType, isDifferentiableType } from "../ir/nodes.js";
import { analyzeActivity, type Activity } from "../analysis/activity.js";
import { assignedVars, varsOf } from "../ir/walk.js";
import { typeText } from "../frontend/types.js";
import { type MaybeExpr, mul, negate, sum } from "../ir/build.js";
import { DerivativeVars, type GenFunction, InternalError, activeParametersDoc, mirrorTypeText, variablesOf, withPrintableInit, zeroLike } from "./common.js";
import { KERNELS } from "../ir/kernels.js";
import { type ModuleTypes, PublicSignature, buildResult, independentsOf, buildRowsResult, resultDerivativeTypeText, resultTypeText, rowsOf, zeroStruct } from "./signature.js";
import { leavesOf } from "../lower/shapes.js";
import { Namer, generatedName } from "./names.js";
import { primitiveOf, usesResult } from "../ir/primitives.js";
import { shareSubexpressions } from "./cse.js";

const tapePush = (value: Expr): Extract<Stmt, { k: "expr" }> => ({ k: "expr", e: { k: "runtime", fn: "tape.push", args: [value] } });
const tapePop: Expr = { k: "runtime", fn: "tape.pop", args: [] };

/**
 * Tangent routines of callees are generated per pattern of active arguments: a constant
 * argument gets no tangent at all (a structural zero), so an infinite partial at a singular
 * point (cbrt'(0)) is not multiplied by a zero tangent into NaN, and no work is spent on it.
 */
export class TangentRoutines {
  private readonly requested = new Map<string, { fn: string; active: string[]; copies: number }>();
  private readonly order: string[] = [];

  /**
   * The routine for `fn` with tangents for the parameters named in `active`; with `copies` > 1
   * (vector mode) `copies` tangents per parameter (`g_tangent_x3`).
   */
  request(fn: IrFunction, active: string[], copies = 1): string {
    const differentiable = fn.params.filter((p) => isDifferentiableType(p.v.type)).map((p) => p.v.name);
    const all = differentiable.length === active.length;
    const plain = all ? generatedName.tangent(fn.name) : `${generatedName.tangent(fn.name)}_${active.length === 0 ? "none" : active.join("_")}`;
    const name = copies > 1 ? `${plain}_x${copies}` : plain;
    if (!this.requested.has(name)) {
      this.requested.set(name, { fn: fn.name, active, copies });
      this.order.push(name);
    }
    return name;
  }

  /** Generates every requested routine, including those the generated ones request. */
  generate(program: IrProgram, reserved: string[]): GenFunction[] {
    const out: GenFunction[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const name = this.order[i]!;
      const { fn, active, copies } = this.requested.get(name)!;
      out.push(internalTangent(program.functions.get(fn)!, program, reserved, name, new Set(active), this, copies));
    }
    return out;
  }
}

export class ForwardTransform {
  /** The tangents (of the first direction, in vector mode). */
  readonly tangents: DerivativeVars;
  /**
   * Vector mode (several directions in one sweep): one set of tangents per direction, `dx_0`,
   * `dx_1`, ...; the primal statements run once, each tangent statement once per direction.
   */
  readonly tangentSets: DerivativeVars[];
  readonly activity: Activity;
  /** In vector mode, the direction whose tangent code is being written. */
  private copy = 0;

  constructor(
    readonly fn: IrFunction,
    readonly program: IrProgram,
    readonly namer: Namer,
    independents: Var[],
    private readonly internal: boolean,
    private readonly routines: TangentRoutines,
    /**
     * For second order (ad/second-order.ts): the directional function of a callee, called
     * instead of its tangent routine; it returns `[value, tangent]`.
     */
    private readonly directionalOf?: (callee: IrFunction) => string,
    /** Directions per sweep: more than one for vector mode. */
    readonly copies = 1,
  ) {
    this.tangentSets = copies === 1 ? [new DerivativeVars(namer)] : Array.from({ length: copies }, (_, k) => new DerivativeVars(namer, k));
    this.tangents = this.tangentSets[0]!;
    this.activity = analyzeActivity(fn, independents);
  }

  private tan(v: Var): Var {
    return this.tangentSets[this.copy]!.of(v);
  }

  /** `code()` for each direction in turn (once outside vector mode), concatenated. */
  perCopy<T>(code: (copy: number) => T[]): T[] {
    const out: T[] = [];
    for (let k = 0; k < this.copies; k++) {
      this.copy = k;
      out.push(...code(k));
    }
    this.copy = 0;
    return out;
  }

  /** Tangent of an array expression `a` or `m[i]`: `da`, `dm[i]`. */
  private tanArray(e: Expr): Expr {
    if (e.k === "var") return { k: "var", v: this.tan(e.v) };
    if (e.k === "index") return { k: "index", array: this.tanArray(e.array), index: e.index };
    throw new InternalError(`array expression ${e.k} has no tangent`);
  }

  /** The tangent of `e`, or null when it is zero. `result` is a variable holding e's value. */
  tangentOf(e: Expr, result?: Expr): MaybeExpr {
    switch (e.k) {
      case "num":
      case "bool":
      case "str":
      case "length":
      case "compare":
      case "logical":
      case "not":
      // (`undefined` for an optional parameter left out: a constant.)
      case "raw":
        return null;
      case "var":
        return this.activity.isActive(e.v) ? { k: "var", v: this.tan(e.v) } : null;
      case "neg":
        return negate(this.tangentOf(e.a));
      case "binary":
      case "math": {
        const args = e.k === "binary" ? [e.a, e.b] : e.args;
        const argTangents = args.map((a) => this.tangentOf(a));
        if (argTangents.every((t) => t === null)) return null;
        const partials = primitiveOf(e).partials(args, result ?? e);
        return sum(argTangents.map((t, i) => (t === null ? null : mul(partials[i] ?? null, t))));
      }
      case "cond": {
        const a = this.tangentOf(e.a);
        const b = this.tangentOf(e.b);
        if (a === null && b === null) return null;
        return { k: "cond", test: e.test, a: a ?? { k: "num", value: 0 }, b: b ?? { k: "num", value: 0 } };
      }
      case "index": {
        if (!this.activity.isActiveExpr(e.array)) return null;
        return { k: "index", array: this.tanArray(e.array), index: e.index };
      }
      case "arrayLit":
        return { k: "arrayLit", type: e.type, elements: e.elements.map((x) => this.tangentOf(x) ?? { k: "num", value: 0 }) };
      case "alloc":
        return { ...e };
      default:
        throw new InternalError(`no tangent for expression ${e.k}`);
    }
  }

  /**
   * `let dp = 0` for parameters that are not differentiated but become active because the
   * function assigns them from active values.
   */
  zeroTangentsOfParameters(independents: Var[]): Stmt[] {
    return this.perCopy(() =>
      this.fn.params
        .map((p) => p.v)
        .filter((v) => this.activity.isActive(v) && !independents.includes(v))
        .map((v) => ({ k: "declare", v: this.tan(v), init: zeroLike(v.type, { k: "var", v }), mutable: true }) as Stmt),
    );
  }

  stmts(body: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of body) out.push(...this.stmt(s));
    return out;
  }

  private stmt(s: Stmt): Stmt[] {
    switch (s.k) {
      case "assign":
        return this.shared(this.assign(s));
      case "store": {
        if (!this.activity.isActiveExpr(s.array)) return [s];
        return this.shared([...this.perCopy((): Stmt[] => [{ k: "store", array: this.tanArray(s.array), index: s.index, value: this.tangentOf(s.value) ?? { k: "num", value: 0 }, node: s.node }]), s]);
      }
      case "if":
        return [{ ...s, then: this.stmts(s.then), else: this.stmts(s.else) }];
      case "loop":
        return withPrintableInit({ ...s, init: this.stmts(s.init), update: this.stmts(s.update), body: this.stmts(s.body) });
      case "return": {
        // (In vector mode, one tangent per direction: `tangent_0`, `tangent_1`, ..., pushed in that order by a routine.)
        const tangentName = (k: number) => (this.copies > 1 ? `tangent_${k}` : "tangent");
        // A result whose derivative reads it (`return Math.hypot(a, b)`) is computed once, into `value`.
        if (!this.fn.resultShape && this.fn.returnType.kind === "number" && usesResult(s.value)) {
          const value = new VarClass("value", NUMBER, "generated");
          const tangents = this.perCopy(() => [this.tangentOf(s.value, { k: "var", v: value }) ?? ({ k: "num", value: 0 } as Expr)]);
          const declare: Stmt = { k: "declare", v: value, init: s.value, mutable: false, node: s.node };
          if (this.internal) return this.shared([declare, ...tangents.map((tangent) => ({ ...tapePush(tangent), node: s.node })), { k: "genReturn", value: { k: "var", v: value }, node: s.node }]);
          return this.shared([declare, { k: "genReturn", value: { k: "object", fields: [{ name: "value", value: { k: "var", v: value } }, ...tangents.map((t, k) => ({ name: tangentName(k), value: t }))] }, node: s.node }]);
        }
        const tangents = this.perCopy(() => [this.tangentOf(s.value) ?? zeroLike(this.fn.returnType, s.value)]);
        const both: Expr = { k: "object", fields: [{ name: "value", value: s.value }, ...tangents.map((t, k) => ({ name: tangentName(k), value: t }))] };
        // A structured result (its leaves as a vector literal) goes back to the source's shape.
        const shape = this.fn.resultShape;
        if (shape?.kind === "rows" && !this.internal) {
          if (this.copies > 1) throw new InternalError("no vector mode for an array of structures");
          // An array of structures: objects again, from the columns one after the other.
          const count = new VarClass("count", NUMBER, "generated");
          const columns = leavesOf(shape).length;
          const raw = this.tangentOf(s.value);
          const both: Expr = {
            k: "object",
            fields: [
              { name: "value", value: buildRowsResult(shape, s.value, { k: "var", v: count }) },
              { name: "tangent", value: raw ? buildRowsResult(shape, raw, { k: "var", v: count }, "derivative") : rowsOf({ k: "var", v: count }, zeroStruct(shape.type.element)) },
            ],
          };
          return [
            { k: "declare", v: count, init: { k: "binary", op: "/", a: { k: "length", array: s.value }, b: { k: "num", value: columns } }, mutable: false, node: s.node },
            { k: "genReturn", value: both, node: s.node },
          ];
        }
        if (shape && !this.internal && s.value.k === "arrayLit") {
          const leaves = s.value.elements;
          const leafTangents = (t: Expr) => (t.k === "arrayLit" ? t.elements : leaves.map(() => ({ k: "num", value: 0 }) as Expr));
          const rebuilt: Expr = {
            k: "object",
            fields: [
              { name: "value", value: buildResult(shape, (i) => leaves[i]!) },
              ...tangents.map((t, k) => ({ name: tangentName(k), value: buildResult(shape, (i) => leafTangents(t)[i]!, "derivative") })),
            ],
          };
          return this.shared([{ k: "genReturn", value: rebuilt, node: s.node }]);
        }
        if (shape && !this.internal && this.copies > 1) throw new InternalError("vector mode needs the result's leaves returned as a literal");
        if (this.internal && !isArrayType(this.fn.returnType)) {
          return this.shared([...tangents.map((t) => ({ ...tapePush(t), node: s.node })), { k: "genReturn", value: s.value, node: s.node }]);
        }
        return this.shared([{ k: "genReturn", value: both, node: s.node }]);
      }
      default:
        return [s];
    }
  }

  /**
   * A statement's primal and tangent code with their repeated calls computed once (cse.ts). Not
   * for second order, whose reverse transform takes this code as a program of its own.
   */
  private shared(code: Stmt[]): Stmt[] {
    return this.directionalOf ? code : shareSubexpressions(code);
  }

  private assign(s: Extract<Stmt, { k: "assign" }>): Stmt[] {
    const target = s.target;
    if (!this.activity.isActive(target)) return [s];
    const value = s.value;
    if (value.k === "call") return this.call(s, value, this.tan(target));
    if (value.k === "runtime") return [s, ...this.perCopy(() => this.kernel(s, value, this.tan(target)))];
    const selfReferencing = varsOf(value).has(target);
    if (selfReferencing) {
      // The tangent reads the old value of the target: compute it first.
      return [...this.perCopy((): Stmt[] => [{ k: "assign", target: this.tan(target), value: this.tangentOf(value) ?? { k: "num", value: 0 }, declare: s.declare, node: s.node }]), s];
    }
    const result = usesResult(value) ? ({ k: "var", v: target } as Expr) : undefined;
    const tangent = () => this.tangentOf(value, result) ?? (isArrayType(target.type) ? zeroLike(target.type, { k: "var", v: target }) : ({ k: "num", value: 0 } as Expr));
    return [s, ...this.perCopy((): Stmt[] => [{ k: "assign", target: this.tan(target), value: tangent(), declare: s.declare, node: s.node }])];
  }

  /** `y = g(a, b)` -> `y = g_tangent(a, da, b, db); dy = tape.pop()`. */
  /**
   * `y = g(a, b)` -> `y = g_tangent(a, da, b, db); dy = tape.pop()`. In vector mode
   * `y = g_tangent_x2(a, da_0, da_1, b, db_0, db_1)`, which pushes dy_0 then dy_1 (popped in
   * reverse), or returns `{ value, tangent_0, tangent_1 }` for an array.
   */
  private call(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "call" }>, t: Var): Stmt[] {
    const callee = this.program.functions.get(call.fn);
    if (!callee) throw new InternalError(`unknown callee ${call.fn}`);
    if (callee.custom) return this.perCopy((k) => this.declaredCall(s, call, callee, this.tan(s.target), k === 0));
    if (this.directionalOf) return this.directionalCall(s, call, callee, t, this.directionalOf(callee));
    const args: Expr[] = [];
    const active: string[] = [];
    call.args.forEach((a, i) => {
      args.push(a);
      const p = callee.params[i]!;
      if (!isDifferentiableType(p.v.type)) return;
      const tangents = this.perCopy(() => [this.tangentOf(a)]);
      if (tangents[0] === null) return;
      args.push(...(tangents as Expr[]));
      active.push(p.v.name);
    });
    const tangentCall: Expr = { k: "call", fn: this.routines.request(callee, active, this.copies), args };
    if (isArrayType(callee.returnType)) {
      const both = new VarClass(`${callee.sourceName}_result`, NUMBER, "generated");
      return [
        { k: "declare", v: both, init: tangentCall, mutable: false, node: s.node },
        { ...s, value: { k: "field", object: { k: "var", v: both }, name: "value", optional: false } },
        ...this.perCopy((k): Stmt[] => [{ k: "assign", target: this.tan(s.target), value: { k: "field", object: { k: "var", v: both }, name: this.copies > 1 ? `tangent_${k}` : "tangent", optional: false }, declare: s.declare, node: s.node }]),
      ];
    }
    const pops = this.perCopy((): Stmt[] => [{ k: "assign", target: this.tan(s.target), value: tapePop, declare: s.declare, node: s.node }]);
    return [{ ...s, value: tangentCall }, ...pops.reverse()];
  }

  /**
   * A kernel's tangent written with kernels (for second order: the reverse transform knows
   * their derivatives, not those of `*_jvp`): `dot(da, b) + dot(a, db)`, `sum(da)`,
   * `matvec(dA, x) + matvec(A, dx)` (by axpy), `axpy(alpha, dx, axpy(dalpha, x, dy))`,
   * `dot(softmax(a), da)` for logsumexp, `s * (1 - s) * dx` with `s = sigmoid(x)`,
   * `sigmoid(x) * dx` for softplus. Each kernel call is a statement of its own.
   */
  private kernelTangentByKernels(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "runtime" }>, t: Var): Stmt[] {
    const out: Stmt[] = [];
    const VEC: Type = { kind: "vector", repr: "f64", readonly: false };
    const temp = (name: string, type: Type, value: Expr): Expr => {
      const v = new VarClass(name, type, "temp", true);
      out.push({ k: "assign", target: v, value, declare: "const", node: s.node });
      return { k: "var", v };
    };
    const kernel = (fn: string, ...args: Expr[]): Expr => ({ k: "runtime", fn, args });
    const [a, b, c] = call.args as [Expr, Expr | undefined, Expr | undefined];
    const da = this.tangentOf(a);
    const db = b ? this.tangentOf(b) : null;
    const dc = c ? this.tangentOf(c) : null;
    const zero: Expr = { k: "num", value: 0 };
    const mulE = (x: Expr, y: Expr): Expr => ({ k: "binary", op: "*", a: x, b: y });
    const addE = (x: Expr | null, y: Expr | null): Expr => (x && y ? { k: "binary", op: "+", a: x, b: y } : (x ?? y ?? zero));
    let tangent: Expr;
    switch (call.fn) {
      case "dot":
        tangent = addE(da ? temp("dot_da", NUMBER, kernel("dot", da, b!)) : null, db ? temp("dot_db", NUMBER, kernel("dot", a, db)) : null);
        break;
      case "sum":
        tangent = da ? kernel("sum", da) : zero;
        break;
      case "logsumexp":
        tangent = da ? kernel("dot", temp("softmax", VEC, kernel("softmax", a)), da) : zero;
        break;
      case "sigmoid": {
        if (!da) {
          tangent = zero;
          break;
        }
        const sig = temp("sigmoid", NUMBER, kernel("sigmoid", a));
        tangent = mulE(mulE(sig, { k: "binary", op: "-", a: { k: "num", value: 1 }, b: sig }), da);
        break;
      }
      case "softplus":
        tangent = da ? mulE(temp("sigmoid", NUMBER, kernel("sigmoid", a)), da) : zero;
        break;
      case "matvec": {
        const terms = [da ? temp("matvec_dA", VEC, kernel("matvec", da, b!)) : null, db ? temp("matvec_dx", VEC, kernel("matvec", a, db)) : null].filter((x): x is Expr => x !== null);
        tangent = terms.length === 2 ? kernel("axpy", { k: "num", value: 1 }, terms[0]!, terms[1]!) : terms.length === 1 ? terms[0]! : { k: "alloc", type: VEC, length: { k: "length", array: a } };
        break;
      }
      case "axpy": {
        // d(alpha x + y) = alpha dx + dalpha x + dy.
        let r: Expr | null = dc;
        if (da) r = temp("axpy_dalpha", VEC, kernel("axpy", da, b!, r ?? { k: "alloc", type: VEC, length: { k: "length", array: b! } }));
        if (db) r = kernel("axpy", a, db, r ?? { k: "alloc", type: VEC, length: { k: "length", array: b! } });
        tangent = r ?? { k: "alloc", type: VEC, length: { k: "length", array: b! } };
        break;
      }
      default:
        throw new InternalError(`no second-order rule for kernel ${call.fn}`);
    }
    out.push({ k: "assign", target: t, value: tangent, declare: s.declare, node: s.node });
    return out;
  }

  /**
   * `y = g(a, b)` in a directional function: `const pair = g_directional(a, b, da, db);
   * y = pair[0]; dy = pair[1]` (a tangent of zeros for an argument without one).
   */
  private directionalCall(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "call" }>, callee: IrFunction, t: Var, name: string): Stmt[] {
    const tangents: Expr[] = [];
    call.args.forEach((a, i) => {
      const p = callee.params[i]!;
      if (!isDifferentiableType(p.v.type)) return;
      // (Zeros of the parameter's own array type: `number[]` for `readonly number[]`.)
      const repr = p.v.type.kind === "vector" ? p.v.type.repr : "f64";
      const zero: Expr = isArrayType(p.v.type) ? { k: "alloc", type: { kind: "vector", repr, readonly: false }, length: { k: "length", array: a } } : { k: "num", value: 0 };
      tangents.push(this.tangentOf(a) ?? zero);
    });
    const pair = new VarClass(`${callee.sourceName}_pair`, { kind: "vector", repr: "array", readonly: false }, "temp", true);
    const declarePair: Stmt = { k: "assign", target: pair, value: { k: "call", fn: name, args: [...call.args, ...tangents] }, declare: "const", node: s.node };
    if (isArrayType(callee.returnType)) {
      // `[...value, ...tangent]`: two arrays of half its length, copied out.
      const half: Expr = { k: "binary", op: "/", a: { k: "length", array: { k: "var", v: pair } }, b: { k: "num", value: 2 } };
      const k = new VarClass("k", NUMBER, "temp");
      const at = (offset: Expr | undefined): Expr => ({ k: "index", array: { k: "var", v: pair }, index: offset ? { k: "binary", op: "+", a: offset, b: { k: "var", v: k } } : { k: "var", v: k } });
      const alloc: Expr = { k: "alloc", type: s.target.type, length: half };
      return [
        declarePair,
        { ...s, value: alloc },
        { k: "assign", target: t, value: { ...alloc }, declare: s.declare, node: s.node },
        copyLoop(k, half, [
          { k: "store", array: { k: "var", v: s.target }, index: { k: "var", v: k }, value: at(undefined) },
          { k: "store", array: { k: "var", v: t }, index: { k: "var", v: k }, value: at(half) },
        ]),
      ];
    }
    const at = (k: number): Expr => ({ k: "index", array: { k: "var", v: pair }, index: { k: "num", value: k } });
    return [declarePair, { ...s, value: at(0) }, { k: "assign", target: t, value: at(1), declare: s.declare, node: s.node }];
  }

  /**
   * `y = f(a, b)` of a function whose derivative the user declared:
   * `const r = f_jvp(a, b, { a: da, b: db }); y = r.value; dy = r.tangent`.
   */
  private declaredCall(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "call" }>, callee: IrFunction, t: Var, withValue = true): Stmt[] {
    if (!callee.custom?.jvp) throw new InternalError(`no declared jvp for ${callee.sourceName}`);
    const fields: { name: string; value: Expr }[] = [];
    call.args.forEach((a, i) => {
      const p = callee.params[i]!;
      const tangent = isDifferentiableType(p.v.type) ? this.tangentOf(a) : null;
      if (tangent) fields.push({ name: p.v.name, value: tangent });
    });
    const both = new VarClass("jvp", NUMBER, "generated");
    const part = (name: string): Expr => ({ k: "field", object: { k: "var", v: both }, name, optional: false });
    // (In vector mode one call per direction; the first gives the value.)
    return [
      { k: "declare", v: both, init: { k: "call", fn: callee.custom.jvp, args: [...call.args, { k: "object", fields }] }, mutable: false, node: s.node },
      ...(withValue ? [{ ...s, value: part("value") }] : []),
      { k: "assign", target: t, value: part("tangent"), declare: s.declare, node: s.node },
    ];
  }

  /** `y = dot(a, b)` -> also `dy = dot_jvp(a, da, b, db)` (this tangent statement only). */
  private kernel(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "runtime" }>, t: Var): Stmt[] {
    const spec = KERNELS[call.fn];
    if (!spec) throw new InternalError(`unknown kernel ${call.fn}`);
    if (this.directionalOf) return this.kernelTangentByKernels(s, call, t);
    const args: Expr[] = [];
    call.args.forEach((a, i) => {
      args.push(a);
      const tangent = this.tangentOf(a);
      args.push(tangent ?? (spec.params[i] === "number" ? { k: "num", value: 0 } : { k: "raw", text: "null" }));
    });
    return [{ k: "assign", target: t, value: { k: "runtime", fn: `${call.fn}_jvp`, args }, declare: s.declare, node: s.node }];
  }
}

/** `f_jvp(p..., tangents)`: value and directional derivative. */
export function publicJvp(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, routines: TangentRoutines, types: ModuleTypes): GenFunction {
  return forwardEntry(fn, program, reserved, wrt, routines, types, 1);
}

/** The name of vector mode's forward entry point with `copies` directions (`f_jvp3`). */
export function vectorForwardName(fn: string, copies: number): string {
  return `${generatedName.jvp(fn)}${copies}`;
}

/**
 * Vector-mode forward for `f_jacobian` (emit/jacobian.ts): `f_jvp<K>(p..., tangents_0, ...,
 * tangents_<K-1>)` returns `{ value, tangent_0, ..., tangent_<K-1> }`, J times each direction,
 * from one sweep: the primal statements run once, each tangent statement once per direction
 * (tangents `dx_0`, ..., `dx_<K-1>`). For a function with a structured result of numbers.
 */
export function vectorForward(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, routines: TangentRoutines, types: ModuleTypes, copies: number): GenFunction {
  return forwardEntry(fn, program, reserved, wrt, routines, types, copies);
}

function forwardEntry(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, routines: TangentRoutines, types: ModuleTypes, copies: number): GenFunction {
  const namer = new Namer(reserved);
  const signature = new PublicSignature(fn, types);
  namer.claim(signature.publicVars.values());
  namer.claim(variablesOf(fn));
  const independents = independentsOf(fn, wrt);
  const transform = new ForwardTransform(fn, program, namer, independents, false, routines, undefined, copies);
  const tangentsParams = Array.from({ length: copies }, (_, k) => new VarClass(copies > 1 ? `tangents_${k}` : "tangents", NUMBER, "generated"));
  const assigned = assignedVars(fn.body);
  const { params, unpack } = signature.publicParams(assigned);
  const prologue: Stmt[] = [...unpack];
  prologue.push(
    ...transform.perCopy((k) =>
      independents
        .filter((v) => transform.activity.isActive(v))
        .map((v): Stmt => ({ k: "declare", v: transform.tangentSets[k]!.of(v), init: signature.readTangent({ k: "var", v: tangentsParams[k]! }, v, namer, zeroLike(v.type, { k: "var", v })), mutable: assigned.has(v) })),
    ),
  );
  prologue.push(...transform.zeroTangentsOfParameters(independents));
  const body = [...prologue, ...transform.stmts(fn.body)];
  const valueType = fn.resultShape ? resultTypeText(fn.resultShape, types) : typeText(fn.returnType);
  const tangentType = fn.resultShape ? resultDerivativeTypeText(fn.resultShape, types) : mirrorTypeText(fn.returnType);
  if (copies > 1) {
    return {
      name: vectorForwardName(fn.name, copies),
      exported: true,
      doc: [
        `Vector-mode forward: the value of \`${fn.sourceName}\` and its directional derivatives along \`tangents_k\` for each k < ${copies}`,
        `(a missing tangent counts as zero), from one sweep: the primal statements run once, each tangent statement`,
        `once per direction (tangents \`dx_0\` ... \`dx_${copies - 1}\`). \`${fn.name}_jacobian\` calls it; call it yourself for`,
        `${copies} columns of a Jacobian at once, laid out as you need them.`,
        activeParametersDoc(independents, (v) => transform.activity.isActive(v), { of: (v) => signature.member(v, namer) }),
      ],
      params: [...params, ...tangentsParams.map((v) => ({ v, type: signature.derivativeTypeText(independents, namer, true) }))],
      returnType: `{ value: ${valueType}; ${tangentsParams.map((_, k) => `tangent_${k}: ${tangentType}`).join("; ")} }`,
      body,
      namer,
    };
  }
  const tangentsParam = tangentsParams[0]!;
  return {
    name: generatedName.jvp(fn.name),
    exported: true,
    doc: [
      `Forward mode: the value of \`${fn.sourceName}\` and its directional derivative along \`tangents\``,
      "(a missing tangent counts as zero).",
      activeParametersDoc(independents, (v) => transform.activity.isActive(v), { of: (v) => signature.member(v, namer) }),
    ],
    params: [...params, { v: tangentsParam, type: signature.derivativeTypeText(independents, namer, true) }],
    returnType: `{ value: ${valueType}; tangent: ${tangentType} }`,
    body,
    namer,
  };
}

/** `g_tangent(p1, dp1, ...)`: a callee's value, with its tangent pushed on the tape. */
function internalTangent(
  fn: IrFunction,
  program: IrProgram,
  reserved: string[],
  name: string,
  active: Set<string>,
  routines: TangentRoutines,
  copies = 1,
): GenFunction {
  const namer = new Namer(reserved);
  namer.claim(variablesOf(fn));
  const independents = fn.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type) && active.has(v.name));
  const transform = new ForwardTransform(fn, program, namer, independents, true, routines, undefined, copies);
  const params = [];
  for (const p of fn.params) {
    params.push({ v: p.v, type: typeText(p.v.type) });
    if (independents.includes(p.v)) for (const tangents of transform.tangentSets) params.push({ v: tangents.of(p.v), type: mirrorTypeText(p.v.type) });
  }
  const arrayResult = isArrayType(fn.returnType);
  const tangentFields = copies > 1 ? Array.from({ length: copies }, (_, k) => `tangent_${k}: ${mirrorTypeText(fn.returnType)}`).join("; ") : `tangent: ${mirrorTypeText(fn.returnType)}`;
  return {
    name,
    exported: false,
    doc:
      copies > 1
        ? [`Tangent of \`${fn.sourceName}\` along ${copies} directions at once (vector mode): returns its value and ${arrayResult ? "tangents" : "pushes its tangents on the tape, direction 0 first"}.`]
        : arrayResult
          ? [`Tangent of \`${fn.sourceName}\`: returns its value and tangent.`]
          : [`Tangent of \`${fn.sourceName}\`: returns its value and pushes its tangent on the tape.`],
    params,
    returnType: arrayResult ? `{ value: ${typeText(fn.returnType)}; ${tangentFields} }` : typeText(fn.returnType),
    body: [...transform.zeroTangentsOfParameters(independents), ...transform.stmts(fn.body)],
    namer,
  };
}


/** Loops added by second order (copies), numbered apart from the source's. */
let nextCopyLoop = 1_000_000;

/** `for (let k = 0; k < n; k++) body` as a source-level IR loop. */
export function copyLoop(k: Var, n: Expr, body: Stmt[]): Stmt {
  return {
    k: "loop",
    kind: "for",
    loop: { id: nextCopyLoop++ },
    init: [{ k: "assign", target: k, value: { k: "num", value: 0 }, declare: "let" }],
    test: { k: "compare", op: "<", a: { k: "var", v: k }, b: n },
    update: [{ k: "assign", target: k, value: { k: "binary", op: "+", a: { k: "var", v: k }, b: { k: "num", value: 1 } } }],
    body,
  };
}
