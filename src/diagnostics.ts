/**
 * Every user-visible message of tsgrad, with its stable code, in one table (as TypeScript keeps
 * diagnosticMessages.json). Tests assert these texts; change them here and nowhere else.
 */
import ts from "typescript";
import type { Diagnostic, Severity } from "./api-types.js";

export const messages = {
  // 1xxx: constructs outside the accepted language.
  TSG1001: "'{0}' statements are not differentiable; only const/let/var, assignments, if, switch, for, while, do, break, continue and return are accepted.",
  TSG1002: "{0} is not differentiable; only numbers, arithmetic, Math functions, element reads and calls of functions of this project are accepted in numeric code.",
  TSG1003: "Parameter '{0}' has type '{1}'{2}; differentiable functions take numbers, numeric arrays (number[], Float64Array, Float32Array, number[][]), objects or tuples of them, and arrays of objects or tuples of numbers (Particle[]).",
  TSG1004: "'try' statements are not differentiable; move the numeric core into a function without them.",
  TSG1005: "Classes are not differentiable; write the numeric core as plain functions.",
  TSG1006: "Nested functions and closures are not differentiable here; move '{0}' to the top level of the file, or declare it as a local const (const f = (x: number) => ...) or pass it directly to an array method.",
  TSG1007: "{0} functions are not differentiable; write the numeric core as a plain synchronous function.",
  TSG1008: "Strings are not differentiable; keep strings out of numeric functions.",
  TSG1009: "'{0}' has type 'any'; give it a numeric type (number, number[], Float64Array, Float32Array, number[][]).",
  TSG1010: "'Math.{0}' is not supported; supported are Math.{1}.",
  TSG1011: "'{0}' is not a function tsgrad can differentiate: call functions declared in this project or tsgrad/runtime kernels.",
  TSG1012: "'{0}' cannot be read in numeric code, which reads numbers, fields of the project's object and tuple types, Math constants and .length; pass a number in instead of '{0}'.",
  TSG1013: "Inside an expression only number variables can be assigned or incremented; write '{0}' as its own statement.",
  TSG1015: "Local variable '{0}' has type '{1}'; locals must be numbers, booleans, numeric arrays (number[], Float64Array, Float32Array, number[][]), objects or tuples, or arrays of objects of numbers.",
  TSG1016: "Function '{0}' returns '{1}'; differentiable functions return number, number[], Float64Array or Float32Array.",
  TSG1017: "'{0}' is a parameter array and is written to; generated code never mutates inputs: copy it into a local array first.",
  TSG1018: "'{0}' is a module-level variable that can change; only module-level constants (const with a numeric value) may be read.",
  TSG1019: "This 'switch' is not supported: {0}.",
  TSG1020: "This destructuring is not supported (a rest element, a default value, a pattern for a value that is not an object, a tuple or a numeric array); declare one variable per statement.",
  TSG1021: "Array method '{0}' is not supported; write the loop out with indexed reads and writes.",
  TSG1022: "'{0}' needs an initial value: {1}.",
  TSG1023: "'{0}' is not a supported way to create an array; use new Float64Array(n) (or Float32Array), new Array(n).fill(0) or an array literal of numbers.",
  TSG1024: "Array literals may hold only numbers; '{0}' is not a number.",
  TSG1025: "'{0}' names an array whose variable changes (or is declared with var); declare it with const, or with let when each assignment gives it an array of its own (x = x.map(...), x = next with next declared in the same block, [u, v] = [v, u]).",
  TSG1026: "Parameter '{0}' is optional (of a type other than number), a rest parameter, or has a default value that is not a literal; differentiable functions take plain parameters, optional numbers (scale?: number) and literal defaults (x = 1).",
  TSG1027: "The expression is nested {0} levels deep; tsgrad accepts at most {1}. Split it into several statements.",
  TSG1028: "'{0}' can only be used in a condition (it is a boolean); numeric code needs a number here.",
  TSG1029: "Optional chaining, non-null assertions and type assertions on numeric values are not supported here.",
  TSG1030: "'{0}' is any: it reads '{1}', which '{2}' creates as any[] (its elements are any to TypeScript); write new Array<number>({3}) there, or declare '{0}' with a type ('{0}: number').",
  TSG1031: "A '{0}' must be inside a loop of the same function.",
  TSG1032: "Labeled statements are supported only on loops.",
  TSG1033: "Calls of '{0}' must pass exactly {1} argument(s).",
  TSG1034: "After '{0}', '{1}' and '{2}' would share their elements while {3}; assign a copy ({2}.slice()) or a new array.",
  TSG1035: "'{0}' is optional (a number or undefined) and is assigned again; name the value it stands for with a new constant instead: const value = {0} ?? 1.",
  TSG1040: "'for...of' over '{0}' is not supported; iterate over a numeric array, Float64Array, Float32Array, matrix or array of objects variable (or a row m[i]), directly or through .entries().",
  TSG1041: "'{0}' assigns a variable in a branch of a ?: inside a condition; write it as an if statement.",
  TSG1042: "'for...of' over '{0}', which reads a variable that changes while the loop runs; loop over a const array, or by index.",
  TSG1043: "'{0}': the right operand of '{1}' runs only when it is chosen, and it {2}; write it as an if statement.",
  // 105x: structured data (objects and tuples).
  TSG1051: "'{0}' would share one object with '{1}' while a field of one of them is written; make a copy with a spread ({ ...{1} } or [...{1}]).",
  TSG1057: "'{0}' shares nested objects with '{1}' (a spread, or a field set to another object, copies only the reference) while a nested field of one of them is written; copy the nested objects too ({ ...{1}, pos: { ...{1}.pos } }).",
  TSG1052: "'{0}' is an object or tuple where a number or a condition is needed; read one of its fields.",
  TSG1053: "Tuple '{0}' is indexed with '{1}'; tuple elements are read with a constant index such as [0].",
  TSG1054: "'{0}' {2}, so it is inlined where it is called; {1}.",
  TSG1055: "{0} is not supported for objects and tuples yet; {1}.",
  TSG1056: "'{0}' holds a string or an enum value and is assigned again; such values stay constant in differentiated code: declare a new const instead.",
  TSG1058: "'{0}' compares objects by identity, which tsgrad decides only for two elements of one array of objects that is a parameter (ps[i] === ps[j], also named by for...of or const a = ps[i]), by their indices; here {1}: compare the indices (i === j) or the fields instead.",
  // 107x: array methods and callbacks.
  TSG1070: "Array method '{0}' {1}; {2}.",
  TSG1071: "'{0}' is not supported in array methods, callbacks, local functions and spreads: {1}.",
  TSG1073: "'{0}' passes '{1}', an array that shrinks by pop, to a function; pass a copy of what is left ({1}.slice()), or read its elements in a loop.",
  TSG1074: "'{0}' is not a supported way to create a matrix; create it whole: Array.from({ length: n }, () => new Array<number>(k).fill(0)) (or new Float64Array(k) rows), a literal of rows of one length ([[a, b], [c, d]]), or new Array<number[]>(n) (or []) whose rows the loop right after it creates first (for (let i = 0; i < n; i++) { m[i] = new Array<number>(k).fill(0); ... }).",
  TSG1075: "'{0}' replaces a row of a matrix with another array; write its elements one by one (for (let j = 0; j < n; j++) m[i][j] = ...), so that each row stays an array of its own.",
  TSG1076: "'{0}' chooses an array with ?:, which is not supported: an array here is a variable or a row (m[i]); write an if statement that names the array in each branch (if ({1}) f(a); else f(b);).",
  TSG1072: "'{0}' passes '{1}', an array that grows by push, to a function before its last push; a function given an array must see it complete: pass it after the last push, outside the loop that pushes.",
  // 108x: classes.
  TSG1080: "'{0}' changes its object (it writes a field of 'this'), and calls of such methods are not differentiated yet: return the new values, or write the update as a function that takes the object as a parameter.",
  TSG1092: "'{0}' is a module-level constant whose value tsgrad cannot work out when it compiles ({1}); write the number itself (a literal, or arithmetic of literals and other such constants), or compute the value inside the function.",
  TSG1090: "The derivative declared for '{0}' cannot be used: {1}.",
  TSG1091: "'{0}' has a declared {1} but no {2}, which {3} needs: declare {2} too, or compile with --mode {4}.",
  TSG1093: "'{0}' cannot be differentiated as a nested derivative: {1}.",
  TSG1094: "'{0}' is imported from '{1}', which does not exist yet: compile '{2}' first (tsgrad compile {2}); the generated module is where its type comes from.",
  TSG1081: "'{0}' is overridden in class '{1}', and tsgrad calls the method of the declared type, which may not be the one that runs; call a method no subclass overrides (or make it a function).",
  // 110x: checkpointed loops.
  TSG1100: "'{0}' is not a directive tsgrad knows: write '// tsgrad: checkpoint' (or '// tsgrad: checkpoint every N', N a whole number of iterations) on the line above a loop.",
  TSG1101: "This loop is marked '// tsgrad: checkpoint' but cannot be checkpointed: {0}.",
  // 2xxx: selection and options.
  TSG2001: "No function to differentiate in '{0}': export a function whose parameters are numbers, numeric arrays, objects or tuples (or arrays of them) and which returns a number, a numeric array, or an object or tuple of numbers.",
  TSG2002: "--fn '{0}' names no exported differentiable function of '{1}'.",
  TSG2003: "--wrt '{0}' is not a parameter of any selected function.",
  TSG2004: "Function '{0}' is skipped: {1}",
  TSG2005: "Cannot read '{0}': {1}",
  TSG2006: "Cannot write '{0}': {1}",
  TSG2007: "No .ts files found under '{0}'.",
  TSG2008: "'{0}' is out of date: run tsgrad compile to regenerate it.",
  TSG2009: "'{0}' does not exist: run tsgrad compile to generate it.",
  TSG2010: "Re-export of {0} from '{1}' is not differentiated here: compile the file that defines the function; tsgrad writes its derivatives beside it.",
  TSG2011: "Class '{0}' is skipped: it has no public method with a body (tsgrad differentiates a class's static and instance methods, as '{0}_method_grad'); write its numeric code as methods or as exported functions.",
  TSG2012: "Function '{0}' is skipped: it is declared with '{1}' and can be reassigned; declare it with const or as a function.",
  TSG2013: "Function '{0}' is skipped because of {1} below; the file's other functions are generated (name it with --fn to make this an error).",
  TSG2016: "Function '{0}' gets no {0}_hvp: {1}.",
  TSG2020: "Cannot find module '{0}': what this file imports from it has no type here, so functions using it cannot be differentiated. Check the path; for an alias ('@/...') or a package's types, tsgrad uses the nearest tsconfig.json that includes the file{1}, or the one --project names.",
  TSG2015: "Function '{0}' gets no {0}_jacobian: {1}.",
  TSG2014: "Function '{0}' is skipped because it calls {1}, whose problems are shown above; the file's other functions are generated (name it with --fn to make this an error).",
  // 9xxx: bugs in tsgrad itself (reported, never thrown at the user as a stack trace).
  TSG9001: "Internal error in tsgrad while compiling '{0}': {1}. Please report this with the input file.",
} as const;

export type Code = keyof typeof messages;

/** Codes of an export that is not differentiated: a warning, or an error when --fn names it. */
export const SKIPPED_EXPORT_CODES: ReadonlySet<string> = new Set<Code>(["TSG2004", "TSG2010", "TSG2011", "TSG2012", "TSG2013", "TSG2014"]);

export function formatMessage(code: Code, args: readonly (string | number)[]): string {
  return messages[code].replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ""));
}

/** Thrown by stages that cannot continue; caught by the compile entry point. */
export class CompileError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** A diagnostic pointing at a node of a source file. */
export function diagAt(
  node: ts.Node,
  code: Code,
  args: readonly (string | number)[] = [],
  severity: Severity = "error",
): Diagnostic {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  return diagAtOffset(sf, start, Math.max(1, node.getEnd() - start), code, args, severity);
}

export function diagAtOffset(
  sf: ts.SourceFile,
  start: number,
  length: number,
  code: Code | string,
  args: readonly (string | number)[] | string,
  severity: Severity = "error",
): Diagnostic {
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  const lineStart = sf.getPositionOfLineAndCharacter(line, 0);
  const lineEnd = sf.getLineEndOfPosition(start);
  const lineText = sf.text.slice(lineStart, lineEnd).replace(/\r$/, "");
  const message = typeof args === "string" ? args : formatMessage(code as Code, args);
  // A span is reported within its first line.
  const spanLength = Math.max(1, Math.min(length, lineEnd - start));
  return { code, severity, message, file: sf.fileName, line: line + 1, column: character + 1, length: spanLength, lineText };
}

/** A diagnostic that has no source location (options, files). */
export function diagNoLocation(code: Code, args: readonly (string | number)[], file = "", severity: Severity = "error"): Diagnostic {
  return { code, severity, message: formatMessage(code, args), file, line: 0, column: 0, length: 0, lineText: "" };
}

/** Converts a TypeScript diagnostic (syntax or type error) to ours, keeping its TS code. */
export function fromTsDiagnostic(d: ts.Diagnostic): Diagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const code = `TS${d.code}`;
  const severity: Severity = d.category === ts.DiagnosticCategory.Error ? "error" : "warning";
  if (!d.file || d.start === undefined) {
    return { code, severity, message, file: "", line: 0, column: 0, length: 0, lineText: "" };
  }
  return diagAtOffset(d.file, d.start, d.length ?? 1, code, message, severity);
}

/**
 * `file:line:col - error TSG1004: message` followed by a code frame, as tsc prints errors.
 * `relativeTo` shortens the file name for terminal output.
 */
export function formatDiagnostic(d: Diagnostic, relativeTo?: (file: string) => string): string {
  const file = d.file ? (relativeTo ? relativeTo(d.file) : d.file) : "";
  const where = file ? (d.line > 0 ? `${file}:${d.line}:${d.column} - ` : `${file} - `) : "";
  let text = `${where}${d.severity} ${d.code}: ${d.message}`;
  if (d.line > 0 && d.lineText !== "") {
    const gutter = String(d.line);
    const pad = " ".repeat(gutter.length);
    let lineText = d.lineText.replace(/\t/g, " ");
    let column = d.column;
    // A very long line (generated code, a minified file) is shown as a window around the column.
    const width = 160;
    if (lineText.length > 2000) {
      const start = Math.max(0, column - 1 - 20);
      const window = lineText.slice(start, start + width);
      lineText = `${start > 0 ? "..." : ""}${window}${start + width < lineText.length ? "..." : ""}`;
      column = column - start + (start > 0 ? 3 : 0);
    }
    const caretLength = Math.max(1, Math.min(d.length, lineText.length - (column - 1)));
    text += `\n  ${gutter} | ${lineText}\n  ${pad} | ${" ".repeat(column - 1)}${"^".repeat(caretLength)}`;
  }
  return text;
}
