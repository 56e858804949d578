/**
 * `--hvp`: `f_hvp(p..., v)`, the value, gradient and Hessian-vector product of `f` from one
 * reverse sweep over its directional derivative (ad/second-order.ts), whose `_vjp_into` it calls
 * with the cotangent { value: 0, tangent: 1 }: the adjoints of the parameters are then H v, those
 * of the tangents the gradient.
 */
import type { IrFunction, Type, Var } from "../ir/nodes.js";
import { typeText } from "../frontend/types.js";
import { mirrorTypeText } from "../ad/common.js";
import { zerosLikeText } from "./printer.js";
import { localNames } from "./text-functions.js";

/**
 * The text of `f_hvp`: `fn` is the source function, `directional` the name of the directional
 * derivative's reverse entry (`f_directional_vjp_into`), `independents` the parameters with a
 * tangent (in order; their tangents are named by `tangentOf`), `gradParams` every parameter of the
 * directional function that has a `grad` entry.
 */
export function hvpFunction(fn: IrFunction, directionalInto: string, independents: readonly Var[], tangentOf: (v: Var) => string, gradParams: readonly { name: string; type: Type }[]): string {
  const params = fn.params.map((p) => p.v);
  const local = localNames(params.map((v) => v.name));
  const [v, adjoints, result] = ["v", "adjoints", "result"].map(local) as [string, string, string];
  const derivativeType = `{ ${independents.map((p) => `${p.name}: ${mirrorTypeText(p.type)}`).join("; ")} }`;
  const directionType = `{ ${independents.map((p) => `${p.name}?: ${mirrorTypeText(p.type)}`).join("; ")} }`;
  const shapeOf = (name: string): string => {
    // A tangent has its parameter's shape.
    const own = params.find((p) => p.name === name) ?? independents.find((p) => tangentOf(p) === name);
    return own?.name ?? name;
  };
  const args = [...params.map((p) => p.name), ...independents.map((p) => `${v}.${p.name} ?? ${zerosLikeText(p.type, p.name)}`)];
  return [
    "/**",
    ` * Hessian-vector product of \`${fn.sourceName}\`: its value, its gradient, and H v, the Hessian times the`,
    " * direction `v` (a missing entry counts as zero), from one reverse sweep over the forward-mode",
    " * derivative (reverse over forward). H v costs a small multiple of the gradient.",
    " */",
    `export function ${fn.name}_hvp(${[...params.map((p) => `${p.name}: ${typeText(p.type)}`), `${v}: ${directionType}`].join(", ")}): { value: number; grad: ${derivativeType}; hvp: ${derivativeType} } {`,
    `  const ${adjoints} = { ${gradParams.map((p) => `${p.name}: ${zerosLikeText(p.type, shapeOf(p.name))}`).join(", ")} };`,
    `  const ${result} = ${directionalInto}(${args.join(", ")}, { value: 0, tangent: 1 }, ${adjoints});`,
    `  return { value: ${result}.value, grad: { ${independents.map((p) => `${p.name}: ${adjoints}.${tangentOf(p)}`).join(", ")} }, hvp: { ${independents.map((p) => `${p.name}: ${adjoints}.${p.name}`).join(", ")} } };`,
    "}",
  ].join("\n");
}

/**
 * The text of `f_hessian` over `f_hvp`: the dense Hessian with respect to the parameters in
 * `independents`, their elements one after the other in parameter order (a number is one), from
 * one Hessian-vector product per column.
 */
export function hessianFunction(fn: IrFunction, independents: readonly Var[]): string {
  const params = fn.params.map((p) => p.v);
  const local = localNames(params.map((v) => v.name));
  const [hessian, column, product, first, unit, j, k] = ["hessian", "column", "product", "first", "unit", "j", "k"].map(local) as [string, string, string, string, string, string, string];
  const args = params.map((p) => p.name).join(", ");
  const derivativeType = `{ ${independents.map((p) => `${p.name}: ${mirrorTypeText(p.type)}`).join("; ")} }`;
  const lines = [
    "/**",
    ` * The Hessian of \`${fn.sourceName}\` with its value and gradient: \`hessian[i][j]\` is the second derivative`,
    ` * with respect to elements i and j of ${independents.map((p) => `\`${p.name}\``).join(", then ")} taken one after the other${independents.length > 1 ? " (a number is one element)" : ""}.`,
    " * One Hessian-vector product per column.",
    " */",
    `export function ${fn.name}_hessian(${params.map((p) => `${p.name}: ${typeText(p.type)}`).join(", ")}): { value: number; grad: ${derivativeType}; hessian: number[][] } {`,
    `  const ${hessian}: number[][] = [];`,
    `  let ${first}: { value: number; grad: ${derivativeType} } | undefined;`,
  ];
  // One block of columns per parameter: a unit direction in each of its elements.
  for (const v of independents) {
    if (v.type.kind === "vector") {
      lines.push(`  for (let ${j} = 0; ${j} < ${v.name}.length; ${j}++) {`);
      lines.push(`    const ${unit} = ${zerosLikeText(v.type, v.name)};`);
      lines.push(`    ${unit}[${j}] = 1;`);
      lines.push(`    const ${product} = ${fn.name}_hvp(${args}, { ${v.name}: ${unit} });`);
    } else {
      lines.push("  {");
      lines.push(`    const ${product} = ${fn.name}_hvp(${args}, { ${v.name}: 1 });`);
    }
    lines.push(`    ${first} ??= ${product};`);
    lines.push(`    const ${column}: number[] = [];`);
    for (const q of independents) {
      if (q.type.kind === "vector") lines.push(`    for (let ${k} = 0; ${k} < ${q.name}.length; ${k}++) ${column}.push(${product}.hvp.${q.name}[${k}]!);`);
      else lines.push(`    ${column}.push(${product}.hvp.${q.name});`);
    }
    lines.push(`    ${hessian}.push(${column});`);
    lines.push("  }");
  }
  // (Symmetric: its columns are its rows too. Without elements, the value and gradient from a zero direction.)
  lines.push(`  ${first} ??= ${fn.name}_hvp(${args}, {});`);
  lines.push(`  return { value: ${first}.value, grad: ${first}.grad, ${hessian === "hessian" ? "hessian" : `hessian: ${hessian}`} };`);
  lines.push("}");
  return lines.join("\n");
}
