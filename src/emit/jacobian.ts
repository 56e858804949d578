/**
 * `--jacobian`: `f_jacobian(p...)` for a function with a numeric-array result, built on the
 * entry points the module already has. One row per element of the result, one column per
 * element of each differentiated parameter (one for a number). It runs one reverse sweep per
 * row (`f_vjp_into` with a unit cotangent, into one reused buffer) when the result has fewer
 * elements than the parameters have in all, else one forward sweep per column (`f_jvp` with a
 * unit tangent); a mode that was not generated leaves only the other way.
 */
import type { IrFunction, Type, Var } from "../ir/nodes.js";
import { typeText } from "../frontend/types.js";

/** Whether `f_jacobian` can be generated for `fn`: a numeric-array result, numbers and numeric arrays in. */
export function hasJacobian(fn: IrFunction): boolean {
  return fn.returnType.kind === "vector" && fn.resultShape === undefined && fn.publicParams === undefined && fn.params.every((p) => p.v.type.kind === "number" || p.v.type.kind === "vector");
}

/** A zero array like `of`, of the array type `t` (`new Float64Array(x.length)`, `new Array<number>(...).fill(0)`). */
function zerosLike(t: Type, length: string): string {
  if (t.kind !== "vector") return "0";
  return t.repr === "array" ? `new Array<number>(${length}).fill(0)` : `new ${t.repr === "f32" ? "Float32Array" : "Float64Array"}(${length})`;
}

/** The text of `f_jacobian` (`name`: the function's name in the module, `wrt`: the differentiated parameters). */
export function jacobianFunction(fn: IrFunction, name: string, wrt: readonly Var[], modes: { reverse: boolean; forward: boolean }): string {
  const params = fn.params.map((p) => p.v);
  const taken = new Set(params.map((v) => v.name));
  const local = (base: string): string => {
    let n = base;
    for (let i = 2; taken.has(n); i++) n = `${base}_${i}`;
    taken.add(n);
    return n;
  };
  const [value, rows, columns, jacobian, i, j, grad, cotangent, unit, tangent] = ["value", "rows", "columns", "jacobian", "i", "j", "grad", "cotangent", "unit", "tangent"].map(local) as [string, string, string, string, string, string, string, string, string, string];
  const args = params.map((v) => v.name).join(", ");
  const width = (v: Var): string => (v.type.kind === "vector" ? `${v.name}.length` : "1");
  const resultType = typeText(fn.returnType);
  const jacobianType = `{ ${wrt.map((v) => `${v.name}: number[][]`).join("; ")} }`;
  const lines: string[] = [];
  const out = (indent: number, text: string) => lines.push(`${"  ".repeat(indent)}${text}`);
  lines.push("/**");
  lines.push(` * The Jacobian of \`${fn.sourceName}\` and its value: \`jacobian.p[i][j]\` is the derivative of element i of`);
  lines.push(" * the result with respect to element j of parameter p (j = 0 for a number). One reverse sweep");
  lines.push(" * per row when the result is the smaller side, else one forward sweep per column.");
  lines.push(" */");
  lines.push(`export function ${name}_jacobian(${params.map((v) => `${v.name}: ${typeText(v.type)}`).join(", ")}): { value: ${resultType}; jacobian: ${jacobianType} } {`);
  // The value (and so the number of rows) from a sweep without derivatives.
  // (Without forward mode, from a reverse sweep with an empty cotangent, whose gradient is not read.)
  out(1, modes.forward ? `const ${value} = ${name}_jvp(${args}${args ? ", " : ""}{}).value;` : `const ${value} = ${name}_vjp(${args}${args ? ", " : ""}${zerosLike(fn.returnType, "0")}).value;`);
  out(1, `const ${rows} = ${value}.length;`);
  out(1, `const ${columns} = ${wrt.map(width).join(" + ") || "0"};`);
  out(1, `const ${jacobian}: ${jacobianType} = {`);
  for (const v of wrt) out(2, `${v.name}: Array.from({ length: ${rows} }, () => new Array<number>(${width(v)}).fill(0)),`);
  out(1, "};");
  const byRows = modes.reverse && modes.forward ? `${rows} <= ${columns}` : modes.reverse ? "true" : "false";
  const reverseBranch = (indent: number) => {
    // One buffer for every row: zeroed, filled by f_vjp_into, copied into the row.
    out(indent, `const ${cotangent} = ${zerosLike(fn.returnType, rows)};`);
    out(indent, `const ${grad} = ${zeroGrad(wrt)};`);
    out(indent, `for (let ${i} = 0; ${i} < ${rows}; ${i}++) {`);
    for (const v of wrt) out(indent + 1, v.type.kind === "vector" ? `${grad}.${v.name}.fill(0);` : `${grad}.${v.name} = 0;`);
    out(indent + 1, `${cotangent}[${i}] = 1;`);
    out(indent + 1, `${name}_vjp_into(${args}${args ? ", " : ""}${cotangent}, ${grad});`);
    out(indent + 1, `${cotangent}[${i}] = 0;`);
    for (const v of wrt) {
      if (v.type.kind === "vector") out(indent + 1, `for (let ${j} = 0; ${j} < ${v.name}.length; ${j}++) ${jacobian}.${v.name}[${i}]![${j}] = ${grad}.${v.name}[${j}]!;`);
      else out(indent + 1, `${jacobian}.${v.name}[${i}]![0] = ${grad}.${v.name};`);
    }
    out(indent, "}");
  };
  const forwardBranch = (indent: number) => {
    // One forward sweep per column: a unit tangent in one element of one parameter.
    for (const v of wrt) {
      if (v.type.kind === "vector") {
        out(indent, "{");
        out(indent + 1, `const ${unit} = ${zerosLike(v.type, `${v.name}.length`)};`);
        out(indent + 1, `for (let ${j} = 0; ${j} < ${v.name}.length; ${j}++) {`);
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
    return `{ ${vars.map((v) => `${v.name}: ${zerosLike(v.type, `${v.name}.length`)}`).join(", ")} }`;
  }
}
