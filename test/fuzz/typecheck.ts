/**
 * Type-checks generated modules in memory, as `tsc --strict --noEmit` would with "tsgrad/runtime"
 * resolved to runtime/index.ts (SPEC section 2: generated code type-checks under --strict).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const runtimeEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../runtime/index.ts");

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts"],
  types: [],
  skipLibCheck: true,
};

/**
 * Type errors of the given module texts (each compiled as its own file), formatted; [] when none.
 * A generated module that imports its program (`./program.js`, for declared derivatives) is
 * given that program's text in `programs`, at the same position.
 */
export function typecheckModules(codes: readonly string[], programs: readonly (string | undefined)[] = []): string[] {
  const files = new Map<string, string>();
  const roots: string[] = [];
  codes.forEach((code, i) => {
    const file = path.resolve(`/tsgrad-fuzz/m${i}/program.grad.ts`);
    files.set(file, code);
    roots.push(file);
    const program = programs[i];
    if (program !== undefined) files.set(path.resolve(`/tsgrad-fuzz/m${i}/program.ts`), program);
  });
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersion, onError, create) => {
    const text = files.get(path.resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, languageVersion, true) : getSourceFile(file, languageVersion, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists(file);
  // (The modules' directories exist only here: module resolution asks before looking for files.)
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => path.resolve(dir).startsWith(path.resolve("/tsgrad-fuzz")) || (directoryExists?.(dir) ?? false);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => files.get(path.resolve(file)) ?? readFile(file);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => {
      if (literal.text === "tsgrad/runtime") {
        return { resolvedModule: { resolvedFileName: runtimeEntry, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      }
      return ts.resolveModuleName(literal.text, containingFile, options, host);
    });
  const program = ts.createProgram({ rootNames: roots, options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
      const line = d.file && d.start !== undefined ? d.file.text.split("\n")[d.file.getLineAndCharacterOfPosition(d.start).line]!.trim() : "";
      return `${where}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n    ${line}`;
    });
}
