/**
 * Second order, reverse over forward (`--hvp`): the forward transform of `f` written back as an
 * IR function of its own, the directional derivative
 *
 *   f_directional(p..., dp...) -> [f(p), <grad f(p), dp>]
 *
 * (tangents are plain parameters and locals there), which the reverse transform then
 * differentiates like any function with a structured result. With the cotangent
 * { value: 0, tangent: 1 } its gradient is H dp with respect to p and grad f with respect to dp:
 * a Hessian-vector product and the gradient in one reverse sweep over the tangent program.
 *
 * For now `f` returns a number, takes numbers and numeric arrays, and calls nothing (helpers
 * small enough are inlined before this; runtime kernels and other calls would need their own
 * second-order rules).
 */
import type { Expr, IrFunction, IrProgram, Shape, Stmt, StructType, Var } from "../ir/nodes.js";
import { Var as VarClass, isDifferentiableType } from "../ir/nodes.js";
import { InternalError, forEachExpr, forEachStmt, forEachStmtExpr, mapExpr, mapStmtParts } from "../ir/walk.js";
import { ForwardTransform, TangentRoutines, copyLoop } from "./forward.js";
import { Namer, primalOf } from "./names.js";
import { variablesOf } from "./common.js";

/** Why `f_hvp` cannot be generated for `fn` (with the functions it calls), or undefined when it can. */
export function whyNoHvp(fn: IrFunction, program: IrProgram): string | undefined {
  if (fn.returnType.kind !== "number" || fn.resultShape) return "it does not return a number";
  if (fn.publicParams || !fn.params.every((p) => ["number", "vector", "matrix"].includes(p.v.type.kind) || !isDifferentiableType(p.v.type))) return "its parameters are not all numbers, numeric arrays and matrices";
  return whyNoDirectional(fn, program, new Set());
}

function whyNoDirectional(fn: IrFunction, program: IrProgram, visiting: Set<string>): string | undefined {
  if (visiting.has(fn.name)) return `it calls '${fn.sourceName}' recursively, which has no second-order routines yet`;
  visiting.add(fn.name);
  let why: string | undefined;
  forEachStmtExpr(fn.body, (e) => {
    forEachExpr(e, (x) => {
      if (why) return;
      if (x.k === "runtime" && !SECOND_ORDER_KERNELS.has(x.fn)) why = `it calls the runtime kernel '${x.fn}', which has no second-order rules yet (${[...SECOND_ORDER_KERNELS].join(", ")} have)`;
      if (x.k !== "call") return;
      const callee = program.functions.get(x.fn);
      if (callee?.custom && !callee.custom.namespace) why = `it reads '${callee.sourceName}(...).grad', a nested derivative (frontend/nested.ts) whose own second derivative (a third one of '${callee.sourceName.replace(/_grad$/, "")}') is not supported yet`;
      else if (!callee || callee.custom) why = `it calls '${callee?.sourceName ?? x.fn}', whose derivative is declared by hand (a declared second derivative is not supported yet)`;
      else if ((callee.returnType.kind !== "number" && callee.returnType.kind !== "vector") || callee.resultShape || !callee.params.every((p) => ["number", "vector", "matrix"].includes(p.v.type.kind) || !isDifferentiableType(p.v.type))) {
        why = `it calls '${callee.sourceName}', which returns an object or a matrix or takes objects (second order supports helpers of numbers, numeric arrays and matrices returning a number or a numeric array)`;
      } else why = whyNoDirectional(callee, program, visiting);
    });
  });
  visiting.delete(fn.name);
  return why;
}

/** Kernels whose tangents forward.ts writes with kernels (kernelTangentByKernels). */
const SECOND_ORDER_KERNELS = new Set(["dot", "sum", "logsumexp", "sigmoid", "softplus", "matvec", "axpy"]);

const PAIR: StructType = {
  kind: "object",
  fields: [
    { name: "value", type: { kind: "number" }, readonly: false },
    { name: "tangent", type: { kind: "number" }, readonly: false },
  ],
};

/** The name of the directional function of `fn` in the module. */
export function directionalName(fn: IrFunction): string {
  return `${fn.name}_directional`;
}

/**
 * The directional functions of `fn` (over `independents`, its result `{ value, tangent }`) and of
 * every function it calls (over all their differentiable parameters, their result the vector
 * `[value, tangent]`), by name.
 */
export function directionalFunctions(fn: IrFunction, program: IrProgram, independents: readonly Var[], top = true): Map<string, IrFunction> {
  const out = new Map<string, IrFunction>();
  const build = (f: IrFunction, top: boolean, params: readonly Var[]): string => {
    const name = directionalName(f);
    if (out.has(name)) return name;
    out.set(name, f);
    const made = directionalFunction(f, program, name, params, top, (callee) => build(callee, false, callee.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type))));
    out.set(name, made);
    return name;
  };
  build(fn, top, independents);
  return out;
}

/**
 * The directional function of `fn` as a callee's (over all its differentiable parameters, its
 * result the vector `[value, tangent]`), and those of the functions it calls: what a nested
 * `f_jvp(...)` call is (frontend/nested.ts), and what its Hessian-vector product reverses.
 */
export function nestedDirectionals(fn: IrFunction, program: IrProgram): Map<string, IrFunction> {
  return directionalFunctions(fn, program, fn.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type)), false);
}

/**
 * `f_directional` (see above) as an IR function named `name`, over the parameters in
 * `independents` (their tangents follow the parameters, in order).
 */
function directionalFunction(fn: IrFunction, program: IrProgram, name: string, independents: readonly Var[], top: boolean, directionalOf: (callee: IrFunction) => string): IrFunction {
  const namer = new Namer();
  namer.claim(variablesOf(fn));
  const transform = new ForwardTransform(fn, program, namer, [...independents], false, new TangentRoutines(), directionalOf);
  // Tangents become plain variables of the new function (not derivatives of it).
  const fresh = new Map<Var, Var>();
  // (So do the transform's own variables, such as the `value` a result's tangent reads: the
  // reverse transform gives generated variables no place in its routines' bookkeeping.)
  const plain = (v: Var): Var => {
    const primal = primalOf(v);
    if (!primal && v.origin !== "generated") return v;
    let p = fresh.get(v);
    if (!p) {
      // `x_dot`, Newton's notation for the tangent of x (the reverse sweep's adjoints are `dx`).
      p = primal ? new VarClass(`${primal.name}_dot`, v.type, "local") : new VarClass(v.name, v.type, "temp");
      fresh.set(v, p);
    }
    return p;
  };
  // (Every independent has its tangent parameter, active or not: callers pass one for each.)
  const tangentParams = independents.map((v) => plain(transform.tangents.of(v)));
  // Each `return` keeps its exit id (the control analysis of the reverse transform needs them).
  const exits = new Map<unknown, number>();
  forEachStmt(fn.body, (s) => {
    if (s.k === "return" && s.node) exits.set(s.node, s.exitId);
  });
  const vectorResult = fn.returnType.kind === "vector";
  const body = [...transform.zeroTangentsOfParameters([...independents]), ...transform.stmts(fn.body)].flatMap((s) => asIr(s, plain, exits, vectorResult));
  // (`[value, tangent]` is a number[]: the routines return the literal as it is.)
  const returnType = { kind: "vector", repr: "array", readonly: false } as const;
  const resultShape: Shape<number> = { kind: "struct", type: PAIR, parts: [{ kind: "leaf", leaf: 0 }, { kind: "leaf", leaf: 1 }] };
  const callees = new Set<string>();
  forEachStmtExpr(body, (e) => forEachExpr(e, (x) => x.k === "call" && callees.add(x.fn)));
  return {
    ...fn,
    name,
    params: [...fn.params, ...tangentParams.map((v) => ({ v }))],
    returnType,
    ...(top ? { resultShape } : { resultShape: undefined }),
    body,
    callees: [...callees],
    exported: false,
  };
}

/**
 * A statement of the forward transform's output as source-level IR statements. A return gives
 * `[value, tangent]`, or for an array result `[...value, ...tangent]` (copied into one array).
 */
function asIr(s: Stmt, plain: (v: Var) => Var, exits: ReadonlyMap<unknown, number>, vectorResult: boolean): Stmt[] {
  const expr = (e: Expr): Expr => mapExpr(e, (x) => (x.k === "var" ? { k: "var", v: plain(x.v) } : x));
  if (s.k === "declare") return [{ k: "assign", target: plain(s.v), value: expr(s.init ?? { k: "num", value: 0 }), declare: s.mutable ? "let" : "const", ...(s.node ? { node: s.node } : {}) }];
  if (s.k === "genReturn") {
    const pair = s.value;
    const fields = pair?.k === "object" ? pair.fields : [];
    const leaf = (n: string): Expr => expr(fields.find((f) => f.name === n)?.value ?? { k: "num", value: 0 });
    const exitId = s.node ? exits.get(s.node) : undefined;
    if (exitId === undefined) throw new InternalError("a return without its source statement");
    const type = { kind: "vector", repr: "array", readonly: false } as const;
    if (!vectorResult) return [{ k: "return", value: { k: "arrayLit", type, elements: [leaf("value"), leaf("tangent")] }, exitId, node: s.node }];
    // (An array variable is read where it is: a second name for it would be an alias, which the
    // IR does not have; an array expression is computed into a temporary first.)
    const out: Stmt[] = [];
    const named = (e: Expr, name: string): Var => {
      if (e.k === "var") return e.v;
      const v = new VarClass(name, type, "temp", true);
      out.push({ k: "assign", target: v, value: e, declare: "const", node: s.node });
      return v;
    };
    const value = named(leaf("value"), "value");
    const tangent = named(leaf("tangent"), "tangent");
    const both = new VarClass("both", type, "temp", true);
    const k = new VarClass("k", { kind: "number" }, "temp");
    const n: Expr = { k: "length", array: { k: "var", v: value } };
    const ref = (v: Var): Expr => ({ k: "var", v });
    return [
      ...out,
      { k: "assign", target: both, value: { k: "alloc", type, length: { k: "binary", op: "*", a: { k: "num", value: 2 }, b: n } }, declare: "const", node: s.node },
      copyLoop(k, n, [
        { k: "store", array: ref(both), index: ref(k), value: { k: "index", array: ref(value), index: ref(k) } },
        { k: "store", array: ref(both), index: { k: "binary", op: "+", a: n, b: ref(k) }, value: { k: "index", array: ref(tangent), index: ref(k) } },
      ]),
      { k: "return", value: ref(both), exitId, node: s.node },
    ];
  }
  if (s.k === "assign") return [{ ...s, target: plain(s.target), value: expr(s.value) }];
  return [mapStmtParts(s, expr, (list) => list.flatMap((x) => asIr(x, plain, exits, vectorResult)))];
}
