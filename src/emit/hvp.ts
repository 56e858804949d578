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
export function hvpFunction(fn: IrFunction, directionalInto: string, independents: readonly Var[], tangentOf: (v: Var) => string, gradParams: readonly { name: string; type: Type }[], nested = false): string {
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
  // (For a nested derivative, frontend/nested.ts: the directional function of a callee, whose
  // result is the vector [value, tangent], and the product is no entry point of the module.)
  const [seed, value] = nested ? ["[0, 1]", `${result}[0]!`] : ["{ value: 0, tangent: 1 }", `${result}.value`];
  return [
    "/**",
    ` * Hessian-vector product of \`${fn.sourceName}\`: its value, its gradient, and H v, the Hessian times the`,
    " * direction `v` (a missing entry counts as zero), from one reverse sweep over the forward-mode",
    " * derivative (reverse over forward). H v costs a small multiple of the gradient.",
    " */",
    `${nested ? "" : "export "}function ${fn.name}_hvp(${[...params.map((p) => `${p.name}: ${typeText(p.type)}`), `${v}: ${directionType}`].join(", ")}): { value: number; grad: ${derivativeType}; hvp: ${derivativeType} } {`,
    `  const ${adjoints} = { ${gradParams.map((p) => `${p.name}: ${zerosLikeText(p.type, shapeOf(p.name))}`).join(", ")} };`,
    `  const ${result} = ${directionalInto}(${args.join(", ")}, ${seed}, ${adjoints});`,
    `  return { value: ${value}, grad: { ${independents.map((p) => `${p.name}: ${adjoints}.${tangentOf(p)}`).join(", ")} }, hvp: { ${independents.map((p) => `${p.name}: ${adjoints}.${p.name}`).join(", ")} } };`,
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

/**
 * The text of `f_gradient_p`, `f_gradient_p_vjp` and `f_gradient_p_jvp` for a nested derivative
 * (frontend/nested.ts): `f_grad(...).grad.p` as a function of f's parameters, its value from
 * `f_grad_into` (`gradInto`), its derivatives from f's Hessian-vector product `f_hvp`. The
 * derivative of the gradient is the Hessian H, which is symmetric: the tangent of grad.p along
 * the tangents t is (H t).p, and a cotangent c of grad.p gives back H (c in p's place, zeros
 * elsewhere), whose entries are the adjoints of all of f's parameters.
 */
export function nestedGradFunctions(fn: IrFunction, param: string, name: string, gradInto: string): string {
  const params = fn.params.map((p) => p.v);
  const local = localNames(params.map((v) => v.name));
  const [cotangent, tangents, product, grad] = ["cotangent", "tangents", "product", "grad"].map(local) as [string, string, string, string];
  const own = params.map((p) => `${p.name}: ${typeText(p.type)}`).join(", ");
  const args = params.map((p) => p.name).join(", ");
  const target = params.find((p) => p.name === param)!;
  const valueType = mirrorTypeText(target.type);
  const gradType = `{ ${params.map((p) => `${p.name}: ${mirrorTypeText(p.type)}`).join("; ")} }`;
  const tangentsType = `{ ${params.map((p) => `${p.name}?: ${mirrorTypeText(p.type)}`).join("; ")} }`;
  const call = `\`${fn.sourceName}_grad(${args}).grad.${param}\``;
  return [
    `/** ${call}, the gradient of \`${fn.sourceName}\` with respect to \`${param}\`. */`,
    `function ${name}(${own}): ${valueType} {`,
    `  const ${grad} = { ${params.map((p) => `${p.name}: ${zerosLikeText(p.type, p.name)}`).join(", ")} };`,
    `  ${gradInto}(${args}, ${grad});`,
    `  return ${grad}.${param};`,
    "}",
    "",
    `/** Reverse mode of ${call}: H c with the cotangent c in \`${param}\`'s place (H, the Hessian, is symmetric). */`,
    `function ${name}_vjp(${own}, ${cotangent}: ${valueType}): { value: ${valueType}; grad: ${gradType} } {`,
    `  const ${product} = ${fn.name}_hvp(${args}, { ${param}: ${cotangent} });`,
    `  return { value: ${product}.grad.${param}, grad: ${product}.hvp };`,
    "}",
    "",
    `/** Forward mode of ${call}: the \`${param}\` entry of H t. */`,
    `function ${name}_jvp(${own}, ${tangents}: ${tangentsType}): { value: ${valueType}; tangent: ${valueType} } {`,
    `  const ${product} = ${fn.name}_hvp(${args}, ${tangents});`,
    `  return { value: ${product}.grad.${param}, tangent: ${product}.hvp.${param} };`,
    "}",
  ].join("\n");
}
