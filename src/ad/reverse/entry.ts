/**
 * Reverse mode's functions: the public entry points `f_grad_into` / `f_vjp_into` (both sweeps
 * in one function, adding into caller-owned buffers) with their allocating wrappers `f_grad` /
 * `f_vjp`, and for each callee the pair `g_forward` / `g_reverse` sharing the tape (scalar
 * argument adjoints go back on the tape, so calls allocate nothing).
 *
 * Store-all with restoration, as Tapenade does: when an assignment destroys a value that the
 * reverse sweep still needs (the to-be-recorded analysis decides), the forward sweep pushes the
 * old value and the reverse sweep pops it back at the same point, so while the reverse sweep
 * runs every variable holds the value it had at the matching point of the forward sweep. The
 * adjoint code of a statement can then read primal variables by name, conditions of `if` are
 * evaluated again instead of being recorded, and counted loops run their index backwards.
 * What cannot be recomputed is recorded: trip counts of other loops, and how iterations ended
 * (break, continue, return) as exit codes.
 */
import type { Expr, IrFunction, IrProgram, Shape, Stmt, Var } from "../../ir/nodes.js";
import { NUMBER, Var as VarClass, isArrayType } from "../../ir/nodes.js";
import { assignedVars, mapStmtParts, varsOfStmts } from "../../ir/walk.js";
import { leafPaths } from "../../lower/shapes.js";
import { typeText } from "../../frontend/types.js";
import { lit, sum } from "../../ir/build.js";
import { InternalError } from "../../ir/walk.js";
import { type GenFunction, activeParametersDoc, mirrorTypeText, variablesOf, zeroLike } from "../common.js";
import { Namer, generatedName } from "../names.js";
import { type ModuleTypes, PublicSignature, buildResult, independentsOf, buildRowsResult, flattenRows, readResultLeaves, resultDerivativeTypeText, resultTypeText } from "../signature.js";
import { ForwardSweep } from "./forward-sweep.js";
import { ReversePlan } from "./plan.js";
import { ReverseSweep } from "./reverse-sweep.js";
import { seedAdjointsInPlace } from "./seeded-adjoints.js";
import { type RowColumns, dropUnreadResult, foldConstants, plus, readParameterElementsOnce, unitCotangents, writeArrayAdjoints, zeroLoop } from "./rows-into.js";
import type { ReverseRoutines } from "./routines.js";
import { assign, exprStmt, popValue, pushValue, ref, tape, zeroOf } from "./tape.js";

const ZERO = lit(0);

/**
 * `f_grad_into(p..., grad)` (or `f_vjp_into(p..., cotangent, grad)`): the whole reverse sweep,
 * adding the gradient into caller-owned buffers (`grad.w` arrays in place, `grad.x += dx` for
 * numbers) and returning the value. Nothing is allocated for the gradient, so an optimiser can
 * call it millions of times. `f_grad` / `f_vjp` wrap it with fresh zero buffers.
 */
export function publicGrad(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, types: ModuleTypes, routines: ReverseRoutines): GenFunction[] {
  return reverseEntry(fn, program, reserved, wrt, types, routines, 1);
}

/**
 * Vector-mode reverse for `f_jacobian` (emit/jacobian.ts): `f_vjp<K>_into(p..., cotangent_0,
 * ..., cotangent_<K-1>, grad_0, ..., grad_<K-1>)` adds cotangent_k * J into grad_k for each k
 * and returns the value, from one forward sweep: the reverse sweep pops the tape once and runs
 * each statement's adjoint code once per cotangent, on adjoints `dx_0`, ..., `dx_<K-1>`. For a
 * function with a structured result of numbers (or a numeric array), not an array of structures.
 */
export function vectorReverse(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, types: ModuleTypes, routines: ReverseRoutines, copies: number): GenFunction {
  return reverseEntry(fn, program, reserved, wrt, types, routines, copies)[0]!;
}

/**
 * `f_jacobian_into(p..., jacobian, offset = 0): void` for a function whose result has `rows`
 * elements, known at compile time (a structure of numbers, or an array of fixed length): one
 * forward and one reverse sweep write the whole Jacobian, row-major, into `jacobian` from
 * `offset` (rows-into.ts). Throws NoRowsInPlace when the function's code does not allow it (an array
 * parameter's adjoint handed to a helper's routine or a kernel whole).
 */
export function jacobianInto(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, types: ModuleTypes, routines: ReverseRoutines, rows: number): GenFunction {
  return reverseEntry(fn, program, reserved, wrt, types, routines, rows, true)[0]!;
}

/** The name of the entry point writing the Jacobian in place (`f_jacobian_into`). */
export function jacobianIntoName(fn: string): string {
  return `${fn}_jacobian_into`;
}

/** The name of vector mode's reverse entry point with `copies` cotangents (`f_vjp2_into`). */
export function vectorReverseName(fn: string, copies: number): string {
  return generatedName.into(`${generatedName.vjp(fn)}${copies}`);
}

function reverseEntry(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined, types: ModuleTypes, routines: ReverseRoutines, copies: number, rowsInto = false): GenFunction[] {
  const namer = new Namer(reserved);
  const signature = new PublicSignature(fn, types);
  namer.claim(signature.publicVars.values());
  namer.claim(variablesOf(fn));
  const vectorResult = isArrayType(fn.returnType);
  const structResult = fn.resultShape;
  if ((copies > 1 || rowsInto) && (!vectorResult || structResult?.kind === "rows")) throw new InternalError(`no vector mode for ${fn.sourceName}`);
  const vectorMode = copies > 1;
  const each = Array.from({ length: copies }, (_, k) => k);
  const named = (name: string, k: number) => (vectorMode ? `${name}_${k}` : name);
  // A structured result's cotangent arrives shaped like the result; the sweeps read its leaves as a vector.
  const cotangents = each.map((k) => new VarClass(named("cotangent", k), fn.returnType, "generated"));
  const cotangent = cotangents[0]!;
  const cotangentLeaves = structResult?.kind === "rows" ? new VarClass("cotangentLeaves", fn.returnType, "generated") : cotangent;
  const gradVars = each.map((k) => new VarClass(named("grad", k), NUMBER, "generated"));
  const gradVar = gradVars[0]!;
  // A structure's cotangent is read leaf by leaf where the result's leaves are returned.
  const seedOf = (c: Var): Expr => (structResult?.kind === "struct" ? { k: "arrayLit", type: fn.returnType, elements: readResultLeaves(structResult, ref(c)) } : vectorResult ? ref(c === cotangent ? cotangentLeaves : c) : lit(1));
  const independents = independentsOf(fn, wrt);
  // f_jacobian_into: unit cotangents, a variable per leaf of a structure's, replaced by its 1 or 0
  // once the code is written (foldConstants; an array's element reads are replaced the same way).
  const unitLeaves = new Map<Var, number>();
  const unit = (k: number): Expr => ({
    k: "arrayLit",
    type: fn.returnType,
    elements: each.map((i) => {
      const leaf = new VarClass(`unit_${k}_${i}`, NUMBER, "generated");
      unitLeaves.set(leaf, i === k ? 1 : 0);
      return ref(leaf);
    }),
  });
  const seeds = rowsInto && structResult ? each.map(unit) : cotangents.map(seedOf);
  const t = new ReversePlan(fn, program, namer, independents, vectorMode ? seeds : seeds[0]!, true, routines);
  const reverse = new ReverseSweep(t).sweep(t.body);
  t.decideHoisting(reverse);
  const forwardSweep = new ForwardSweep(t, false);
  let forward = forwardSweep.sweep(t.body);
  forwardSweep.fillReruns();
  if (t.control.hasEarlyReturn) forward = [{ k: "block", label: t.sweepLabel, body: forward }];
  const declarations = t.hoistedDeclarations(t.control.hasEarlyReturn ? [t.valueVar] : []);
  const paramAdjoints: Stmt[] = [];
  const handBack: Stmt[] = [];
  const columns: Var[] = [];
  const rowsLayout = rowsInto ? new RowsLayout(independents, copies, signature) : undefined;
  if (rowsLayout) paramAdjoints.push(...rowsLayout.declarations);
  for (const k of each) {
    const adjoints = t.adjointSets[k]!;
    for (const v of independents) {
      if (rowsLayout) {
        // The Jacobian's entries: an array's adjoint is its columns in row k (rows-into.ts), a number's is stored once at the end.
        if (!t.activity.isActive(v)) paramAdjoints.push(...rowsLayout.zeros(k, v));
        else if (isArrayType(v.type)) rowsLayout.arrayAdjoints.push({ adjoint: adjoints.of(v), base: rowsLayout.base(k, v), length: { k: "length", array: ref(v) } });
        else {
          paramAdjoints.push({ k: "declare", v: adjoints.of(v), init: ZERO, mutable: true });
          handBack.push({ k: "store", array: ref(rowsLayout.jacobian), index: rowsLayout.base(k, v), value: ref(adjoints.of(v)) });
        }
        continue;
      }
      if (!t.activity.isActive(v)) continue;
      if (signature.isColumn(v)) {
        // A column of an array of structures: its adjoint is a local array, added into the
        // caller's gradient objects at the end.
        paramAdjoints.push({ k: "declare", v: adjoints.of(v), init: zeroLike(v.type, ref(v)), mutable: false });
        columns.push(v);
      } else if (isArrayType(v.type)) {
        paramAdjoints.push({ k: "declare", v: adjoints.of(v), init: signature.readMember(ref(gradVars[k]!), v, namer, false), mutable: false });
      } else {
        paramAdjoints.push({ k: "declare", v: adjoints.of(v), init: ZERO, mutable: true });
        handBack.push({ k: "accumulateField", object: gradVars[k]!, name: signature.member(v, namer), value: ref(adjoints.of(v)) });
      }
    }
  }
  handBack.push(...signature.handBackColumns(gradVar, columns, (v) => t.adjoints.of(v)));
  const { params: publicParams, unpack } = signature.publicParams(assignedVars(fn.body));
  const prologue: Stmt[] = [...unpack];
  // An array of structures' element count (its columns are laid out one after the other).
  const count = new VarClass("count", NUMBER, "generated");
  if (structResult?.kind === "rows") {
    prologue.push(...flattenRows(structResult, ref(cotangent), cotangentLeaves, count));
  }
  // A structure's value is kept leaf by leaf (`value_x`, `value_y`) instead of in an array.
  const valueLeaves = structResult?.kind === "struct" && !t.control.hasEarlyReturn ? scalarizeValue(forward, reverse, t.valueVar, structResult) : undefined;
  if (valueLeaves) forward = valueLeaves.forward;
  const returned: Expr =
    structResult?.kind === "rows"
      ? buildRowsResult(structResult, ref(t.valueVar), ref(count))
      : structResult
        ? buildResult(structResult, (i) => (valueLeaves ? ref(valueLeaves.leaves[i]!) : { k: "index", array: ref(t.valueVar), index: lit(i) }))
        : ref(t.valueVar);
  const reverseStart: Stmt = { k: "comment", text: "Reverse sweep." };
  const sweeps: Stmt[] = [
    { k: "comment", text: "Forward sweep." },
    ...forward,
    reverseStart,
    ...paramAdjoints,
    ...t.adjointDeclarations(new Set(independents.filter((v) => t.activity.isActive(v)))),
    ...reverse,
    ...handBack,
    ...(rowsLayout ? [] : [{ k: "genReturn", value: returned } as const]),
  ];
  let body: Stmt[] = seedAdjointsInPlace([...prologue, ...t.exitCodeDeclarations(sweeps), ...declarations, ...sweeps]);
  if (rowsLayout) {
    if (!structResult) body = unitCotangents(body, cotangents, copies, fn.returnType, unitLeaves);
    body = dropUnreadResult(foldConstants(body, unitLeaves), t.valueVar);
    const at = body.indexOf(reverseStart) + 1 + rowsLayout.declarations.length;
    body = writeArrayAdjoints(body, rowsLayout.jacobian, rowsLayout.arrayAdjoints, at);
    body = readParameterElementsOnce(body, fn.params.map((p) => p.v));
    const doc = [
      `Writes the Jacobian of \`${fn.sourceName}\` into \`jacobian\`, row-major from \`offset\`: row i (of ${copies}, element i of the result${structResult ? ` in leaf order` : ""}) holds`,
      `the derivatives with respect to ${rowsLayout.columnsText(namer)}, each entry assigned (nothing to zero first).`,
      copies === 1 ? "One forward and one reverse sweep, the unit cotangent folded into the code;" : `One forward and one reverse sweep for ${copies === 2 ? "both rows" : `all ${copies} rows`} (vector mode, the unit cotangents folded into the code);`,
      `allocates nothing and does not return the value (call \`${fn.sourceName}\` for it).`,
      activeParametersDoc(independents, (v) => t.activity.isActive(v), { of: (v) => signature.member(v, namer) }),
    ];
    const jacobianParams = [
      { v: rowsLayout.jacobian, type: "Float64Array" },
      { v: rowsLayout.offset, type: "number", defaultText: "0" },
    ];
    return [{ name: jacobianIntoName(fn.name), exported: true, doc, params: [...publicParams, ...jacobianParams], returnType: "void", body, namer }];
  }
  const gradType = signature.derivativeTypeText(independents, namer);
  const resultType = structResult ? resultTypeText(structResult, types) : typeText(fn.returnType);
  const paramsOut = [...publicParams];
  const cotangentType = structResult ? resultDerivativeTypeText(structResult, types) : mirrorTypeText(fn.returnType);
  if (vectorResult) for (const c of cotangents) paramsOut.push({ v: c, type: cotangentType });
  const baseName = vectorResult ? generatedName.vjp(fn.name) : generatedName.grad(fn.name);
  const intoName = generatedName.into(baseName);
  if (vectorMode) {
    const doc = [
      `Vector-mode reverse: adds \`cotangent_k\` * J of \`${fn.sourceName}\` into \`grad_k\` for each k < ${copies} and returns the value.`,
      `One forward sweep records the tape once; the reverse sweep pops it once and runs the adjoint code of each`,
      `statement for the ${copies} cotangents one after the other (adjoints \`dx_0\` ... \`dx_${copies - 1}\`). \`${fn.name}_jacobian\` calls it;`,
      `call it yourself for a Jacobian without allocation (${copies} rows into gradient buffers you own, zeroed first).`,
      activeParametersDoc(independents, (v) => t.activity.isActive(v), { of: (v) => signature.member(v, namer) }),
    ];
    return [{ name: vectorReverseName(fn.name, copies), exported: true, doc, params: [...paramsOut, ...gradVars.map((g) => ({ v: g, type: gradType }))], returnType: resultType, body, namer }];
  }
  const into: GenFunction = {
    name: intoName,
    exported: true,
    doc: [
      vectorResult
        ? `Reverse mode without allocation: adds \`cotangent\` * J of \`${fn.sourceName}\` into \`grad\` and returns the value.`
        : `Reverse mode without allocation: adds the gradient of \`${fn.sourceName}\` into \`grad\` and returns the value.`,
      "Arrays in `grad` are accumulated in place and numbers incremented: zero them first for a plain gradient.",
      activeParametersDoc(independents, (v) => t.activity.isActive(v), { of: (v) => signature.member(v, namer) }),
    ],
    params: [...paramsOut, { v: gradVar, type: gradType }],
    returnType: resultType,
    body,
    namer,
  };

  // The allocating wrapper.
  const wrapperNamer = new Namer(reserved);
  const wrapperSignature = signature.publicParams(new Set());
  wrapperNamer.claim(wrapperSignature.params.map((p) => p.v));
  const wrapperGrad = new VarClass("grad", NUMBER, "generated");
  const value = new VarClass("value", fn.returnType, "generated");
  const zeros = signature.zeroDerivatives(independents, wrapperNamer, zeroLike);
  const args: Expr[] = [...wrapperSignature.params.map((p) => ref(p.v)), ...(vectorResult ? [ref(cotangent)] : []), ref(wrapperGrad)];
  const wrapper: GenFunction = {
    name: baseName,
    exported: true,
    doc: [
      vectorResult
        ? `Reverse mode: the value of \`${fn.sourceName}\` and the vector-Jacobian product \`cotangent\` * J for each parameter.`
        : `Reverse mode: the value of \`${fn.sourceName}\` and its gradient with respect to each parameter.`,
      activeParametersDoc(independents, (v) => t.activity.isActive(v), { of: (v) => signature.member(v, namer) }),
    ],
    params: [...wrapperSignature.params, ...(vectorResult ? [{ v: cotangent, type: cotangentType }] : [])],
    returnType: `{ value: ${resultType}; grad: ${gradType} }`,
    body: [
      { k: "declare", v: wrapperGrad, init: zeros, mutable: false, ...(signature.structured ? { annotation: gradType } : {}) },
      { k: "declare", v: value, init: { k: "call", fn: intoName, args }, mutable: false },
      { k: "genReturn", value: { k: "object", fields: [{ name: "value", value: ref(value) }, { name: "grad", value: ref(wrapperGrad) }] } },
    ],
    namer: wrapperNamer,
  };
  return [into, wrapper];
}

/**
 * Where f_jacobian_into writes each derivative: row k from `offset + k * columns`, in each row
 * the independents' columns in order (an array's elements, one for a number), and the
 * declarations of the offsets the code reads (`row_1 = offset + columns`, `row_1_X = row_1 +
 * cam.length`: an array's first column, when arrays of run-time length come before it).
 */
class RowsLayout {
  readonly jacobian = new VarClass("jacobian", { kind: "vector", repr: "f64", readonly: false }, "generated");
  readonly offset = new VarClass("offset", NUMBER, "generated");
  readonly declarations: Stmt[] = [];
  readonly arrayAdjoints: RowColumns[] = [];
  private readonly rows: Expr[] = [];
  private readonly starts = new Map<Var, { constant: number; lengths: Expr[] }>();
  private readonly arrayBases = new Map<string, Expr>();

  constructor(
    private readonly independents: readonly Var[],
    rows: number,
    private readonly signature: PublicSignature,
  ) {
    let constant = 0;
    const lengths: Expr[] = [];
    for (const v of independents) {
      this.starts.set(v, { constant, lengths: [...lengths] });
      if (v.type.kind === "number") constant += 1;
      else if (v.type.kind === "vector") lengths.push({ k: "length", array: ref(v) });
      else throw new InternalError(`no f_jacobian_into for a parameter of type ${v.type.kind}`);
    }
    // Columns per row: a literal, or `columns = cam.length + X.length + 1` (declared when a second row needs it).
    let perRow: Expr = lit(constant);
    if (lengths.length > 0) {
      const columns = new VarClass("columns", NUMBER, "generated");
      if (rows > 1) this.declarations.push({ k: "declare", v: columns, init: sum([...lengths, lit(constant)])!, mutable: false });
      perRow = ref(columns);
    }
    for (let k = 0; k < rows; k++) {
      if (k === 0) {
        this.rows.push(ref(this.offset));
        continue;
      }
      const row = new VarClass(`row_${k}`, NUMBER, "generated");
      const step: Expr = perRow.k === "num" ? lit(perRow.value * k) : k === 1 ? perRow : { k: "binary", op: "*", a: lit(k), b: perRow };
      this.declarations.push({ k: "declare", v: row, init: { k: "binary", op: "+", a: ref(this.offset), b: step }, mutable: false });
      this.rows.push(ref(row));
    }
    // An array after arrays of run-time length: its first column in each row, declared once.
    for (let k = 0; k < rows; k++) {
      for (const v of independents) {
        const start = this.starts.get(v)!;
        if (v.type.kind !== "vector" || start.lengths.length === 0) continue;
        const at = new VarClass(`row_${k}_${v.name}`, NUMBER, "generated");
        this.declarations.push({ k: "declare", v: at, init: plus(sum([this.rows[k]!, ...start.lengths])!, lit(start.constant)), mutable: false });
        this.arrayBases.set(`${k}:${v.id}`, ref(at));
      }
    }
  }

  /** The position of `v`'s first column in row k. */
  base(k: number, v: Var): Expr {
    const declared = this.arrayBases.get(`${k}:${v.id}`);
    if (declared) return declared;
    const start = this.starts.get(v)!;
    return plus(sum([this.rows[k]!, ...start.lengths])!, lit(start.constant));
  }

  /** Zeros for an independent whose derivative is 0 (inactive), in row k. */
  zeros(k: number, v: Var): Stmt[] {
    const at = this.base(k, v);
    if (v.type.kind === "vector") return [zeroLoop(ref(this.jacobian), at, plus(at, { k: "length", array: ref(v) }))];
    return [{ k: "store", array: ref(this.jacobian), index: at, value: ZERO }];
  }

  /** "`cam`'s elements, then `X`'s, then `w`" for the doc. */
  columnsText(namer: Namer): string {
    const names = this.independents.map((v) => `\`${this.signature.member(v, namer)}\`${v.type.kind === "vector" ? "'s elements" : ""}`);
    return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", then ")}, then ${names[names.length - 1]}`;
  }
}

/**
 * The forward sweep with `value = [a, b]` (a structured result's leaves) split into one
 * variable per leaf, `const value_x = a; const value_y = b;`, when every assignment of `value`
 * is such a literal; undefined otherwise.
 */
function scalarizeValue(forward: Stmt[], reverse: Stmt[], value: Var, shape: Shape<number>): { forward: Stmt[]; leaves: Var[] } | undefined {
  const paths = leafPaths(shape);
  const leaves = paths.map(({ path }) => new VarClass(["value", ...path].join("_"), NUMBER, "generated"));
  let ok = true;
  const split = (list: readonly Stmt[]): Stmt[] =>
    list.flatMap((s): Stmt[] => {
      const init = s.k === "assign" && s.target === value ? s.value : s.k === "declare" && s.v === value ? s.init : undefined;
      const mentions = s.k === "assign" ? s.target === value : s.k === "declare" && s.v === value;
      if (!mentions) return [mapStmtParts(s, (e) => e, split)];
      if (init?.k !== "arrayLit" || init.elements.length !== leaves.length || (s.k === "assign" && !s.declare)) ok = false;
      if (!ok || init?.k !== "arrayLit") return [s];
      const node = "node" in s ? s.node : undefined;
      return leaves.map((leaf, i) => ({ k: "declare", v: leaf, init: init.elements[i]!, mutable: false, ...(node ? { node } : {}) }));
    });
  const out = split(forward);
  const readsValue = varsOfStmts([...out, ...reverse]).has(value);
  return ok && !readsValue ? { forward: out, leaves } : undefined;
}

/**
 * `g_forward` and `g_reverse` for a callee, with adjoints for the parameters `independents`
 * (`suffix` names the pattern when those are not all of them: routines.ts). With `copies` > 1
 * (vector mode) only `g_reverse_x<copies>`, which reads what the pattern's `g_forward` records
 * and carries that many cotangents: its parameters are the array adjoints of each cotangent in
 * turn, then the seeds `dvalue_0`, ...; it pushes the scalar adjoints of cotangent 0, then of 1, ...
 */
export function internalReverse(fn: IrFunction, program: IrProgram, reserved: string[], routines: ReverseRoutines, independents: Var[], suffix: string, copies = 1): GenFunction[] {
  const namerForward = new Namer(reserved);
  namerForward.claim(variablesOf(fn));
  const seedVars = Array.from({ length: copies }, (_, k) => new VarClass(copies > 1 ? `dvalue_${k}` : "dvalue", fn.returnType, "generated"));
  const t = new ReversePlan(fn, program, namerForward, independents, copies > 1 ? seedVars.map(ref) : ref(seedVars[0]!), false, routines);
  const reverse = new ReverseSweep(t).sweep(t.body);
  t.decideHoisting(reverse);
  const forwardRoutine = new ForwardSweep(t, true);
  let forward = forwardRoutine.sweep(t.body);
  forwardRoutine.fillReruns();
  if (t.control.hasEarlyReturn) forward = [{ k: "block", label: t.sweepLabel, body: forward }];
  const params = new Set(fn.params.map((p) => p.v));
  const assigned = assignedVars(t.body);
  // What the reverse routine needs from the forward one, in a fixed order.
  const passed = variablesOf({ ...fn, body: t.body }).filter((v) => t.liveAtEnd.has(v) && (!params.has(v) || assigned.has(v)));
  const epilogue: Stmt[] = passed.map(pushValue);
  if (t.control.usesExitCodes) epilogue.push(exprStmt(tape("pushInt", ref(t.exitVar))));
  const forwardSweep: Stmt[] = [...forward, ...epilogue, { k: "genReturn", value: ref(t.valueVar) }];
  const forwardBody: Stmt[] = [...t.exitCodeDeclarations(forwardSweep), ...t.hoistedDeclarations(t.control.hasEarlyReturn ? [t.valueVar] : []), ...forwardSweep];

  // The prologue pops what the forward routine passed, declaring each local it pops (`const`
  // unless the reverse code restores it again).
  const restored = assignedVars(reverse);
  const prologue: Stmt[] = [];
  if (t.control.usesExitCodes) prologue.push(assign(t.exitVar, tape("popInt")));
  for (const v of [...passed].reverse()) {
    const pop = popValue(v, !params.has(v));
    if (params.has(v) || pop.k !== "assign") prologue.push(pop);
    else prologue.push({ k: "declare", v, init: pop.value, mutable: restored.has(v) });
  }
  const paramAdjoints: Stmt[] = [];
  const adjointParams: { v: Var; type: string }[] = [];
  const scalarAdjoints: Var[] = [];
  for (const adjoints of t.adjointSets) {
    for (const v of independents) {
      const dv = adjoints.of(v);
      if (isArrayType(v.type)) adjointParams.push({ v: dv, type: mirrorTypeText(v.type) });
      else {
        paramAdjoints.push({ k: "declare", v: dv, init: ZERO, mutable: true });
        scalarAdjoints.push(dv);
      }
    }
  }
  // Other variables the reverse routine reads: declared here, set by restorations.
  const locals = variablesOf({ ...fn, body: t.body }).filter((v) => !params.has(v) && !passed.includes(v) && !t.blockScoped.has(v) && (t.reverseReads.has(v) || t.hoisted.has(v)));
  const localDeclarations: Stmt[] = locals.map((v) => ({ k: "declare", v, init: zeroOf(v.type), mutable: true }));
  const counters = t.hoistedDeclarations().filter((d) => d.k === "declare" && !locals.includes(d.v) && !t.hoisted.has(d.v) && !passed.includes(d.v));
  const reverseBody: Stmt[] = [
    ...t.exitCodeDeclarations(reverse),
    ...localDeclarations,
    ...counters,
    ...prologue,
    ...paramAdjoints,
    // (A parameter outside `independents` that becomes active gets a local adjoint.)
    ...t.adjointDeclarations(new Set(independents)),
    ...reverse,
    ...scalarAdjoints.map((dv) => exprStmt(tape("push", ref(dv)))),
  ];
  const typedParams = fn.params.map((p) => ({ v: p.v, type: typeText(p.v.type) }));
  const forwardFn: GenFunction = {
    name: generatedName.forwardSweep(fn.name) + suffix,
    exported: false,
    doc: [`Forward sweep of \`${fn.sourceName}\`: its value, recording on the tape what \`${generatedName.reverseSweep(fn.name) + suffix}\` needs.`],
    params: typedParams,
    returnType: typeText(fn.returnType),
    body: forwardBody,
    namer: namerForward,
  };
  const reverseFn: GenFunction = {
    name: generatedName.reverseSweep(fn.name) + suffix,
    exported: false,
    doc:
      copies > 1
        ? [
            `Reverse sweep of \`${fn.sourceName}\` for ${copies} cotangents at once (vector mode): adds \`dvalue_k\` times its derivative`,
            `to the adjoints of its arguments for each k, popping what \`${forwardFn.name.replace(/_x\d+$/, "")}\` recorded once`,
            "(arrays in place; numbers pushed on the tape in parameter order, cotangent 0 first).",
          ]
        : [
            `Reverse sweep of \`${fn.sourceName}\`: adds \`dvalue\` times its derivative to the adjoints of its arguments`,
            "(arrays in place; numbers pushed on the tape in parameter order).",
          ],
    params: [...typedParams, ...adjointParams, ...seedVars.map((v) => ({ v, type: mirrorTypeText(fn.returnType) }))],
    returnType: "void",
    body: reverseBody,
    namer: namerForward,
  };
  // (Vector mode's reverse routine reads the tape of the plain pattern's forward routine.)
  return copies > 1 ? [reverseFn] : [forwardFn, reverseFn];
}
