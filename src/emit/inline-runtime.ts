/**
 * `--runtime inline`: instead of `import { tape, dot } from "tsgrad/runtime"`, the module
 * carries the runtime's declarations it uses (the tape class, the kernels it calls and what
 * those need: types, shape checks), copied from the runtime's sources with their comments, so
 * that an application depends on nothing of tsgrad at run time. A name the module already uses
 * is given to the copy under another (`rt_sum`), as the import would alias it.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

interface Declaration {
  node: ts.Statement;
  sf: ts.SourceFile;
  /** Position among the runtime's declarations (tape.ts, then kernels.ts). */
  order: number;
  /** Top-level names of the runtime it refers to. */
  uses: Set<string>;
}

let declarations: Map<string, Declaration> | undefined;

/** The runtime's sources: runtime/*.ts beside src/ (tests) or beside dist/ (the package). */
function runtimeDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, "../../runtime"), path.resolve(here, "../../../runtime")]) {
    if (fs.existsSync(path.join(candidate, "kernels.ts"))) return candidate;
  }
  throw new Error("the runtime's sources (runtime/*.ts) are not installed beside the compiler");
}

function runtimeDeclarations(): Map<string, Declaration> {
  if (declarations) return declarations;
  const out = new Map<string, Declaration>();
  const dir = runtimeDir();
  let order = 0;
  for (const file of ["tape.ts", "kernels.ts"]) {
    const full = path.join(dir, file);
    const sf = ts.createSourceFile(full, fs.readFileSync(full, "utf8"), ts.ScriptTarget.ES2022, true);
    for (const node of sf.statements) {
      for (const name of declaredNames(node)) out.set(name, { node, sf, order: order++, uses: new Set() });
    }
  }
  for (const d of out.values()) {
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && out.has(n.text) && !isMemberName(n)) d.uses.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(d.node);
  }
  declarations = out;
  return out;
}

function declaredNames(node: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name) return [node.name.text];
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
}

/** A property or member name (`tape.push`, `{ push() {} }`), not a reference to a top-level name. */
function isMemberName(n: ts.Identifier): boolean {
  const p = n.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === n) ||
    ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) || ts.isGetAccessorDeclaration(p) || ts.isPropertySignature(p)) && p.name === n)
  );
}

/**
 * The text that replaces the runtime import: the declarations of `imported` and of what they
 * use, in the runtime's order, none exported. `aliases`: the import's renamings; `taken`: the
 * module's other names, which the copies must not take.
 */
export function inlineRuntime(imported: readonly string[], aliases: ReadonlyMap<string, string>, taken: ReadonlySet<string>): string {
  const all = runtimeDeclarations();
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name) || !all.has(name)) return;
    needed.add(name);
    for (const u of all.get(name)!.uses) visit(u);
  };
  for (const name of imported) visit(name);
  const rename = new Map(aliases);
  const used = new Set([...taken, ...aliases.values()]);
  for (const name of [...needed].sort()) {
    if (rename.has(name) || !taken.has(name)) continue;
    let alias = `rt_${name}`;
    for (let i = 2; used.has(alias); i++) alias = `rt_${name}_${i}`;
    used.add(alias);
    rename.set(name, alias);
  }
  const nodes = [...new Set([...needed].map((n) => all.get(n)!))].sort((a, b) => a.order - b.order);
  const texts = nodes.map((d) => printDeclaration(d, rename));
  return [`// The tsgrad runtime this module uses, inlined (--runtime inline): it imports nothing.`, ...texts].join("\n\n");
}

/** A declaration's text with its leading comments, `export` dropped and names renamed. */
function printDeclaration(d: Declaration, rename: ReadonlyMap<string, string>): string {
  const start = d.node.getFullStart();
  const edits: { at: number; end: number; text: string }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && rename.has(n.text) && !isMemberName(n)) edits.push({ at: n.getStart(d.sf), end: n.getEnd(), text: rename.get(n.text)! });
    ts.forEachChild(n, visit);
  };
  visit(d.node);
  const exportKeyword = ts.canHaveModifiers(d.node) ? ts.getModifiers(d.node)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword) : undefined;
  if (exportKeyword) edits.push({ at: exportKeyword.getStart(d.sf), end: exportKeyword.getEnd() + 1, text: "" });
  let text = d.sf.text.slice(start, d.node.getEnd());
  for (const e of edits.sort((a, b) => b.at - a.at)) text = text.slice(0, e.at - start) + e.text + text.slice(e.end - start);
  // Only the declaration's own comment: the section rules above it in the runtime's file stay there.
  const doc = text.lastIndexOf("/**", d.node.getStart(d.sf) - start);
  return (doc >= 0 ? text.slice(doc) : text.slice(d.node.getStart(d.sf) - start)).trim();
}
