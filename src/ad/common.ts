/**
 * What both transforms share: the shape of a generated function, derivative variables, and
 * the types of public signatures.
 */
import type { Expr, IrFunction, Stmt, Type, Var } from "../ir/nodes.js";
import { Var as VarClass } from "../ir/nodes.js";
import { typeText } from "../frontend/types.js";
import { assignedInOrder } from "../ir/walk.js";
import { Namer, generatedName, markDerivative } from "./names.js";

export interface GenParam {
  v: Var;
  /** The printed TypeScript type of the parameter. */
  type: string;
  /** Its default value as written in the source (`strike = 100`), for entry points. */
  defaultText?: string;
}

/** A function of the generated module, ready to print. */
export interface GenFunction {
  name: string;
  exported: boolean;
  /** JSDoc lines above the function. */
  doc: string[];
  /** Called by code written as text over it (`f_hvp`): unused parameters are kept. */
  keepParameters?: boolean;
  params: GenParam[];
  returnType: string;
  body: Stmt[];
  /**
   * The transform's names (those it writes into text: `grad` fields, temporaries). The printer
   * names the variables of each function again from what occurs in it (emit/module.ts).
   */
  namer: Namer;
}

/** The derivative (tangent or adjoint) variable of each primal variable, created on demand. */
export class DerivativeVars {
  private readonly map = new Map<Var, Var>();
  constructor(
    private readonly namer: Namer,
    /** In vector mode, which of the K derivatives of each variable these are (named `dx_0`, ...). */
    private readonly copy?: number,
  ) {}

  of(v: Var): Var {
    let d = this.map.get(v);
    if (!d) {
      const suffix = this.copy === undefined ? "" : `_${this.copy}`;
      d = new VarClass(generatedName.derivative(this.namer.of(v)) + suffix, derivativeType(v.type), "generated");
      markDerivative(d, v, this.copy);
      this.map.set(v, d);
    }
    return d;
  }

  has(v: Var): boolean {
    return this.map.has(v);
  }
}

/** The type of a derivative: arrays become mutable. */
export function derivativeType(t: Type): Type {
  if (t.kind === "vector") return { kind: "vector", repr: t.repr, readonly: false };
  if (t.kind === "matrix") return { kind: "matrix", readonly: false, rows: t.rows };
  return t;
}

/** The type a `grad` entry or tangent has for a parameter of type `t` (SPEC section 2). */
export function mirrorTypeText(t: Type): string {
  return typeText(derivativeType(t));
}

/** A zero-filled derivative of the same shape as the primal expression `shapeOf`. */
export function zeroLike(t: Type, shapeOf: Expr): Expr {
  if (t.kind === "number") return { k: "num", value: 0 };
  if (t.kind === "vector" || t.kind === "matrix") return { k: "zerosLike", of: shapeOf, type: derivativeType(t) };
  return { k: "bool", value: false };
}

/** Every variable declared or assigned in a function, parameters first, in source order. */
export function variablesOf(fn: IrFunction): Var[] {
  return assignedInOrder(
    fn.body,
    fn.params.map((p) => p.v),
  );
}

/**
 * The doc line of an entry point naming its active parameters: those whose derivative the
 * code computes. An inactive one (it only counts, compares or indexes) has derivative 0.
 */
export function activeParametersDoc(independents: readonly Var[], isActive: (v: Var) => boolean, namer: Pick<Namer, "of">): string {
  const list = (vs: Var[]) => vs.map((v) => `\`${namer.of(v)}\``).join(", ");
  const active = independents.filter(isActive);
  const inactive = independents.filter((v) => !isActive(v));
  const head = active.length > 0 ? `Active parameters: ${list(active)}` : "No active parameters";
  if (inactive.length === 0) return `${head}.`;
  return `${head}; ${list(inactive)} ${inactive.length === 1 ? "is" : "are"} inactive (derivative 0).`;
}

/** Names every function of the module may not take for its variables. */
export function moduleNames(functionNames: Iterable<string>): string[] {
  const out: string[] = [];
  for (const f of functionNames) {
    out.push(f, generatedName.grad(f), generatedName.vjp(f), generatedName.jvp(f));
    out.push(generatedName.into(generatedName.grad(f)), generatedName.into(generatedName.vjp(f)));
    out.push(generatedName.forwardSweep(f), generatedName.reverseSweep(f), generatedName.tangent(f));
  }
  return out;
}

export { InternalError } from "../ir/walk.js";

/**
 * A loop whose initializer can be printed in a `for (...)` head: all declarations of one kind,
 * or all plain statements. Otherwise (a transform added tangent or tape statements) the
 * initializer runs just before the loop, which means the same here (no closures capture it).
 */
export function withPrintableInit(loop: Extract<Stmt, { k: "loop" }>): Stmt[] {
  const init = loop.init;
  const first = init[0];
  if (!first) return [loop];
  const declares = (s: Stmt) => (s.k === "assign" ? s.declare : undefined);
  const kind = declares(first);
  const uniform = kind ? init.every((s) => declares(s) === kind) : init.every((s) => (s.k === "assign" || s.k === "expr" || s.k === "store") && !declares(s));
  if (uniform) return [loop];
  return [...init, { ...loop, init: [] }];
}
