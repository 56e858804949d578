/**
 * `--emit js`: the generated module as JavaScript for plain Node and JavaScript projects, with
 * its declarations beside it. The TypeScript module is the one tsgrad writes otherwise: its
 * types are erased (`ts.transpileModule`), and since every export carries its type the
 * declarations come from the module text alone (`ts.transpileDeclaration`, isolated
 * declarations), without type-checking it again.
 */
import ts from "typescript";
import type { SourceMapV3 } from "../api-types.js";
import { composeThroughErasure } from "./source-map.js";

export function toJavaScript(code: string, fileName: string, sourceMap?: SourceMapV3): { js: string; dts: string; sourceMap?: SourceMapV3 } {
  const out = ts.transpileModule(code, {
    fileName,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false, removeComments: false, sourceMap: sourceMap !== undefined },
  });
  // (TypeScript ends the text with a comment naming a map file; the map travels otherwise here.)
  const js = sourceMap ? out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n") : out.outputText;
  const composed = sourceMap && out.sourceMapText ? composeThroughErasure(js, (JSON.parse(out.sourceMapText) as { mappings: string }).mappings, sourceMap) : undefined;
  return { js, dts: declarationsOf(code, fileName), ...(composed ? { sourceMap: composed } : {}) };
}

/** The declarations (`.d.ts` text) of a generated module (also what the plugins write for editors). */
export function declarationsOf(code: string, fileName: string): string {
  const declarations = ts.transpileDeclaration(code, { fileName, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const problem = declarations.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (problem) throw new Error(`declarations of the generated module: ${ts.flattenDiagnosticMessageText(problem.messageText, "\n")}`);
  return declarations.outputText;
}
