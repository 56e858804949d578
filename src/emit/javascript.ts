/**
 * `--emit js`: the generated module as JavaScript for plain Node and JavaScript projects, with
 * its declarations beside it. The TypeScript module is the one tsgrad writes otherwise: its
 * types are erased (`ts.transpileModule`), and since every export carries its type the
 * declarations come from the module text alone (`ts.transpileDeclaration`, isolated
 * declarations), without type-checking it again.
 */
import ts from "typescript";

export function toJavaScript(code: string, fileName: string): { js: string; dts: string } {
  const js = ts.transpileModule(code, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, removeComments: false },
  }).outputText;
  return { js, dts: declarationsOf(code, fileName) };
}

/** The declarations (`.d.ts` text) of a generated module (also what the plugins write for editors). */
export function declarationsOf(code: string, fileName: string): string {
  const declarations = ts.transpileDeclaration(code, { fileName, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const problem = declarations.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (problem) throw new Error(`declarations of the generated module: ${ts.flattenDiagnosticMessageText(problem.messageText, "\n")}`);
  return declarations.outputText;
}
