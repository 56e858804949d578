/**
 * The tidy pass on small generated functions written as IR: what it rewrites, and what it must
 * leave alone (the user's statements, values read later, values carried around a loop).
 */
import { describe, expect, it } from "vitest";
import { type Expr, NUMBER, type Stmt, type Type, Var, bin, neg, num, ref } from "../../src/ir/nodes.js";
import { DerivativeVars, type GenFunction } from "../../src/ad/common.js";
import { Namer } from "../../src/ad/names.js";
import { Printer } from "../../src/emit/printer.js";
import { type TidyOptions, tidyFunction, tidyFunctions } from "../../src/emit/tidy/index.js";

const VEC: Type = { kind: "vector", repr: "f64", readonly: false };
const user = (name: string, type: Type = NUMBER) => new Var(name, type, "local");
const gen = (name: string, type: Type = NUMBER) => new Var(name, type, "generated");
/** The adjoint (or tangent) of a variable, as the transforms create it. */
const derivative = (v: Var): Var => new DerivativeVars(new Namer()).of(v);
const declare = (v: Var, init?: Expr, mutable = true): Stmt => ({ k: "declare", v, init, mutable });
const acc = (target: Var, value: Expr): Stmt => ({ k: "accumulate", target, value });
const assign = (target: Var, value: Expr, declare?: "let" | "const"): Stmt => ({ k: "assign", target, value, declare });
const field = (object: Var, name: string, value: Expr): Stmt => ({ k: "accumulateField", object, name, value });
const tapePop: Expr = { k: "runtime", fn: "tape.pop", args: [] };
const push = (e: Expr): Stmt => ({ k: "expr", e: { k: "runtime", fn: "tape.push", args: [e] } });
const mul = (a: Expr, b: Expr) => bin("*", a, b);
const loop = (i: Var, n: Expr, body: Stmt[]): Stmt => ({
  k: "rawFor",
  init: assign(i, bin("-", n, num(1))),
  test: { k: "compare", op: ">=", a: ref(i), b: num(0) },
  update: assign(i, bin("-", ref(i), num(1))),
  body,
});

function fn(body: Stmt[], params: Var[] = [], name = "f", exported = true): GenFunction {
  return { name, exported, doc: [], params: params.map((v) => ({ v, type: "number" })), returnType: "void", body, namer: new Namer() };
}

function print(f: GenFunction): string {
  const printer = new Printer(new Namer());
  printer.stmts(f.body);
  return printer.text();
}

const tidy = (body: Stmt[], params: Var[] = [], options?: TidyOptions) => print(tidyFunction(fn(body, params), options));

describe("tidy: accumulations", () => {
  it("folds a declaration and two accumulations of equal terms into one value", () => {
    const b = user("b");
    const db = derivative(b);
    const grad = gen("grad");
    const body = [declare(db, num(0)), acc(db, mul(ref(b), num(100))), acc(db, mul(num(100), ref(b))), field(grad, "b", ref(db))];
    // db is read once, by the next statement: it goes there.
    expect(tidy(body, [b, grad])).toBe("grad.b += 2 * (b * 100);");
  });

  it("adds an accumulation to the assignment before it, past statements that do not touch it", () => {
    const [x, y] = [user("x"), user("y")];
    const [dx, dy] = [derivative(x), derivative(y)];
    const grad = gen("grad");
    const body = [declare(dx, num(0)), declare(dy, num(0)), acc(dx, ref(y)), acc(dy, ref(x)), acc(dx, neg(mul(ref(x), ref(y)))), field(grad, "x", ref(dx)), field(grad, "y", ref(dy))];
    expect(tidy(body, [x, y, grad])).toBe(["grad.x += y - x * y;", "grad.y += x;"].join("\n"));
  });

  it("does not merge an accumulation whose value reads the target", () => {
    const x = user("x");
    const d = derivative(user("u"));
    const grad = gen("grad");
    const body = [declare(d, num(0)), acc(d, ref(x)), acc(d, mul(ref(d), ref(x))), field(grad, "x", ref(d))];
    expect(tidy(body, [x, grad])).toBe(["let du = x;", "du += du * x;", "grad.x += du;"].join("\n"));
  });

  it("adds an accumulation only to an assignment of the same variable, not to one that reads it", () => {
    // Found by the fuzzer's reducer: `const adjoint = du * x` mentions du but does not define it.
    const x = user("x");
    const du = derivative(user("u"));
    const a = gen("adjoint");
    const grad = gen("grad");
    const body = [declare(du, num(0)), acc(du, num(1)), declare(a, mul(ref(du), ref(x)), false), acc(du, ref(a)), field(grad, "y", ref(a)), field(grad, "x", ref(du))];
    expect(tidy(body, [x, grad])).toBe(["let du = 1;", "const adjoint = du * x;", "du += adjoint;", "grad.y += adjoint;", "grad.x += du;"].join("\n"));
  });

  it("turns a seed accumulated into a fresh adjoint into its initial value", () => {
    const [x, p] = [user("x"), user("p")];
    const [dp, dx, i] = [derivative(p), derivative(x), user("i")];
    const grad = gen("grad");
    const body = [
      declare(i, num(0)),
      declare(dx, num(0)),
      declare(dp, num(0)),
      acc(dp, num(1)),
      loop(i, num(3), [assign(p, tapePop), acc(dx, mul(ref(dp), ref(p))), assign(dp, mul(ref(dp), ref(x)))]),
      field(grad, "x", ref(dx)),
    ];
    expect(tidy(body, [x, p, grad])).toBe(
      ["let dx = 0;", "let dp = 1;", "for (let i = 3 - 1; i >= 0; i--) {", "  p = tape.pop();", "  dx += dp * p;", "  dp *= x;", "}", "grad.x += dx;"].join("\n"),
    );
  });
});

describe("tidy: dead writes", () => {
  it("drops resets nothing reads again, keeps one the next iteration reads", () => {
    const [x, i] = [user("x"), user("i")];
    const [g, dz] = [gen("g"), derivative(user("z"))];
    const grad = gen("grad");
    const body = [
      declare(i, num(0)),
      declare(dz, num(0)),
      declare(g, num(0)),
      loop(i, num(4), [acc(dz, ref(x)), field(grad, "x", mul(ref(dz), ref(x))), assign(g, ref(dz)), acc(dz, num(1))]),
      assign(dz, num(0)),
      assign(g, num(0)),
    ];
    // dz carries from one iteration to the next: its accumulations stay; the writes of g and
    // the resets after the loop are read by nothing.
    expect(tidy(body, [x, grad])).toBe(["let dz = 0;", "for (let i = 4 - 1; i >= 0; i--) {", "  dz += x;", "  grad.x += dz * x;", "  dz += 1;", "}"].join("\n"));
  });

  it("keeps a reset at the end of a loop body that the next iteration reads", () => {
    const [x, i] = [user("x"), user("i")];
    const dt = derivative(user("t"));
    const grad = gen("grad");
    const cond: Expr = { k: "compare", op: ">", a: ref(i), b: num(1) };
    const body = [
      declare(i, num(0)),
      declare(dt, num(0)),
      loop(i, num(4), [{ k: "if", test: cond, then: [acc(dt, ref(x)), field(grad, "y", ref(x))], else: [] }, field(grad, "x", ref(dt)), assign(dt, num(0))]),
    ];
    expect(tidy(body, [x, grad])).toBe(
      ["let dt = 0;", "for (let i = 4 - 1; i >= 0; i--) {", "  if (i > 1) {", "    dt = x;", "    grad.y += x;", "  }", "  grad.x += dt;", "  dt = 0;", "}"].join("\n"),
    );
  });

  it("removes unused generated declarations; a tape read among them still happens", () => {
    const x = user("x");
    const [unused, popped, grad] = [gen("unused"), gen("popped"), gen("grad")];
    const body = [declare(unused, mul(ref(x), ref(x))), declare(popped, tapePop), field(grad, "x", ref(x))];
    expect(tidy(body, [x, grad])).toBe(["tape.pop();", "grad.x += x;"].join("\n"));
  });

  it("drops element writes into a generated local array nothing reads any more", () => {
    const [x, i] = [user("x", VEC), user("i")];
    const dx = gen("dx", VEC);
    const grad = gen("grad");
    const element = (k: Expr): Expr => ({ k: "index", array: ref(dx), index: k });
    const body: Stmt[] = [
      declare(dx, { k: "zerosLike", of: ref(x), type: VEC }, false),
      { k: "accumulateElement", array: ref(dx), index: num(0), value: num(2) },
      field(grad, "x", element(num(0))),
      { k: "store", array: ref(dx), index: num(0), value: num(0) },
      loop(i, num(2), [{ k: "store", array: ref(dx), index: ref(i), value: num(0) }]),
    ];
    expect(tidy(body, [x, grad])).toBe(["const dx = new Float64Array(x.length);", "dx[0]! += 2;", "grad.x += dx[0]!;"].join("\n"));
  });

  it("does not move an element's stored value past a write of what it reads", () => {
    // dx[0] = dm; dm = 0; dx[0] += dp: merging into `dx[0] = dm + dp` at the end would read dm after its reset.
    const x = user("x", VEC);
    const [m, p] = [user("m"), user("p")];
    const [dx, dm, dp] = [derivative(x), derivative(m), derivative(p)];
    const grad = gen("grad");
    const body: Stmt[] = [
      declare(dx, { k: "zerosLike", of: ref(x), type: VEC }, false),
      declare(dm, tapePop),
      declare(dp, tapePop),
      { k: "store", array: ref(dx), index: num(0), value: ref(dm) },
      assign(dm, num(0)),
      { k: "accumulateElement", array: ref(dx), index: num(0), value: ref(dp) },
      field(grad, "m", ref(dm)),
      field(grad, "x", { k: "index", array: ref(dx), index: num(0) }),
    ];
    expect(tidy(body, [x, grad])).toBe(
      ["const dx = new Float64Array(x.length);", "let dm = tape.pop();", "const dp = tape.pop();", "dx[0] = dm;", "dm = 0;", "dx[0]! += dp;", "grad.m += dm;", "grad.x += dx[0]!;"].join("\n"),
    );
  });

  it("never removes or rewrites the user's statements", () => {
    const [x, y, t] = [user("x"), user("y"), user("t")];
    const grad = gen("grad");
    const body = [assign(t, mul(ref(x), bin("/", num(1), ref(y))), "let"), assign(t, ref(x)), field(grad, "x", ref(y))];
    expect(tidy(body, [x, y, grad])).toBe(["let t = x * (1 / y);", "t = x;", "grad.x += y;"].join("\n"));
  });
});

describe("tidy: array elements", () => {
  it("joins a reset of an element with the accumulation into it that follows", () => {
    const [z, i] = [user("z", VEC), user("i")];
    const dz = derivative(z);
    const a = gen("adjoint");
    const el = (arr: Var): Expr => ({ k: "index", array: ref(arr), index: ref(i) });
    const body: Stmt[] = [
      declare(i, num(0)),
      loop(i, num(3), [
        declare(a, mul(el(dz), num(2)), false),
        { k: "store", array: ref(dz), index: ref(i), value: num(0) },
        { k: "store", array: ref(z), index: ref(i), value: tapePop },
        { k: "accumulateElement", array: ref(dz), index: ref(i), value: mul(ref(a), el(z)) },
        push(ref(a)),
      ]),
    ];
    expect(tidy(body, [z, dz])).toBe(
      ["for (let i = 3 - 1; i >= 0; i--) {", "  const adjoint = dz[i]! * 2;", "  z[i] = tape.pop();", "  dz[i] = adjoint * z[i]!;", "  tape.push(adjoint);", "}"].join("\n"),
    );
  });

  it("drops a reset of an element nothing reads again, keeps one that is read", () => {
    const [x] = [user("x", VEC)];
    const dx = derivative(x);
    const dy = derivative(user("y", VEC));
    const el = (arr: Var, k: number): Expr => ({ k: "index", array: ref(arr), index: num(k) });
    const body: Stmt[] = [
      declare(dx, { k: "zerosLike", of: ref(x), type: VEC }, false),
      { k: "expr", e: { k: "runtime", fn: "kernel_vjp", args: [ref(x), ref(dx)] } },
      { k: "accumulateElement", array: ref(dy), index: num(1), value: el(dx, 1) },
      { k: "store", array: ref(dx), index: num(1), value: num(0) },
      { k: "accumulateElement", array: ref(dy), index: num(0), value: el(dx, 0) },
      { k: "store", array: ref(dx), index: num(0), value: num(0) },
      { k: "accumulateElement", array: ref(dy), index: num(2), value: el(dx, 0) },
    ];
    expect(tidy(body, [x, dy])).toBe(
      ["const dx = new Float64Array(x.length);", "kernel_vjp(x, dx);", "dy[1]! += dx[1]!;", "dy[0]! += dx[0]!;", "dx[0] = 0;", "dy[2]! += dx[0]!;"].join("\n"),
    );
  });
});

describe("tidy: expressions", () => {
  it("writes g * (1 / y) as g / y in derivatives, and not in the exact mode", () => {
    const [x, y] = [user("x"), user("y")];
    const [dx, dy] = [derivative(x), derivative(y)];
    const grad = gen("grad");
    const body = [declare(dy, tapePop), declare(dx, num(0)), acc(dx, mul(ref(dy), bin("/", num(1), ref(y)))), field(grad, "x", ref(dx)), field(grad, "y", mul(ref(dy), ref(dy))), field(grad, "z", bin("/", num(1), ref(y)))];
    expect(tidy(body, [x, y, grad])).toBe(["const dy = tape.pop();", "grad.x += dy / y;", "grad.y += dy * dy;", "grad.z += 1 / y;"].join("\n"));
    expect(tidy(body, [x, y, grad], { roundingRewrites: false })).toBe(["const dy = tape.pop();", "grad.x += dy * (1 / y);", "grad.y += dy * dy;", "grad.z += 1 / y;"].join("\n"));
  });

  it("counts an adjoint popped from the tape as a derivative", () => {
    const y = user("y");
    const dargument = gen("dargument");
    const grad = gen("grad");
    const body = [declare(dargument, tapePop, false), field(grad, "x", mul(ref(dargument), bin("/", num(1), ref(y)))), field(grad, "y", ref(dargument))];
    expect(tidy(body, [y, grad])).toBe(["const dargument = tape.pop();", "grad.x += dargument / y;", "grad.y += dargument;"].join("\n"));
  });

  it("writes t + t as 2 * t, also when the products are written in another order", () => {
    const x = user("x");
    const dx = derivative(x);
    const tangents = gen("tangents");
    const tangent = bin("+", mul(ref(x), ref(dx)), mul(ref(dx), ref(x)));
    const result: Expr = { k: "object", fields: [{ name: "value", value: mul(ref(x), ref(x)) }, { name: "tangent", value: tangent }] };
    const body: Stmt[] = [declare(dx, { k: "field", object: ref(tangents), name: "x", optional: false }, false), { k: "genReturn", value: result }];
    expect(tidy(body, [x, tangents])).toBe(["const dx = tangents.x;", "return { value: x * x, tangent: 2 * (x * dx) };"].join("\n"));
  });

  it("puts a tape read into the one statement after it that reads it", () => {
    const [dx, dargument] = [derivative(user("x")), gen("dargument")];
    const body = [declare(dx, num(0)), push(num(1)), declare(dargument, tapePop), acc(dx, ref(dargument)), push(ref(dx))];
    expect(tidy(body)).toBe(["tape.push(1);", "const dx = tape.pop();", "tape.push(dx);"].join("\n"));
  });
});

describe("tidy: declarations", () => {
  it("moves a declaration into the loop that uses it when nothing is carried between iterations", () => {
    const [x, i] = [user("x"), user("i")];
    const [d, carried] = [derivative(user("u")), gen("carried")];
    const grad = gen("grad");
    const body = [
      declare(i, num(0)),
      declare(d, num(0)),
      declare(carried, num(0)),
      loop(i, num(3), [assign(d, mul(ref(x), ref(i))), field(grad, "x", ref(d)), field(grad, "y", ref(carried)), assign(carried, ref(d))]),
    ];
    expect(tidy(body, [x, grad])).toBe(
      ["let carried = 0;", "for (let i = 3 - 1; i >= 0; i--) {", "  const du = x * i;", "  grad.x += du;", "  grad.y += carried;", "  carried = du;", "}"].join("\n"),
    );
  });
});

describe("tidy: for heads", () => {
  it("keeps one keyword for the declarations of a for head (found by the fuzzer)", () => {
    const [i, x] = [user("i"), user("x")];
    const di = derivative(i);
    const grad = gen("grad");
    const body: Stmt[] = [
      {
        k: "loop",
        kind: "for",
        loop: { id: 1 },
        init: [assign(i, mul(ref(x), ref(x)), "let"), assign(di, mul(num(2), ref(x)), "let")],
        test: { k: "compare", op: "<", a: ref(i), b: num(3) },
        update: [assign(i, bin("+", ref(i), num(0.5)))],
        body: [field(grad, "x", ref(di))],
      },
    ];
    expect(tidy(body, [x, grad])).toBe(["for (let i = x * x, di = 2 * x; i < 3; i += 0.5) {", "  grad.x += di;", "}"].join("\n"));
  });
});

describe("tidy: parameters of internal routines", () => {
  it("removes a parameter the routine never reads, with the argument of every call", () => {
    const [a, b, dvalue] = [user("a"), user("b"), gen("dvalue")];
    const routine: GenFunction = fn([push(mul(ref(dvalue), ref(a)))], [a, b, dvalue], "g_reverse", false);
    const [x, y] = [user("x"), user("y")];
    const caller = fn([{ k: "expr", e: { k: "call", fn: "g_reverse", args: [ref(x), ref(y), num(1)] } }], [x, y]);
    const [r, c] = tidyFunctions([routine, caller]);
    expect(r!.params.map((p) => p.v.name)).toEqual(["a", "dvalue"]);
    expect(print(c!)).toBe("g_reverse(x, 1);");
  });

  it("keeps a parameter of an exported function even when unread", () => {
    const [a, b] = [user("a"), user("b")];
    const [out] = tidyFunctions([fn([push(ref(a))], [a, b], "f_grad", true)]);
    expect(out!.params.map((p) => p.v.name)).toEqual(["a", "b"]);
  });
});
