/** Tape operations in generated code: recording values in the forward sweep, restoring them in the reverse sweep. */
import type { Expr, Stmt, Type, Var } from "../../ir/nodes.js";
import { isArrayType } from "../../ir/nodes.js";
import { typeText } from "../../frontend/types.js";
import { lit, tagPlaceholder } from "../../ir/build.js";

/** `tape.fn(args)` */
export const tape = (fn: string, ...args: Expr[]): Expr => ({ k: "runtime", fn: `tape.${fn}`, args });
export const exprStmt = (e: Expr): Stmt => ({ k: "expr", e });
export const ref = (v: Var): Expr => ({ k: "var", v });
export const assign = (target: Var, value: Expr): Stmt => ({ k: "assign", target, value });

/** Records a variable's value: numbers and booleans on the value stack, arrays by reference. */
export function pushValue(v: Var): Stmt {
  if (isArrayType(v.type)) return exprStmt(tape("pushObject", ref(v)));
  const value: Expr = v.type.kind === "boolean" ? { k: "cond", test: ref(v), a: lit(1), b: lit(0) } : ref(v);
  return exprStmt(tape("push", value));
}

/**
 * Restores a variable recorded by pushValue. An array's type argument is left to inference from
 * the variable (`xs = tape.popObject()`): spelt out, `Float64Array` would mean
 * `Float64Array<ArrayBufferLike>` under TypeScript 6, which a local `Float64Array<ArrayBuffer>`
 * does not accept. `typed`: the value initialises a declaration, so the type is written.
 */
export function popValue(v: Var, typed = false): Stmt {
  if (isArrayType(v.type)) return assign(v, { k: "runtime", fn: typed ? `tape.popObject<${typeText(v.type)}>` : "tape.popObject", args: [] });
  const popped = tape("pop");
  return assign(v, v.type.kind === "boolean" ? { k: "compare", op: "!==", a: popped, b: lit(0) } : popped);
}

/** The placeholder value of a variable declared before the statement that sets it. */
export function zeroOf(t: Type): Expr {
  switch (t.kind) {
    case "number":
      return lit(0);
    case "boolean":
      return { k: "bool", value: false };
    case "vector":
      return { k: "alloc", type: t, length: lit(0) };
    case "matrix":
    case "inactiveArray":
      return { k: "raw", text: "[]" };
    case "indexArray":
      return { k: "raw", text: `new ${t.text}(0)` };
    case "tag":
      return tagPlaceholder(t.text);
  }
}

/**
 * Saves a checkpointed loop's state variable (analysis/checkpoint.ts): numbers and flags as
 * values, arrays element by element (a matrix row by row), and with `identity` (an array the
 * loop assigns whole) the array object too, so that restoring gives back the same arrays.
 */
export function saveState(v: Var, identity: boolean): Stmt[] {
  switch (v.type.kind) {
    case "vector":
    case "matrix": {
      const contents = exprStmt(tape(v.type.kind === "vector" ? "pushArray" : "pushRows", ref(v)));
      return identity ? [exprStmt(tape("pushObject", ref(v))), contents] : [contents];
    }
    case "tag":
      return [exprStmt(tape("pushObject", ref(v)))];
    default:
      return [pushValue(v)];
  }
}

/** Undoes saveState (the statements of several variables' restores go in the reverse order of their saves). */
export function restoreState(v: Var, identity: boolean): Stmt[] {
  switch (v.type.kind) {
    case "vector":
    case "matrix": {
      const contents = exprStmt(tape(v.type.kind === "vector" ? "popArray" : "popRows", ref(v)));
      return identity ? [popValue(v), contents] : [contents];
    }
    case "tag":
      return [assign(v, { k: "runtime", fn: `tape.popObject<${typeText(v.type)}>`, args: [] })];
    default:
      return [popValue(v)];
  }
}
