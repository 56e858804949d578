/**
 * Assembles the generated module: header, the runtime import, primal copies of the helpers that
 * generated code calls, internal derivative routines, then the public entry points.
 */
import path from "node:path";
import type ts from "typescript";
import type { IrFunction, Stmt, Var } from "../ir/nodes.js";
import { forEachExpr, forEachStmtExpr, mapStmtParts, varsOfStmts } from "../ir/walk.js";
import type { GenFunction } from "../ad/common.js";
import { Namer } from "../ad/names.js";
import { typeText } from "../frontend/types.js";
import { variablesOf } from "../ad/common.js";
import { inlineRuntime } from "./inline-runtime.js";
import { Printer, printNumber } from "./printer.js";
import { VERSION } from "../version.js";
import { forEachStmt, ownVars } from "./tidy/stmts.js";

export interface ModuleParts {
  /** The source file, as the header names it (relative to the output's directory). */
  sourceLabel: string;
  /** Primal functions of the program, by unique name (copied when generated code calls them). */
  primal: Map<string, IrFunction>;
  /** Generated functions in output order. */
  functions: GenFunction[];
  reserved: string[];
  /** `export type Vec2 = ...` declarations of the structures signatures name. */
  types?: string[];
  /** Second public names of selected functions (`export { f as g }`): `g_grad` is `f_grad`. */
  aliases?: { name: string; of: string; entries: { name: string; of: string }[] }[];
  /** Functions written as text over the entry points (`f_jacobian`), printed after them. */
  extra?: string[];
  /** `--runtime inline`: the runtime's declarations the module uses instead of its import. */
  inlineRuntime?: boolean;
}

/** Module constants (`const SCALE = 100`) read by generated code, by name. */
type Constants = Map<string, number>;

/**
 * Module-level tables of numbers (`const LANCZOS = [...]`) read by generated code, declared once
 * at the module's top (not per call). Each function's lowering has its own Var for a table; the
 * same name and values are one table, and a second table of the same name gets a suffix.
 */
class ModuleTables {
  private readonly byKey = new Map<string, string>();
  private readonly values = new Map<string, readonly number[]>();

  add(body: readonly Stmt[]): void {
    for (const v of varsOfStmts(body)) if (v.moduleTable) this.nameOf(v);
  }

  nameOf(v: Var): string {
    const key = `${v.name}=${v.moduleTable!.join(",")}`;
    let name = this.byKey.get(key);
    if (name === undefined) {
      name = v.name;
      for (let i = 2; this.values.has(name); i++) name = `${v.name}_${i}`;
      this.byKey.set(key, name);
      this.values.set(name, v.moduleTable!);
    }
    return name;
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  declarations(): string {
    return this.names()
      .sort()
      .map((n) => `const ${n} = [${this.values.get(n)!.map(printNumber).join(", ")}];`)
      .join("\n");
  }
}

function collectCalls(body: readonly Stmt[], calls: Set<string>, runtime: Set<string>, constants?: Constants): void {
  forEachStmtExpr(body, (root) =>
    forEachExpr(root, (e) => {
      if (e.k === "call") calls.add(e.fn);
      else if (e.k === "runtime") runtime.add(e.fn.startsWith("tape.") ? "tape" : e.fn);
      else if (e.k === "num" && constants && e.text !== undefined && /^[A-Za-z_$][\w$]*$/.test(e.text) && e.text !== "Infinity" && e.text !== "NaN") {
        constants.set(e.text, e.value);
      }
    }),
  );
}

/**
 * Names the variables of one function as it is printed: the user's variables first, then
 * lowering temporaries (both in source order), then generated ones in order of appearance. Only
 * variables that occur in this function take part, so a name the source uses elsewhere does not
 * rename an adjoint here (`dx` stays the adjoint of `x` unless this function has its own `dx`).
 */
function nameVariables(f: GenFunction, reserved: Iterable<string>, tables: ModuleTables = new ModuleTables()): Namer {
  const namer = new Namer(reserved);
  const seen = new Set<Var>(f.params.map((p) => p.v));
  forEachStmt(f.body, (s) => ownVars(s, seen));
  for (const v of seen) if (v.moduleTable) namer.fixed(v, tables.nameOf(v));
  const rank = (v: Var) => (v.origin === "param" || v.origin === "local" ? 0 : v.origin === "temp" ? 1 : 2);
  // The program's variables in the order lowering created them (source order: a variable the
  // reverse sweep needs is declared at the top, yet the first `t` of the source stays `t`).
  const lowered = [...seen].filter((v) => rank(v) < 2).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  for (const v of lowered) namer.of(v);
  for (const v of seen) namer.of(v);
  return namer;
}

/** One function printed on its own (`--dump`): its variables named as in a module. */
export function printStandalone(f: GenFunction): string {
  return printFunction(f, nameVariables(f, []), new Map()).text;
}

/** A function's text, and per line the source node it comes from (for source maps). */
function printFunction(f: GenFunction, namer: Namer, runtimeAliases: Map<string, string>): Chunk {
  const printer = new Printer(namer, runtimeAliases);
  // An optional parameter is `scale?: number` at the end, `scale: number | undefined` before required ones.
  const optional = (i: number): string => (f.params.slice(i).every((q) => q.v.optional) ? `?: ${f.params[i]!.type}` : `: ${f.params[i]!.type} | undefined`);
  const params = f.params.map((p, i) => `${namer.of(p.v)}${p.v.optional ? optional(i) : `: ${p.type}`}${p.defaultText !== undefined ? ` = ${p.defaultText}` : ""}`).join(", ");
  const doc = f.doc.length === 0 ? "" : f.doc.length === 1 ? `/** ${f.doc[0]} */\n` : `/**\n${f.doc.map((l) => ` * ${l}`).join("\n")}\n */\n`;
  printer.indent();
  printer.stmts(f.body);
  printer.dedent();
  const head = `${doc}${f.exported ? "export " : ""}function ${f.name}(${params}): ${f.returnType} {`;
  const body = printer.text();
  const text = `${head}\n${body}\n}`;
  // (An empty body prints one empty line, with no origin.)
  const bodyOrigins = body === "" && printer.origins.length === 0 ? [undefined] : printer.origins;
  return { text, origins: [...head.split("\n").map(() => undefined), ...bodyOrigins, undefined] };
}

/** A helper of the user's program, printed back as it was (its primal). */
export function primalCopy(fn: IrFunction, reserved: string[]): GenFunction {
  const namer = new Namer(reserved);
  namer.claim(variablesOf(fn));
  return {
    name: fn.name,
    exported: false,
    doc: [`\`${fn.sourceName}\` from ${path.basename(fn.fileName)}, copied because the derivatives below call it.`],
    params: fn.params.map((p) => ({ v: p.v, type: typeText(p.v.type) })),
    returnType: typeText(fn.returnType),
    body: fn.body.map(primalStatement),
    namer,
  };
}

/** Source `return` statements print as generated returns. */
function primalStatement(s: Stmt): Stmt {
  if (s.k === "return") return { k: "genReturn", value: s.value, node: s.node };
  return mapStmtParts(
    s,
    (e) => e,
    (list) => list.map(primalStatement),
  );
}

/** Text, and per line the source node it comes from (or undefined). */
interface Chunk {
  text: string;
  origins?: (ts.Node | undefined)[];
}

/** The module's text, and per line the source node it comes from (for source maps). */
export interface PrintedModule {
  code: string;
  origins: (ts.Node | undefined)[];
}

export function printModule(parts: ModuleParts): PrintedModule {
  const calls = new Set<string>();
  const runtime = new Set<string>();
  const constants: Constants = new Map();
  for (const f of parts.functions) collectCalls(f.body, calls, runtime, constants);
  // Primal copies of every helper generated code calls, and of what those call in turn.
  const primalNeeded: string[] = [];
  // Functions with declared derivatives are the user's own, imported from their source.
  const imported = new Map<string, string>();
  const queue = [...calls].filter((c) => parts.primal.has(c));
  while (queue.length > 0) {
    const name = queue.shift()!;
    const fn = parts.primal.get(name)!;
    if (fn.custom?.namespace && fn.custom.specifier) imported.set(fn.custom.namespace, fn.custom.specifier);
    if (fn.custom || primalNeeded.includes(name)) continue;
    primalNeeded.push(name);
    const inner = new Set<string>();
    collectCalls(fn.body, inner, runtime, constants);
    for (const c of inner) if (parts.primal.has(c)) queue.push(c);
  }
  const primalOrder = [...parts.primal.keys()].filter((n) => primalNeeded.includes(n));
  const functions = [...primalOrder.map((name) => primalCopy(parts.primal.get(name)!, parts.reserved)), ...parts.functions];
  const tables = new ModuleTables();
  for (const f of functions) tables.add(f.body);
  // (With the functions written as text, `extra`: locals must not hide them either.)
  const extraNames = (parts.extra ?? []).flatMap((text) => [...text.matchAll(/^(?:export )?function (\w+)/gm)].map((m) => m[1]!));
  const moduleLevel = [...functions.map((f) => f.name), ...extraNames, ...constants.keys(), ...tables.names()];
  const namers = functions.map((f) => nameVariables(f, moduleLevel, tables));
  // A runtime export whose name the module uses (a function `softmax` of the user's, whose
  // `softmax_vjp` is generated here; a variable `sum`) is imported under another name.
  const used = new Set<string>(moduleLevel);
  for (const namer of namers) for (const n of namer.given()) used.add(n);
  const aliases = new Map<string, string>();
  for (const r of [...runtime].sort()) {
    if (!used.has(r)) continue;
    let alias = `rt_${r}`;
    for (let i = 2; used.has(alias); i++) alias = `rt_${r}_${i}`;
    used.add(alias);
    aliases.set(r, alias);
  }
  const chunks: (string | Chunk)[] = [];
  chunks.push(
    `// Generated by tsgrad ${VERSION} from ${parts.sourceLabel}. Do not edit this file:\n` +
      `// change the source and run \`tsgrad compile\` again.`,
  );
  if (runtime.size > 0 && parts.inlineRuntime) {
    // (The structures' type names are taken too: the runtime has types of its own, `Vec`.)
    const typeNames = (parts.types ?? []).flatMap((t) => [...t.matchAll(/\btype (\w+)/g)].map((m) => m[1]!));
    chunks.push(inlineRuntime([...runtime].sort(), aliases, new Set([...used, ...typeNames])));
  } else if (runtime.size > 0) {
    const imports = [...runtime].sort().map((r) => (aliases.has(r) ? `${r} as ${aliases.get(r)}` : r));
    chunks.push(`import { ${imports.join(", ")} } from "tsgrad/runtime";`);
  }
  for (const [namespace, specifier] of [...imported].sort()) {
    chunks.push(`// The derivatives declared in the source (${specifier.replace(/^\.\//, "")}) are called as they are.\nimport * as ${namespace} from "${specifier}";`);
  }
  if (parts.types && parts.types.length > 0) {
    chunks.push(["// The structures of the source, as the signatures below take and return them.", ...parts.types].join("\n"));
  }
  if (constants.size > 0) {
    const names = [...constants.keys()].sort();
    chunks.push(names.map((n) => `const ${n} = ${printNumber(constants.get(n)!)};`).join("\n"));
  }
  if (tables.names().length > 0) chunks.push(tables.declarations());
  functions.forEach((f, i) => chunks.push(printFunction(f, namers[i]!, aliases)));
  chunks.push(...(parts.extra ?? []));
  for (const a of parts.aliases ?? []) {
    const doc = `/** \`${a.name}\` is exported as another name of \`${a.of}\`: the same derivatives. */`;
    chunks.push([doc, ...a.entries.map((e) => `export const ${e.name} = ${e.of};`)].join("\n"));
  }
  const texts = chunks.map((c) => (typeof c === "string" ? c : c.text));
  const origins: (ts.Node | undefined)[] = [];
  chunks.forEach((c, i) => {
    if (i > 0) origins.push(undefined);
    const lines = (typeof c === "string" ? c : c.text).split("\n").length;
    if (typeof c !== "string" && c.origins && c.origins.length === lines) origins.push(...c.origins);
    else for (let l = 0; l < lines; l++) origins.push(undefined);
  });
  return { code: `${texts.join("\n\n")}\n`, origins };
}
