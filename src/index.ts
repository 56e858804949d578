/**
 * tsgrad's programmatic API (SPEC section 5).
 *
 *     import { compile } from "tsgrad";
 *     const { code, diagnostics } = compile({ fileName, sourceText, mode, functions, wrt });
 */
export { compile } from "./compile.js";
export { createCompileCache } from "./frontend/program.js";
export { formatDiagnostic } from "./diagnostics.js";
export { VERSION } from "./version.js";
export type { CompileCache, CompileOptions, CompileResult, Diagnostic, Mode, Severity, SourceMapV3 } from "./api-types.js";
