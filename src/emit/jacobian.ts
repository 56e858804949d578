/**
 * `--jacobian`: `f_jacobian(p...)` for a function with a numeric-array result, built on the
 * entry points the module already has. One row per element of the result, one column per
 * element of each differentiated parameter (one for a number). It runs one reverse sweep per
 * row (`f_vjp_into` with a unit cotangent, into one reused buffer) when the result has fewer
 * elements than the parameters have in all, else one forward sweep per column (`f_jvp` with a
 * unit tangent); a mode that was not generated leaves only the other way.
 */
import type { Expr, IrFunction, RowsType, StructType, Type, Var } from "../ir/nodes.js";
import { forEachStmt } from "../ir/walk.js";
import { typeText } from "../frontend/types.js";
import { zerosLikeText, zerosText } from "./printer.js";
import { localNames } from "./text-functions.js";

/**
 * Whether `f_jacobian` can be generated for `fn`: a numeric-array result, and the differentiated
 * parameters (`independents`) numbers and numeric arrays, each a parameter of its own (not a
 * field of an object). The other parameters, of any type (matrices, objects, index arrays,
 * flags: a model's data, left out by `--wrt`), are passed through to the sweeps.
 */
export function hasJacobian(fn: IrFunction, independents: readonly Var[]): boolean {
  if (fn.returnType.kind !== "vector" || fn.resultShape !== undefined) return false;
  const whole = new Set(fn.publicParams ? fn.publicParams.flatMap((p) => (p.shape.kind === "leaf" && p.name === p.shape.leaf.name && p.key === undefined ? [p.shape.leaf] : [])) : fn.params.map((p) => p.v));
  return independents.every((v) => (v.type.kind === "number" || v.type.kind === "vector") && whole.has(v));
}

/**
 * The number of elements of `fn`'s numeric-array result when it is known at compile time: every
 * `return` returns an array literal, or a local assigned once, from an array literal or an
 * allocation of literal length (`const err = new Float64Array(2); ...; return err;`).
 */
export function fixedResultLength(fn: IrFunction): number | undefined {
  const definitions = new Map<Var, Expr[]>();
  forEachStmt(fn.body, (s) => {
    if (s.k === "assign") definitions.set(s.target, [...(definitions.get(s.target) ?? []), s.value]);
  });
  const lengthOf = (e: Expr): number | undefined => {
    if (e.k === "arrayLit") return e.elements.length;
    if (e.k !== "var" || e.v.origin === "param") return undefined;
    const defs = definitions.get(e.v) ?? [];
    const d = defs.length === 1 ? defs[0]! : undefined;
    if (d?.k === "arrayLit") return d.elements.length;
    if (d?.k === "alloc" && d.inner === undefined && d.length.k === "num" && d.length.text === undefined) return d.length.value;
    return undefined;
  };
  let length: number | undefined;
  let fixed = true;
  forEachStmt(fn.body, (s) => {
    if (s.k !== "return") return;
    const n = lengthOf(s.value);
    if (n === undefined || (length !== undefined && n !== length)) fixed = false;
    else length = n;
  });
  return fixed ? length : undefined;
}

/** A parameter of `f_jacobian`'s signature: its name and type as the entry points spell them. */
export interface JacobianParam {
  name: string;
  typeText: string;
}

/**
 * Rows or columns per vector-mode sweep of `f_jacobian` for a numeric-array result, whose size
 * is known only at run time: pairs, the last odd one a sweep of its own. (Larger blocks save
 * less per row, a forward sweep shared by more, and a padded block's unused cotangent costs a
 * whole reverse sweep's adjoint code: with blocks of K > 2 only a remainder of K - 1 is padded.)
 */
export const ARRAY_BLOCK = 2;

/** The fewest rows or columns left for which f_jacobian still takes a (padded) block. */
const fullEnough = (K: number) => Math.max(2, K - 1);
// (By rows, the last rows fewer than a block are taken one sweep each: no padding.)

/**
 * The text of `f_jacobian` (`name`: the function's name in the module, `wrt`: the differentiated
 * parameters). `vector` names the vector-mode entry points with ARRAY_BLOCK cotangents or
 * directions, when they were generated.
 */
export function jacobianFunction(fn: IrFunction, name: string, params: readonly JacobianParam[], wrt: readonly Var[], modes: { reverse: boolean; forward: boolean }, vector: { reverse?: string; forward?: string } = {}): string {
  const local = localNames(params.map((v) => v.name));
  const [value, rows, columns, jacobian, i, j, grad, cotangent, unit, tangent] = ["value", "rows", "columns", "jacobian", "i", "j", "grad", "cotangent", "unit", "tangent"].map(local) as [string, string, string, string, string, string, string, string, string, string];
  const [k, cotangents, units, block] = ["k", "cotangents", "units", "block"].map(local) as [string, string, string, string];
  const K = ARRAY_BLOCK;
  const each = Array.from({ length: K }, (_, n) => n);
  const grads = each.map((n) => local(`grad_${n}`));
  const args = params.map((v) => v.name).join(", ");
  // (The result is a vector: hasJacobian.)
  const zerosOfResult = (length: string): string => (fn.returnType.kind === "vector" ? zerosText(fn.returnType.repr, length) : "0");
  const width = (v: Var): string => (v.type.kind === "vector" ? `${v.name}.length` : "1");
  const resultType = typeText(fn.returnType);
  const jacobianType = `{ ${wrt.map((v) => `${v.name}: number[][]`).join("; ")} }`;
  const lines: string[] = [];
  const out = (indent: number, text: string) => lines.push(`${"  ".repeat(indent)}${text}`);
  lines.push("/**");
  lines.push(` * The Jacobian of \`${fn.sourceName}\` and its value: \`jacobian.p[i][j]\` is the derivative of element i of`);
  lines.push(" * the result with respect to element j of parameter p (j = 0 for a number). One reverse sweep");
  lines.push(" * per row when the result is the smaller side, else one forward sweep per column.");
  if (vector.reverse || vector.forward) lines.push(` * Vector mode: ${K} rows or columns per sweep, ${K === 2 ? "the last one, when their number is odd, a sweep of its own" : `the last ${fullEnough(K) - 1} or fewer one sweep each`}.`);
  lines.push(" */");
  lines.push(`export function ${name}_jacobian(${params.map((v) => `${v.name}: ${v.typeText}`).join(", ")}): { value: ${resultType}; jacobian: ${jacobianType} } {`);
  // The value (and so the number of rows) from a sweep without derivatives.
  // (Without forward mode, from a reverse sweep with an empty cotangent, whose gradient is not read.)
  out(1, modes.forward ? `const ${value} = ${name}_jvp(${args}${args ? ", " : ""}{}).value;` : `const ${value} = ${name}_vjp(${args}${args ? ", " : ""}${zerosOfResult("0")}).value;`);
  out(1, `const ${rows} = ${value}.length;`);
  // (Only where both ways are possible: the smaller side chooses.)
  if (modes.reverse && modes.forward) out(1, `const ${columns} = ${wrt.map(width).join(" + ") || "0"};`);
  out(1, `const ${jacobian}: ${jacobianType} = {`);
  for (const v of wrt) out(2, `${v.name}: Array.from({ length: ${rows} }, () => new Array<number>(${width(v)}).fill(0)),`);
  out(1, "};");
  const byRows = modes.reverse && modes.forward ? `${rows} <= ${columns}` : modes.reverse ? "true" : "false";
  const copyRow = (indent: number, from: string, row: string) => {
    for (const v of wrt) {
      if (v.type.kind === "vector") out(indent, `for (let ${j} = 0; ${j} < ${v.name}.length; ${j}++) ${jacobian}.${v.name}[${row}]![${j}] = ${from}.${v.name}[${j}]!;`);
      else out(indent, `${jacobian}.${v.name}[${row}]![0] = ${from}.${v.name};`);
    }
  };
  const reverseBranch = (indent: number) => {
    if (vector.reverse) {
      vectorRows(indent);
      return;
    }
    // One buffer for every row: zeroed, filled by f_vjp_into, copied into the row.
    out(indent, `const ${cotangent} = ${zerosOfResult(rows)};`);
    out(indent, `const ${grad} = ${zeroGrad(wrt)};`);
    out(indent, `for (let ${i} = 0; ${i} < ${rows}; ${i}++) {`);
    for (const v of wrt) out(indent + 1, v.type.kind === "vector" ? `${grad}.${v.name}.fill(0);` : `${grad}.${v.name} = 0;`);
    out(indent + 1, `${cotangent}[${i}] = 1;`);
    out(indent + 1, `${name}_vjp_into(${args}${args ? ", " : ""}${cotangent}, ${grad});`);
    out(indent + 1, `${cotangent}[${i}] = 0;`);
    copyRow(indent + 1, grad, i);
    out(indent, "}");
  };
  /**
   * Vector mode by rows: K rows per forward and reverse sweep (f_vjp<K>_into with K unit
   * cotangents), the gradients of array parameters added straight into the Jacobian's rows
   * (zeros until then), those of numbers copied; the last rows, fewer than K, a sweep each.
   */
  const vectorRows = (indent: number) => {
    // A gradient whose arrays are the Jacobian's rows `row` (typed like the parameters for the
    // entry point's signature: the rows are plain arrays, which it reads and writes the same way).
    const gradInto = (row: string): string =>
      `{ ${wrt.map((v) => `${v.name}: ${v.type.kind === "vector" ? `${jacobian}.${v.name}[${row}]!${v.type.repr === "array" ? "" : ` as unknown as ${v.type.repr === "f64" ? "Float64Array" : "Float32Array"}`}` : "0"}`).join(", ")} }`;
    const numbersBack = (from: string, row: string) => {
      for (const v of wrt) if (v.type.kind !== "vector") out(indent + 1, `${jacobian}.${v.name}[${row}]![0] = ${from}.${v.name};`);
    };
    out(indent, `const ${cotangents} = [${each.map(() => zerosOfResult(rows)).join(", ")}];`);
    out(indent, `let ${i} = 0;`);
    out(indent, `for (; ${i} + ${K} <= ${rows}; ${i} += ${K}) {`);
    each.forEach((n) => out(indent + 1, `${cotangents}[${n}]![${i}${n ? ` + ${n}` : ""}] = 1;`));
    each.forEach((n) => out(indent + 1, `const ${grads[n]} = ${gradInto(`${i}${n ? ` + ${n}` : ""}`)};`));
    out(indent + 1, `${vector.reverse}(${args}${args ? ", " : ""}${each.map((n) => `${cotangents}[${n}]!`).join(", ")}, ${grads.join(", ")});`);
    each.forEach((n) => out(indent + 1, `${cotangents}[${n}]![${i}${n ? ` + ${n}` : ""}] = 0;`));
    each.forEach((n) => numbersBack(grads[n]!, `${i}${n ? ` + ${n}` : ""}`));
    out(indent, "}");
    out(indent, `// ${K === 2 ? "The last row, when their number is odd: a reverse sweep of its own." : "The last rows, one reverse sweep each."}`);
    out(indent, `for (; ${i} < ${rows}; ${i}++) {`);
    out(indent + 1, `${cotangents}[0]![${i}] = 1;`);
    out(indent + 1, `const ${grad} = ${gradInto(i)};`);
    out(indent + 1, `${name}_vjp_into(${args}${args ? ", " : ""}${cotangents}[0]!, ${grad});`);
    out(indent + 1, `${cotangents}[0]![${i}] = 0;`);
    numbersBack(grad, i);
    out(indent, "}");
  };
  const forwardBranch = (indent: number) => {
    // One forward sweep per column: a unit tangent in one element of one parameter.
    for (const v of wrt) {
      if (v.type.kind === "vector") {
        out(indent, "{");
        if (vector.forward) {
          // Vector mode: K columns per forward sweep, K unit tangents (a padded block's extra ones zero).
          out(indent + 1, `const ${units} = ${v.name}.length >= ${fullEnough(K)} ? [${each.map(() => zerosLikeText(v.type, v.name)).join(", ")}] : [];`);
          out(indent + 1, `let ${j} = 0;`);
          out(indent + 1, `for (; ${v.name}.length - ${j} >= ${fullEnough(K)}; ${j} += ${K}) {`);
          out(indent + 2, `for (let ${k} = 0; ${k} < ${K} && ${j} + ${k} < ${v.name}.length; ${k}++) ${units}[${k}]![${j} + ${k}] = 1;`);
          out(indent + 2, `const ${block} = ${vector.forward}(${args}, ${each.map((n) => `{ ${v.name}: ${units}[${n}]! }`).join(", ")});`);
          out(indent + 2, `const ${tangent}s = [${each.map((n) => `${block}.tangent_${n}`).join(", ")}];`);
          out(indent + 2, `for (let ${k} = 0; ${k} < ${K} && ${j} + ${k} < ${v.name}.length; ${k}++) {`);
          out(indent + 3, `${units}[${k}]![${j} + ${k}] = 0;`);
          out(indent + 3, `for (let ${i} = 0; ${i} < ${rows}; ${i}++) ${jacobian}.${v.name}[${i}]![${j} + ${k}] = ${tangent}s[${k}]![${i}]!;`);
          out(indent + 2, "}");
          out(indent + 1, "}");
          out(indent + 1, `// ${K === 2 ? "The last column, when their number is odd: a forward sweep of its own." : "The last columns, one forward sweep each."}`);
        }
        out(indent + 1, `const ${unit} = ${zerosLikeText(v.type, v.name)};`);
        out(indent + 1, vector.forward ? `for (; ${j} < ${v.name}.length; ${j}++) {` : `for (let ${j} = 0; ${j} < ${v.name}.length; ${j}++) {`);
        out(indent + 2, `${unit}[${j}] = 1;`);
        out(indent + 2, `const ${tangent} = ${name}_jvp(${args}, { ${v.name}: ${unit} }).tangent;`);
        out(indent + 2, `${unit}[${j}] = 0;`);
        out(indent + 2, `for (let ${i} = 0; ${i} < ${rows}; ${i}++) ${jacobian}.${v.name}[${i}]![${j}] = ${tangent}[${i}]!;`);
        out(indent + 1, "}");
        out(indent, "}");
      } else {
        out(indent, "{");
        out(indent + 1, `const ${tangent} = ${name}_jvp(${args}, { ${v.name}: 1 }).tangent;`);
        out(indent + 1, `for (let ${i} = 0; ${i} < ${rows}; ${i}++) ${jacobian}.${v.name}[${i}]![0] = ${tangent}[${i}]!;`);
        out(indent, "}");
      }
    }
  };
  if (byRows === "true") reverseBranch(1);
  else if (byRows === "false") forwardBranch(1);
  else {
    out(1, `if (${byRows}) {`);
    reverseBranch(2);
    out(1, "} else {");
    forwardBranch(2);
    out(1, "}");
  }
  out(1, `return { ${value === "value" ? "value" : `value: ${value}`}, ${jacobian === "jacobian" ? "jacobian" : `jacobian: ${jacobian}`} };`);
  lines.push("}");
  return lines.join("\n");

  function zeroGrad(vars: readonly Var[]): string {
    return `{ ${vars.map((v) => `${v.name}: ${zerosLikeText(v.type, v.name)}`).join(", ")} }`;
  }
}

/** A part of a structure of numbers, for the text of literals and member reads. */
type NumberStruct = { kind: "leaf" } | { kind: "object"; fields: { name: string; part: NumberStruct }[] } | { kind: "tuple"; elements: NumberStruct[] };

/** The structure of numbers a type is (a number, an object or tuple of them), or undefined. */
export function numberStruct(t: Type | StructType | RowsType): NumberStruct | undefined {
  if (t.kind === "number") return { kind: "leaf" };
  if (t.kind === "tuple") {
    const elements = t.elements.map(numberStruct);
    return elements.every((e) => e !== undefined) ? { kind: "tuple", elements: elements as NumberStruct[] } : undefined;
  }
  if (t.kind !== "object" || t.fields.some((f) => f.optional)) return undefined;
  const parts = t.fields.map((f) => numberStruct(f.type));
  return parts.every((p) => p !== undefined) ? { kind: "object", fields: t.fields.map((f, i) => ({ name: f.name, part: parts[i]! })) } : undefined;
}

/** The member paths of a structure's leaves, in leaf order (`.rotation.x`, `[0]`). */
function leafPaths(s: NumberStruct, prefix = ""): string[] {
  if (s.kind === "leaf") return [prefix];
  if (s.kind === "tuple") return s.elements.flatMap((e, i) => leafPaths(e, `${prefix}[${i}]`));
  return s.fields.flatMap((f) => leafPaths(f.part, `${prefix}.${f.name}`));
}

/** A literal of the structure with the given leaf texts, in leaf order. */
function literal(s: NumberStruct, leaves: readonly string[], next = { i: 0 }): string {
  if (s.kind === "leaf") return leaves[next.i++]!;
  if (s.kind === "tuple") return `[${s.elements.map((e) => literal(e, leaves, next)).join(", ")}]`;
  return `{ ${s.fields.map((f) => `${f.name}: ${literal(f.part, leaves, next)}`).join(", ")} }`;
}

/** A parameter or result of `f_jacobian` over structures: a number, or a structure of numbers. */
export interface JacobianPart {
  name: string;
  typeText: string;
  /** Undefined for a number. */
  struct?: NumberStruct;
}

/**
 * `f_jacobian` for a function of numbers and structures of numbers with a structured result
 * (`tip(joints: Joints): Point3`, `reprojectionError(cam, point, w, feat): Vec2`): the sizes are
 * known here, so the sweeps are chosen here, and every unit cotangent or tangent is a literal.
 * `jacobian.p[i][j]`: leaf i of the result (in declaration order), leaf j of p.
 */
export function structJacobianFunction(
  name: string,
  sourceName: string,
  params: readonly JacobianPart[],
  wrt: readonly JacobianPart[],
  result: JacobianPart & { struct: NumberStruct },
  modes: { reverse: boolean; forward: boolean },
  gradTypeText: string,
  /** The name of the vector-mode reverse entry point and its number of cotangents (rows at once), when there is one. */
  vectorReverse?: { name: string; copies: number },
  /** The same for vector-mode forward: directions (columns) at once. */
  vectorForward?: { name: string; copies: number },
): string {
  const local = localNames(params.map((p) => p.name));
  const [value, jacobian, grad] = ["value", "jacobian", "grad"].map(local) as [string, string, string];
  const args = params.map((p) => p.name).join(", ");
  const rows = leafPaths(result.struct);
  const columnsOf = (p: JacobianPart): string[] => (p.struct ? leafPaths(p.struct) : [""]);
  const columns = wrt.reduce((n, p) => n + columnsOf(p).length, 0);
  const byRows = modes.reverse && (!modes.forward || rows.length <= columns);
  const jacobianType = `{ ${wrt.map((p) => `${p.name}: number[][]`).join("; ")} }`;
  const zeros = (p: JacobianPart): string => (p.struct ? literal(p.struct, leafPaths(p.struct).map(() => "0")) : "0");
  const vector = byRows ? vectorReverse : undefined;
  const forwardVector = byRows ? undefined : vectorForward;
  const blocks = vector ? Math.ceil(rows.length / vector.copies) : 0;
  const forwardBlocks = forwardVector ? Math.ceil(columns / forwardVector.copies) : 0;
  const sweeps = !byRows
    ? !forwardVector
      ? `${columns} forward sweeps, one per column`
      : forwardBlocks === 1
        ? `Vector mode: one forward sweep for ${columns === 2 ? "both" : `all ${columns}`} columns`
        : `Vector mode: ${forwardBlocks} forward sweeps, ${forwardVector.copies} columns at a time`
    : !vector
      ? `${rows.length} reverse sweeps, one per row`
      : blocks === 1
        ? `Vector mode: one forward and one reverse sweep for ${rows.length === 2 ? "both" : `all ${rows.length}`} rows`
        : `Vector mode: ${blocks} forward and reverse sweeps, ${vector.copies} rows at a time`;
  const lines = [
    "/**",
    ` * The Jacobian of \`${sourceName}\` and its value: \`jacobian.p[i][j]\` is the derivative of the result's`,
    ` * leaf i (${rows.map((r) => `\`${r.replace(/^\./, "")}\``).join(", ")}) with respect to leaf j of parameter p in`,
    ` * declaration order (j = 0 for a number). ${sweeps}.`,
    " */",
    `export function ${name}_jacobian(${params.map((p) => `${p.name}: ${p.typeText}`).join(", ")}): { value: ${result.typeText}; jacobian: ${jacobianType} } {`,
    `  const ${jacobian}: ${jacobianType} = { ${wrt.map((p) => `${p.name}: []`).join(", ")} };`,
  ];
  if (vector) {
    // Vector mode: the rows in blocks of `copies` unit cotangents, each block one forward
    // sweep and one reverse sweep carrying them all (the last block padded with zero cotangents if need be).
    const K = vector.copies;
    const grads = Array.from({ length: K }, (_, k) => local(`grad_${k}`));
    if (blocks > 1) lines.push(`  let ${value}: ${result.typeText} | undefined;`);
    for (let b = 0; b < blocks; b++) {
      const indent = blocks > 1 ? "    " : "  ";
      if (blocks > 1) lines.push(`  {`);
      const units = grads.map((_, k) => literal(result.struct, rows.map((__, r) => (r === b * K + k ? "1" : "0"))));
      for (const g of grads) lines.push(`${indent}const ${g}: ${gradTypeText} = { ${wrt.map((p) => `${p.name}: ${zeros(p)}`).join(", ")} };`);
      lines.push(`${indent}${blocks > 1 ? "" : "const "}${value} = ${vector.name}(${args}, ${units.join(", ")}, ${grads.join(", ")});`);
      grads.forEach((g, k) => {
        if (b * K + k >= rows.length) return;
        for (const p of wrt) lines.push(`${indent}${jacobian}.${p.name}.push([${columnsOf(p).map((c) => `${g}.${p.name}${c}`).join(", ")}]);`);
      });
      if (blocks > 1) lines.push(`  }`);
    }
    const valueField = blocks > 1 ? `value: ${value}!` : value === "value" ? "value" : `value: ${value}`;
    lines.push(`  return { ${valueField}, ${jacobian === "jacobian" ? "jacobian" : `jacobian: ${jacobian}`} };`);
  } else if (byRows) {
    lines.push(`  let ${value}: ${result.typeText} | undefined;`);
    rows.forEach((_, i) => {
      const unit = literal(result.struct, rows.map((__, k) => (k === i ? "1" : "0")));
      lines.push(`  {`);
      lines.push(`    const ${grad}: ${gradTypeText} = { ${wrt.map((p) => `${p.name}: ${zeros(p)}`).join(", ")} };`);
      lines.push(`    ${value} = ${name}_vjp_into(${args}, ${unit}, ${grad});`);
      for (const p of wrt) lines.push(`    ${jacobian}.${p.name}.push([${columnsOf(p).map((c) => `${grad}.${p.name}${c}`).join(", ")}]);`);
      lines.push(`  }`);
    });
    lines.push(`  return { value: ${value}!, ${jacobian === "jacobian" ? "jacobian" : `jacobian: ${jacobian}`} };`);
  } else {
    // Columns first, then turned into rows.
    const units: string[] = [];
    for (const p of wrt) {
      columnsOf(p).forEach((_, j) => {
        const unit = p.struct ? literal(p.struct, columnsOf(p).map((__, k) => (k === j ? "1" : "0"))) : "1";
        units.push(`{ ${p.name}: ${unit} }`);
      });
    }
    const [columnsVar] = [local("columns")];
    if (forwardVector) {
      // Vector mode: the columns in blocks of `copies` unit tangents, one forward sweep each (the last block padded with empty tangents if need be).
      const K = forwardVector.copies;
      const blockNames = Array.from({ length: Math.ceil(units.length / K) }, (_, b) => local(`block_${b}`));
      blockNames.forEach((block, b) => {
        const directions = Array.from({ length: K }, (_, k) => units[b * K + k] ?? "{}");
        lines.push(`  const ${block} = ${forwardVector.name}(${args}, ${directions.join(", ")});`);
      });
      lines.push(`  const ${value} = ${blockNames[0]}.value;`);
      lines.push(`  const ${columnsVar} = [${units.map((_, c) => `${blockNames[Math.floor(c / K)]}.tangent_${c % K}`).join(", ")}];`);
    } else {
      lines.push(`  const ${value} = ${name}_jvp(${args}, {}).value;`);
      lines.push(`  const ${columnsVar} = [`);
      for (const u of units) lines.push(`    ${name}_jvp(${args}, ${u}).tangent,`);
      lines.push("  ];");
    }
    let at = 0;
    for (const p of wrt) {
      const width = columnsOf(p).length;
      const from = at;
      lines.push(`  ${jacobian}.${p.name} = [${rows.map((r) => `[${Array.from({ length: width }, (_, j) => `${columnsVar}[${from + j}]!${r}`).join(", ")}]`).join(", ")}];`);
      at += width;
    }
    lines.push(`  return { ${value === "value" ? "value" : `value: ${value}`}, ${jacobian === "jacobian" ? "jacobian" : `jacobian: ${jacobian}`} };`);
  }
  lines.push("}");
  return lines.join("\n");
}

/** Most cotangents (rows) or directions (columns) one vector-mode sweep carries: more go in even blocks of at most this many. */
export const MAX_VECTOR_COPIES = 8;

/**
 * The number of rows and columns of `f_jacobian` over structures (the `wrt` parameters' leaves),
 * known at compile time, and whether it goes by rows (reverse sweeps) with both modes generated.
 */
export function structJacobianSize(fn: IrFunction, wrt: Set<string> | undefined): { rows: number; columns: number; byRows: boolean } | undefined {
  const shape = structJacobianShape(fn);
  if (!shape) return undefined;
  const names = fn.publicParams ? fn.publicParams.map((p) => p.key ?? p.name) : fn.params.map((p) => p.v.name);
  const rows = leafPaths(shape.result).length;
  const columns = names.reduce((n, name, i) => (wrt && !wrt.has(name) ? n : n + (shape.params[i] ? leafPaths(shape.params[i]!).length : 1)), 0);
  return { rows, columns, byRows: rows <= columns };
}

/**
 * The parts of `f_jacobian` over structures for `fn`, when its result is a structure of numbers
 * and its parameters numbers and structures of numbers; undefined otherwise.
 */
export function structJacobianShape(fn: IrFunction): { params: (NumberStruct | undefined)[]; result: NumberStruct } | undefined {
  const result = fn.resultShape?.kind === "struct" ? numberStruct(fn.resultShape.type) : undefined;
  if (!result) return undefined;
  const params = fn.publicParams ? fn.publicParams.map((p) => (p.shape.kind === "leaf" ? (p.shape.leaf.type.kind === "number" ? null : undefined) : p.shape.kind === "struct" ? numberStruct(p.shape.type) : undefined)) : fn.params.map((p) => (p.v.type.kind === "number" ? null : undefined));
  if (params.some((p) => p === undefined)) return undefined;
  return { params: params.map((p) => p ?? undefined), result };
}
