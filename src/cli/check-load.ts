/**
 * For `tsgrad check`: runs a source file and the module generated from it in this process,
 * without a TypeScript loader. Both are transpiled with `ts.transpileModule` into a temporary
 * directory that mirrors their absolute paths (so the generated module's `./model.js` import of
 * the source resolves as it would beside the source), together with every project file they
 * import (relative imports of `.ts` files, followed recursively); `tsgrad/runtime` becomes this
 * package's built runtime. The caller removes the directory.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

/** The runtime generated modules import: dist/runtime/index.js, or its source when tests run src/. */
function runtimeFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, "../../runtime/index.js"), path.resolve(here, "../../runtime/index.ts")];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

/** Where a file of the project is written in the temporary directory (`.ts` -> `.js`). */
export function mirrored(tmp: string, file: string): string {
  const absolute = path.resolve(file);
  return path.join(tmp, path.relative(path.parse(absolute).root, absolute)).replace(/\.(ts|mts|tsx)$/, ".js");
}

/** A file a relative specifier of `from` names: `./m`, `./m.js`, `./m.ts`, `./dir` (index.ts). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(js|mjs|ts|mts)$/, "");
  const candidates = [`${stem}.ts`, `${stem}.mts`, base, path.join(base, "index.ts")];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

export class CannotLoad extends Error {}

/**
 * Writes `file` (text `text`, or read from disk) as JavaScript under `tmp`, and every project
 * file it imports. Returns the JavaScript file's path.
 */
export function transpileTree(tmp: string, file: string, text?: string, done = new Set<string>()): string {
  const out = mirrored(tmp, file);
  if (done.has(out)) return out;
  done.add(out);
  const source = text ?? fs.readFileSync(file, "utf8");
  const pending: string[] = [];
  const rewrite = (specifier: string): string => {
    if (specifier === "tsgrad/runtime") return pathToFileURL(runtimeFile()).href;
    if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
      const target = resolveRelative(file, specifier);
      if (target === undefined) throw new CannotLoad(`${path.basename(file)} imports '${specifier}', which is not a file here`);
      if (/\.(ts|mts)$/.test(target)) {
        pending.push(target);
        return relativeSpecifier(out, mirrored(tmp, target));
      }
      return pathToFileURL(target).href; // a JavaScript file of the project: imported where it is
    }
    // A package: resolved from the file's own directory, as its imports would be.
    try {
      return pathToFileURL(createRequire(file).resolve(specifier)).href;
    } catch {
      return specifier;
    }
  };
  const transformer: ts.TransformerFactory<ts.SourceFile> = (context) => (sf) => {
    const f = context.factory;
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return f.updateImportDeclaration(node, node.modifiers, node.importClause, f.createStringLiteral(rewrite(node.moduleSpecifier.text)), node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, f.createStringLiteral(rewrite(node.moduleSpecifier.text)), node.attributes);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
        return f.updateCallExpression(node, node.expression, undefined, [f.createStringLiteral(rewrite((node.arguments[0] as ts.StringLiteral).text))]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(sf, visit, context);
  };
  const js = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true, sourceMap: false },
    transformers: { before: [transformer] },
  }).outputText;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, js);
  for (const target of pending) transpileTree(tmp, target, undefined, done);
  return out;
}

function relativeSpecifier(from: string, to: string): string {
  const relative = path.relative(path.dirname(from), to).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

/** A temporary directory whose `.js` files are ES modules. */
export function makeTemporaryDirectory(): string {
  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "tsgrad-check-"));
  fs.writeFileSync(path.join(tmp, "package.json"), '{ "type": "module" }\n');
  return tmp;
}

export async function importFile(file: string): Promise<Record<string, unknown>> {
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
}
