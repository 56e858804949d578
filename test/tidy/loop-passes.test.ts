/**
 * The passes after tidy that only make generated code faster: joined tape pushes
 * (emit/tape-groups.ts) and index elements read once per iteration (emit/loop-reads.ts).
 * What they rewrite, and what they must leave alone.
 */
import { describe, expect, it } from "vitest";
import { type Expr, NUMBER, type Stmt, type Type, Var, bin, index, num, ref } from "../../src/ir/nodes.js";
import type { GenFunction } from "../../src/ad/common.js";
import { Namer } from "../../src/ad/names.js";
import { Printer } from "../../src/emit/printer.js";
import { groupTapePushes } from "../../src/emit/tape-groups.js";
import { plainIndexColumns, readIndicesOnce } from "../../src/emit/loop-reads.js";

const VEC: Type = { kind: "vector", repr: "f64", readonly: false };
const user = (name: string, type: Type = NUMBER) => new Var(name, type, "local");
const gen = (name: string, type: Type = NUMBER) => new Var(name, type, "generated");
const push = (e: Expr): Stmt => ({ k: "expr", e: { k: "runtime", fn: "tape.push", args: [e] } });
const assign = (target: Var, value: Expr): Stmt => ({ k: "assign", target, value });
const store = (array: Var, i: Expr, value: Expr): Stmt => ({ k: "store", array: ref(array), index: i, value });
const accEl = (array: Var, i: Expr, value: Expr): Stmt => ({ k: "accumulateElement", array: ref(array), index: i, value });
const alloc = (v: Var): Stmt => ({ k: "assign", target: v, value: { k: "alloc", type: VEC, length: num(4) }, declare: "const" });
const loop = (i: Var, body: Stmt[]): Stmt => ({
  k: "rawFor",
  init: { k: "assign", target: i, value: num(0), declare: "let" },
  test: { k: "compare", op: "<", a: ref(i), b: num(4) },
  update: assign(i, bin("+", ref(i), num(1))),
  body,
});

function print(body: Stmt[], pass: (f: GenFunction) => GenFunction): string {
  const f: GenFunction = { name: "f", exported: true, doc: [], params: [], returnType: "void", body, namer: new Namer() };
  const printer = new Printer(new Namer());
  printer.stmts(pass(f).body);
  return printer.text();
}

describe("tape pushes joined", () => {
  it("joins the pushes of a run of assignments, in the same order", () => {
    const [dx, dy, a, b] = [user("dx"), user("dy"), user("a"), user("b")];
    const body = [push(ref(dx)), assign(dx, bin("-", ref(b), ref(a))), push(ref(dy)), assign(dy, bin("+", ref(b), ref(a)))];
    expect(print(body, groupTapePushes)).toBe(["tape.push2(dx, dy);", "dx = b - a;", "dy = b + a;"].join("\n"));
  });

  it("does not move a push above a statement that changes its value", () => {
    const [x, y] = [user("x"), user("y")];
    const body = [push(ref(x)), assign(y, ref(x)), push(ref(y)), assign(y, num(2))];
    expect(print(body, groupTapePushes)).toBe(["tape.push(x);", "y = x;", "tape.push(y);", "y = 2;"].join("\n"));
  });

  it("moves an element's push over writes of another local array, not over writes of a parameter array", () => {
    const [fx, fy, p, q, i] = [user("fx", VEC), user("fy", VEC), user("p", VEC), user("q", VEC), user("i")];
    const local = [alloc(fx), alloc(fy), push(index(ref(fx), ref(i))), store(fx, ref(i), num(1)), push(index(ref(fy), ref(i))), store(fy, ref(i), num(2))];
    expect(print(local, groupTapePushes)).toContain("tape.push2(fx[i]!, fy[i]!);");
    // p and q may be the same array.
    const params = [push(index(ref(p), ref(i))), store(p, ref(i), num(1)), push(index(ref(q), ref(i))), store(q, ref(i), num(2))];
    expect(print(params, groupTapePushes)).toBe(["tape.push(p[i]!);", "p[i] = 1;", "tape.push(q[i]!);", "q[i] = 2;"].join("\n"));
  });

  it("does not move a push over a call", () => {
    const [x, y] = [user("x"), user("y")];
    const body = [push(ref(x)), { k: "expr", e: { k: "call", fn: "g", args: [] } } as Stmt, push(ref(y))];
    expect(print(body, groupTapePushes)).toBe(["tape.push(x);", "g();", "tape.push(y);"].join("\n"));
  });
});

describe("index elements read once per iteration", () => {
  it("reads an index element used twice into the constant that already names it", () => {
    const [ids, f, df, q] = [user("ids", VEC), user("f", VEC), gen("df", VEC), user("q")];
    const named = gen("a_index");
    const forward = loop(q, [
      { k: "assign", target: named, value: index(ref(ids), ref(q)), declare: "const" },
      store(f, ref(named), num(1)),
    ]);
    const reverse = loop(q, [accEl(df, index(ref(ids), ref(q)), num(1)), accEl(df, bin("+", index(ref(ids), ref(q)), num(1)), num(2))]);
    const out = print([alloc(df), forward, reverse], readIndicesOnce);
    expect(out).toContain(["  const a_index = ids[q]!;", "  df[a_index]! += 1;", "  df[a_index + 1]! += 2;", "}"].join("\n"));
  });

  it("names an index element nothing names yet after its array", () => {
    const [ids, df, q] = [user("ids", VEC), gen("df", VEC), user("q")];
    const body = loop(q, [accEl(df, index(ref(ids), ref(q)), num(1)), accEl(df, index(ref(ids), ref(q)), num(2))]);
    expect(print([alloc(df), body], readIndicesOnce)).toContain(["  const ids_element = ids[q]!;", "  df[ids_element]! += 1;"].join("\n"));
  });

  it("leaves the reads alone when the loop writes the index array or changes the index", () => {
    const [ids, df, q, k] = [user("ids", VEC), gen("df", VEC), user("q"), user("k")];
    const writes = loop(q, [accEl(df, index(ref(ids), ref(q)), num(1)), store(ids, ref(q), num(0)), accEl(df, index(ref(ids), ref(q)), num(2))]);
    expect(print([alloc(df), writes], readIndicesOnce)).not.toContain("const ids_element");
    const moves = loop(q, [accEl(df, index(ref(ids), ref(k)), num(1)), assign(k, num(3)), accEl(df, index(ref(ids), ref(k)), num(2))]);
    expect(print([alloc(df), moves], readIndicesOnce)).not.toContain("const ids_element");
  });

  it("gathers a column read only as an index into a plain array", () => {
    const [rows, ids, rest, x, q] = [user("springs", { kind: "inactiveArray", element: { kind: "boolean" } }), gen("springs_i", VEC), gen("springs_rest", VEC), user("x", VEC), user("q")];
    const column = (v: Var, field: string): Stmt => ({ k: "declare", v, init: { k: "column", rows: ref(rows), path: [field] }, mutable: false });
    const body = [column(ids, "i"), column(rest, "rest"), loop(q, [assign(user("s"), bin("*", index(ref(x), index(ref(ids), ref(q))), index(ref(rest), ref(q))))])];
    const out = print(body, plainIndexColumns);
    expect(out).toContain("const springs_i = Array.from(springs, (item) => item.i);");
    expect(out).toContain("const springs_rest = Float64Array.from(springs, (item) => item.rest);");
  });
});
