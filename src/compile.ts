/**
 * The compile entry point shared by the CLI, the programmatic API and the bundler plugins:
 * source text in, generated module text and diagnostics out. Never throws for bad input.
 */
import path from "node:path";
import ts from "typescript";
import type { CompileOptions, CompileResult, Diagnostic } from "./api-types.js";
import { CompileError, diagAt, diagNoLocation, fromTsDiagnostic } from "./diagnostics.js";
import { forgetProgram, loadProgram, unresolvedImports } from "./frontend/program.js";
import { ProjectError } from "./frontend/project.js";
import { selectFunctions } from "./frontend/select.js";
import { SourceNamespaces, callingWrapper, customDerivatives, customFunction, missingDerivatives } from "./frontend/custom.js";
import type { IrFunction, IrProgram } from "./ir/nodes.js";
import { Var, isDifferentiableType } from "./ir/nodes.js";
import { type FunctionRef, overriddenMethods } from "./frontend/functions.js";
import { lowerFunction } from "./lower/lower.js";
import { MAX_DEPTH } from "./lower/scope.js";
import { inlineSmallCalls } from "./ir/inline.js";
import { forEachExpr, forEachStmtExpr } from "./ir/walk.js";
import { TangentRoutines, publicJvp, vectorForward, vectorForwardName } from "./ad/forward.js";
import { internalReverse, jacobianInto, publicGrad, vectorReverse, vectorReverseName } from "./ad/reverse/entry.js";
import { ReverseRoutines } from "./ad/reverse/routines.js";
import { NoRowsInPlace } from "./ad/reverse/rows-into.js";
import { ModuleTypes, independentsOf } from "./ad/signature.js";
import { type GenFunction, moduleNames } from "./ad/common.js";
import { type PrintedModule, printModule } from "./emit/module.js";
import { sourceMapOf } from "./emit/source-map.js";
import { ARRAY_BLOCK, MAX_VECTOR_COPIES, fixedResultLength, hasJacobian, jacobianFunction, structJacobianFunction, structJacobianShape, structJacobianSize } from "./emit/jacobian.js";
import { directionalFunctions, directionalName, nestedDirectionals, whyNoHvp } from "./ad/second-order.js";
import { type NestedRequest, inMissingGeneratedImport, missingGeneratedModules, nestedGradName } from "./frontend/nested.js";
import { hessianFunction, hvpFunction, nestedGradFunctions } from "./emit/hvp.js";
import { generatedName } from "./ad/names.js";
import { tidyFunctions } from "./emit/tidy/index.js";
import { groupTapePushes } from "./emit/tape-groups.js";
import { plainIndexColumns, readIndicesOnce } from "./emit/loop-reads.js";
import { dumpStages } from "./dump.js";

export function compile(options: CompileOptions): CompileResult {
  const fileName = path.resolve(options.fileName);
  const diagnostics: Diagnostic[] = [];
  const dependencies: string[] = [fileName];
  const fail = (): CompileResult => {
    forgetProgram(options.cache);
    return { code: undefined, diagnostics: withoutRepeatedImportWarnings(distinct(diagnostics)), dependencies, functions: [] };
  };
  try {
    let loaded;
    try {
      loaded = loadProgram(fileName, options.sourceText, options.cache, options.generated, options.project);
    } catch (error) {
      if (error instanceof ProjectError) diagnostics.push(diagNoLocation("TSG2005", [error.configFile, error.message], fileName));
      else if (isStackOverflow(error)) diagnostics.push(diagNoLocation("TSG1027", [`more than ${MAX_DEPTH}`, MAX_DEPTH], fileName));
      else diagnostics.push(diagNoLocation("TSG2005", [options.fileName, (error as Error).message], options.fileName));
      return fail();
    }
    const { program, checker, sourceFile, projectFiles } = loaded;
    dependencies.splice(0, dependencies.length, ...projectFiles.map((f) => f.fileName));

    // Syntax errors anywhere stop here. Type errors matter only inside the code tsgrad
    // differentiates (checked after lowering): the rest of a file may use DOM or Node globals
    // that this program, which loads only lib.es2022, does not know.
    for (const sf of projectFiles) {
      for (const d of program.getSyntacticDiagnostics(sf)) if (d.category === ts.DiagnosticCategory.Error) diagnostics.push(fromTsDiagnostic(d));
    }
    if (diagnostics.length > 0) return fail();
    diagnostics.push(...unresolvedImports(sourceFile, checker, loaded.configFile));

    const selection = selectFunctions(sourceFile, checker, options.functions);
    diagnostics.push(...selection.diagnostics);
    if (selection.selected.length === 0) {
      if (!diagnostics.some((d) => d.severity === "error")) diagnostics.push(diagNoLocation("TSG2001", [options.fileName], fileName));
      return fail();
    }

    // Lower the selected functions and, transitively, everything they call.
    const functions = new Map<string, IrFunction>();
    const names = new Map<ts.Node, string>();
    const queue: QueuedFunction[] = [];
    const taken = new Set<string>();
    const nameFor = (ref: FunctionRef, exported: boolean): string => {
      const known = names.get(ref.decl);
      if (known) return known;
      let name = ref.name;
      // A function named like a runtime kernel keeps its name: the module imports the kernel
      // under another name then (emit/module.ts).
      for (let i = 2; taken.has(name); i++) name = `${ref.name}_${i}`;
      taken.add(name);
      names.set(ref.decl, name);
      queue.push({ ref, name, exported, diagnostics: [], calls: new Set(), nested: [] });
      return name;
    };
    // A function exported under a second name (`export { f as g }` beside `export function f`)
    // is the same function: the module exports its entry points again as `g_grad`, ...
    const publicNames: string[] = [];
    const aliases: ExportAlias[] = [];
    for (const ref of selection.selected) {
      const first = names.get(ref.decl);
      if (first === undefined) {
        publicNames.push(nameFor(ref, true));
      } else {
        taken.add(ref.name);
        aliases.push({ name: ref.name, of: first });
        publicNames.push(ref.name);
      }
    }
    const overridden = overriddenMethods(projectFiles, checker);
    // Functions with declared derivatives (frontend/custom.ts): calls go to a body-less function
    // named as generated code prints the user's (`model.log1pexp`), imported from the source.
    const customs = new Map<ts.Node, ReturnType<typeof customDerivatives>>();
    const customOf = (ref: FunctionRef) => {
      if (!customs.has(ref.decl)) customs.set(ref.decl, customDerivatives(ref, checker));
      return customs.get(ref.decl);
    };
    const namespaces = new SourceNamespaces(options.outFile ? path.dirname(path.resolve(options.outFile)) : path.dirname(fileName));
    const mode = options.mode ?? "both";
    // Each function is lowered with its own diagnostics and records what it calls, so that a
    // problem can be traced to the selected functions it keeps from being differentiated.
    for (let i = 0; i < queue.length; i++) {
      const item = queue[i]!;
      const resolveCallee = (ref: FunctionRef): string => {
        const name = nameFor(ref, false);
        item.calls.add(name);
        const declared = customOf(ref)?.custom;
        return declared ? namespaces.printedName(ref) : name;
      };
      const found = customOf(item.ref);
      if (found) {
        item.diagnostics.push(...found.problems);
        if (found.custom) {
          item.diagnostics.push(...missingDerivatives(item.ref, found.custom, mode));
          const stub = customFunction(item.ref, found.custom, namespaces);
          functions.set(stub.name, stub);
          if (item.exported) functions.set(item.name, callingWrapper(item.name, stub));
        }
        continue;
      }
      // Names imported from a generated module not generated yet: compile its source first.
      const missing = missingGeneratedModules(item.ref.decl, checker, options.generated);
      if (missing.length > 0) {
        item.diagnostics.push(...missing);
        continue;
      }
      const fn = lowerFunction(item.ref, item.name, item.exported, { checker, diagnostics: item.diagnostics, resolveCallee, overridden, nested: { program, requests: item.nested, generated: options.generated } });
      if (fn) functions.set(item.name, fn);
      // (A helper inlined at several calls reports a problem of its own once.)
      item.diagnostics.splice(0, item.diagnostics.length, ...distinct(item.diagnostics));
    }
    // Nested derivatives (frontend/nested.ts): the function differentiated must allow its
    // directional derivative (and so its Hessian-vector product).
    for (const item of queue) {
      const reported = new Set<string>();
      for (const r of item.nested) {
        const fn = functions.get(r.fn);
        const why = fn && !reported.has(r.fn) ? whyNoHvp(fn, { functions, selected: [] }) : undefined;
        reported.add(r.fn);
        if (why) item.diagnostics.push(diagAt(r.node, "TSG1093", [(r.node as ts.CallExpression).expression.getText(), why]));
      }
    }
    // TypeScript's errors inside a differentiated function come first: they are the cause.
    // (Not for code nested too deeply: type-checking it is what would take the time.)
    const tooDeep = queue.some((q) => q.diagnostics.some((d) => d.code === "TSG1027"));
    if (!tooDeep) {
      const typeErrors = typeErrorsIn(program, queue.map((q) => q.ref.decl), options.generated);
      for (const item of queue) {
        const own = typeErrors.filter((e) => e.decls.includes(item.ref.decl)).map((e) => e.diagnostic);
        if (own.length > 0) item.diagnostics.splice(0, item.diagnostics.length, ...own);
      }
    }
    // Each public name's function and everything it calls; it fails when any of them has an error.
    const closures = new Map(publicNames.map((n) => [n, closureOf(queue, aliases.find((a) => a.name === n)?.of ?? n)]));
    const failing = new Set(publicNames.filter((n) => closures.get(n)!.some((q) => q.diagnostics.some((d) => d.severity === "error"))));
    const surviving = publicNames.filter((n) => !failing.has(n));
    if (failing.size > 0) {
      // A function the user named with --fn must be differentiated, and a file with nothing
      // left has nothing to write: the problems are errors then. Otherwise the other
      // functions are generated and each skipped one is reported with its reasons (warnings).
      const skip = options.functions === undefined && surviving.length > 0;
      const reported = new Set<QueuedFunction>();
      for (const name of publicNames.filter((n) => failing.has(n))) {
        const closure = closures.get(name)!.filter((q) => !reported.has(q));
        const problems = closure.flatMap((q) => q.diagnostics.filter((d) => d.severity === "error"));
        const decl = selection.selected[publicNames.indexOf(name)]!.decl;
        // Problems already shown under another skipped function: name the functions they are in.
        const shown = closures.get(name)!.filter((q) => reported.has(q) && q.diagnostics.some((d) => d.severity === "error"));
        if (skip && problems.length === 0) diagnostics.push(diagAt(decl.name ?? decl, "TSG2014", [name, shown.map((q) => `'${q.ref.name}'`).join(", ")], "warning"));
        else if (skip) diagnostics.push(diagAt(decl.name ?? decl, "TSG2013", [name, problems.length === 1 ? "the problem" : `the ${problems.length} problems`], "warning"));
        for (const q of closure) {
          reported.add(q);
          diagnostics.push(...(skip ? q.diagnostics.map((d) => (d.severity === "error" ? { ...d, severity: "warning" as const } : d)) : q.diagnostics));
        }
      }
      if (!skip) return fail();
    }
    // Warnings and notes of the differentiated functions.
    const kept = new Set(surviving.flatMap((n) => closures.get(n)!));
    for (const item of queue) if (kept.has(item)) diagnostics.push(...item.diagnostics);
    for (const item of queue) if (!kept.has(item)) functions.delete(item.name);
    const survivingAliases = aliases.filter((a) => !failing.has(a.name));

    const ir: IrProgram = { functions, selected: surviving.filter((n) => !aliases.some((a) => a.name === n)) };
    inlineSmallCalls(ir);
    const nestedGrads = addNestedFunctions(ir, queue.filter((q) => kept.has(q)).flatMap((q) => q.nested));
    const wrt = options.wrt && options.wrt.length > 0 ? new Set(options.wrt) : undefined;
    if (wrt) {
      for (const name of wrt) {
        const known = ir.selected.some((f) => {
          const fn = functions.get(f)!;
          return fn.publicParams ? fn.publicParams.some((p) => (p.key ?? p.name) === name) : fn.params.some((p) => p.v.name === name);
        });
        if (!known) diagnostics.push(diagNoLocation("TSG2003", [name], fileName));
      }
      if (diagnostics.some((d) => d.severity === "error")) return fail();
    }

    const dump = options.dump && options.dump.length > 0 ? dumpStages(ir, options.dump, wrt) : undefined;
    // The entry points on request: a warning for each function that cannot have its own.
    const site = (fn: IrFunction): ts.Node => (fn.node && ts.isFunctionLike(fn.node) && fn.node.name ? fn.node.name : (fn.node ?? sourceFile));
    const hvpTargets: string[] = [];
    for (const name of ir.selected) {
      const fn = functions.get(name)!;
      if (options.jacobian && (fn.returnType.kind === "vector" || fn.resultShape) && !hasJacobian(fn, independentsOf(fn, wrt)) && !structJacobianShape(fn)) {
        diagnostics.push(diagAt(site(fn), "TSG2015", [name, "f_jacobian takes numbers and numeric arrays to a numeric array (other parameters, left out by --wrt, may be of any type), or numbers and objects and tuples of numbers to an object or tuple of numbers; mixes of the two, matrices, arrays of objects, flags and optional fields are not laid out yet"], "warning"));
      }
      // (Only functions with a number result have Hessians: the others are not mentioned.)
      if ((options.hvp || options.hessian) && fn.returnType.kind === "number" && !fn.resultShape) {
        const why = whyNoHvp(fn, ir);
        if (why) diagnostics.push(diagAt(site(fn), "TSG2016", [name, why], "warning"));
        else hvpTargets.push(name);
      }
    }
    const printed = generate(ir, options, sourceFile, wrt, survivingAliases, hvpTargets, nestedGrads);
    const code = printed.code;
    const sourceMap = options.sourceMap ? sourceMapOf(code, printed.origins, options.outFile ?? fileName.replace(/\.ts$/, ".grad.ts")) : undefined;
    return { code, diagnostics: withoutRepeatedImportWarnings(diagnostics), dependencies, functions: surviving, ...(dump !== undefined ? { dump } : {}), ...(sourceMap ? { sourceMap } : {}) };
  } catch (error) {
    if (error instanceof CompileError) {
      diagnostics.push(error.diagnostic);
      return fail();
    }
    if (isStackOverflow(error)) {
      diagnostics.push(diagNoLocation("TSG1027", [`more than ${MAX_DEPTH}`, MAX_DEPTH], fileName));
      return fail();
    }
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.push(diagNoLocation("TSG9001", [options.fileName, message], fileName));
    return fail();
  }
}

/** Code nested so deeply that TypeScript or tsgrad ran out of stack. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** A function being lowered: the selected ones first, then the functions they call. */
interface QueuedFunction {
  ref: FunctionRef;
  name: string;
  exported: boolean;
  /** Problems found in this function's own body (TypeScript's or tsgrad's). */
  diagnostics: Diagnostic[];
  /** Names of the functions its body calls. */
  calls: Set<string>;
  /** Its calls of derivatives generated for another file (frontend/nested.ts). */
  nested: NestedRequest[];
}

/** The function named `name` and every function it calls, directly or not, in queue order. */
function closureOf(queue: readonly QueuedFunction[], name: string): QueuedFunction[] {
  const byName = new Map(queue.map((q) => [q.name, q]));
  const seen = new Set<QueuedFunction>();
  const visit = (n: string): void => {
    const item = byName.get(n);
    if (!item || seen.has(item)) return;
    seen.add(item);
    for (const c of item.calls) visit(c);
  };
  visit(name);
  return queue.filter((q) => seen.has(q));
}

/**
 * TypeScript's semantic errors inside the given declarations and their files' imports, each with
 * the declarations it lies in (an error in an import counts for every function of the file).
 */
function typeErrorsIn(program: ts.Program, decls: readonly ts.Node[], generated: ReadonlyMap<string, string> | undefined): { diagnostic: Diagnostic; decls: ts.Node[] }[] {
  const out: { diagnostic: Diagnostic; decls: ts.Node[] }[] = [];
  const byFile = new Map<ts.SourceFile, ts.Node[]>();
  for (const d of decls) {
    const sf = d.getSourceFile();
    if (!byFile.has(sf)) byFile.set(sf, []);
    byFile.get(sf)!.push(d);
  }
  for (const [sf, nodes] of byFile) {
    const imports = sf.statements.filter(ts.isImportDeclaration);
    const within = (n: ts.Node, start: number): boolean => start >= n.getFullStart() && start < n.getEnd();
    for (const d of program.getSemanticDiagnostics(sf)) {
      if (d.category !== ts.DiagnosticCategory.Error || d.start === undefined) continue;
      const inImport = imports.some((n) => within(n, d.start!));
      // (Reported at the names' uses, TSG1094.)
      if (inImport && inMissingGeneratedImport(sf, d.start, generated)) continue;
      const owners = inImport ? nodes : nodes.filter((n) => within(n, d.start!));
      if (owners.length > 0) out.push({ diagnostic: fromTsDiagnostic(d), decls: owners });
    }
  }
  return out;
}

/** A second public name `name` of the selected function `of`. */
interface ExportAlias {
  name: string;
  of: string;
}

function generate(ir: IrProgram, options: CompileOptions, sourceFile: ts.SourceFile, wrt: Set<string> | undefined, aliases: ExportAlias[], hvpTargets: readonly string[], nestedGrads: ReadonlyMap<string, readonly string[]>): PrintedModule {
  const mode = options.mode ?? "both";
  const namespaces = [...ir.functions.values()].flatMap((f) => (f.custom?.namespace ? [f.custom.namespace] : []));
  // `--hvp`: the directional derivative of each function that allows it (and of the functions
  // it calls), functions of the program differentiated in reverse mode (ad/second-order.ts).
  const directionals = (mode !== "forward" ? hvpTargets : []).map((name) => {
    const fn = ir.functions.get(name)!;
    const independents = independentsOf(fn, wrt);
    const made = directionalFunctions(fn, ir, independents);
    for (const [name, f] of made) ir.functions.set(name, f);
    return { fn, independents, directional: made.get(directionalName(fn))! };
  });
  // (The functions of nested derivatives: f_hvp, f_grad_into and the gradient entries' derivatives.)
  const nestedNames = [...nestedGrads].flatMap(([f, params]) => [`${f}_hvp`, generatedName.into(generatedName.grad(f)), ...params.flatMap((p) => [`${nestedGradName(f, p)}_vjp`, `${nestedGradName(f, p)}_jvp`])]);
  const reserved = moduleNames([...ir.functions.keys(), ...aliases.map((a) => a.name), ...namespaces, ...nestedNames]);
  const generated: GenFunction[] = [];
  const tangentRoutines = new TangentRoutines();
  const reverseRoutines = new ReverseRoutines(options.tapeBudget);
  const entryPoints: GenFunction[] = [];
  const entryPointsOf = new Map<string, string[]>();
  // Structure types the signatures name (`Particle`, `Particle_grad`), declared once in the module.
  const types = new ModuleTypes();
  for (const name of ir.selected) {
    const fn = ir.functions.get(name)!;
    const before = entryPoints.length;
    if (mode !== "forward") entryPoints.push(...publicGrad(fn, ir, reserved, wrt, types, reverseRoutines));
    if (mode !== "reverse") entryPoints.push(publicJvp(fn, ir, reserved, wrt, tangentRoutines, types));
    entryPointsOf.set(name, entryPoints.slice(before).map((e) => e.name));
  }
  // `--jacobian` over structures: vector mode's entry point, several cotangents per reverse sweep
  // (by rows) or several directions per forward sweep (by columns); not exported, f_jacobian
  // calls it. (Should one fail, f_jacobian makes one sweep per row or column as before.)
  const vectorCopies = new Map<string, { reverse?: number; forward?: number }>();
  if (options.jacobian) {
    for (const name of ir.selected) {
      const fn = ir.functions.get(name)!;
      if (hasJacobian(fn, independentsOf(fn, wrt))) {
        // A numeric-array result: its size is known at run time, f_jacobian takes blocks of ARRAY_BLOCK.
        const made: { reverse?: number; forward?: number } = {};
        for (const way of ["reverse", "forward"] as const) {
          if (mode === (way === "reverse" ? "forward" : "reverse")) continue;
          try {
            entryPoints.push(way === "reverse" ? vectorReverse(fn, ir, reserved, wrt, types, reverseRoutines, ARRAY_BLOCK) : vectorForward(fn, ir, reserved, wrt, tangentRoutines, types, ARRAY_BLOCK));
            made[way] = ARRAY_BLOCK;
          } catch {
            // (Then f_jacobian makes one sweep per row or column, as without vector mode.)
          }
        }
        vectorCopies.set(name, made);
        continue;
      }
      const size = structJacobianSize(fn, wrt);
      if (!size) continue;
      const byRows = mode === "reverse" || (mode === "both" && size.byRows);
      const count = byRows ? size.rows : size.columns;
      if (count < 2) continue;
      // At most MAX_VECTOR_COPIES per sweep, in blocks as even as can be (10 rows: two of 5), so
      // that few padded cotangents or directions, each a whole copy of the derivative code, are wasted.
      const copies = Math.ceil(count / Math.ceil(count / MAX_VECTOR_COPIES));
      try {
        // (Routines the vector entry point requests are generated with the others below.)
        if (byRows) entryPoints.push(vectorReverse(fn, ir, reserved, wrt, types, reverseRoutines, copies));
        else entryPoints.push(vectorForward(fn, ir, reserved, wrt, tangentRoutines, types, copies));
        vectorCopies.set(name, byRows ? { reverse: copies } : { forward: copies });
      } catch {
        // (Then f_jacobian makes one sweep per row or column, as without vector mode.)
      }
    }
  }
  // `--jacobian` with reverse mode, for a result whose size is known here (a structure of
  // numbers, an array of fixed length) of at most MAX_VECTOR_COPIES elements: f_jacobian_into,
  // the Jacobian's rows written in place by one vector-mode sweep. (Not possible for a function
  // whose array adjoints go whole to a helper's routine or a kernel: none is written then.)
  if (options.jacobian && mode !== "forward") {
    for (const name of ir.selected) {
      const fn = ir.functions.get(name)!;
      const independents = independentsOf(fn, wrt);
      const rows = hasJacobian(fn, independents) ? fixedResultLength(fn) : structJacobianShape(fn) && independents.every((v) => v.type.kind === "number" || v.type.kind === "vector") ? structJacobianSize(fn, wrt)?.rows : undefined;
      if (rows === undefined || rows < 1 || rows > MAX_VECTOR_COPIES) continue;
      const mark = reverseRoutines.mark();
      try {
        entryPoints.push(jacobianInto(fn, ir, reserved, wrt, types, reverseRoutines, rows));
      } catch (e) {
        if (!(e instanceof NoRowsInPlace)) throw e;
        // (Then there is f_jacobian and the vector-mode entry point only, and no routine requested for it.)
        reverseRoutines.rollback(mark);
      }
    }
  }
  // `g_grad` for `f_grad`, ...: the entry points' names with the other function name.
  const exportAliases = aliases.map((a) => ({ ...a, entries: entryPointsOf.get(a.of)!.map((e) => ({ name: a.name + e.slice(a.of.length), of: e })) }));
  const hvps: string[] = [];
  for (const { fn, independents, directional } of directionals) {
    // Only the allocation-free reverse entry is kept, internal: f_hvp is the public one.
    const into = generatedName.into(generatedName.vjp(directional.name));
    const tangentParams = directional.params.slice(fn.params.length).map((p) => p.v);
    // Under `--wrt`, the reverse sweep over the directional function differentiates only the
    // parameters named and their tangents (H v and the gradient): the other parameters are
    // constants of it, as in f_grad (kmeans' points: no adjoint matrix of them per call). The
    // directional function of a function that has f_hvp has plain parameters, named as in f.
    const hvpWrt = wrt && new Set([...independents, ...tangentParams].map((v) => v.name));
    const entries = publicGrad(directional, ir, reserved, hvpWrt, types, reverseRoutines).filter((g) => g.name === into);
    for (const e of entries) generated.push({ ...e, exported: false, keepParameters: true });
    const tangentNames = new Map(independents.filter((_, i) => tangentParams[i] !== undefined).map((v, i) => [v, tangentParams[i]!.name]));
    const gradParams = directional.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type) && (!hvpWrt || hvpWrt.has(v.name))).map((v) => ({ name: v.name, type: v.type }));
    hvps.push(hvpFunction(fn, into, independents, (v) => tangentNames.get(v) ?? v.name, gradParams));
    // (The dense Hessian lays out numbers and vectors; a matrix parameter gets f_hvp only.)
    if (options.hessian && independents.every((v) => v.type.kind !== "matrix")) hvps.push(hessianFunction(fn, independents));
  }
  // Nested derivatives (frontend/nested.ts): for each function whose gradient is read, its
  // f_grad_into and f_hvp (over its directional function, built by addNestedFunctions), not
  // exported, and the value and derivatives of each gradient entry read.
  for (const [name, params] of nestedGrads) {
    const fn = ir.functions.get(name)!;
    const directional = ir.functions.get(directionalName(fn))!;
    const into = generatedName.into(generatedName.vjp(directional.name));
    const gradInto = generatedName.into(generatedName.grad(fn.name));
    const entries = [...publicGrad(fn, ir, reserved, undefined, types, reverseRoutines).filter((g) => g.name === gradInto), ...publicGrad(directional, ir, reserved, undefined, types, reverseRoutines).filter((g) => g.name === into)];
    for (const e of entries) generated.push({ ...e, exported: false, keepParameters: true });
    const independents = fn.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type));
    const tangentParams = directional.params.slice(fn.params.length).map((p) => p.v);
    const tangentNames = new Map(independents.map((v, i) => [v, tangentParams[i]!.name]));
    const gradParams = directional.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type)).map((v) => ({ name: v.name, type: v.type }));
    hvps.push(hvpFunction(fn, into, independents, (v) => tangentNames.get(v) ?? v.name, gradParams, true));
    for (const p of params) hvps.push(nestedGradFunctions(fn, p, nestedGradName(fn.name, p), gradInto));
  }
  // Routines of callees, one per pattern of active arguments the calls need.
  generated.push(...reverseRoutines.generate((name, active, suffix, copies) => internalReverse(ir.functions.get(name)!, ir, reserved, reverseRoutines, active, suffix, copies)));
  generated.push(...tangentRoutines.generate(ir, reserved), ...entryPoints);
  const sourceLabel = path.basename(sourceFile.fileName);
  const tidy = options.tidy ?? "all";
  const functions = (tidy === "off" ? generated : tidyFunctions(generated, { roundingRewrites: tidy === "all" })).map((f) => groupTapePushes(readIndicesOnce(plainIndexColumns(f))));
  // `f_jacobian` over the entry points above (emit/jacobian.ts).
  const modes = { reverse: mode !== "forward", forward: mode !== "reverse" };
  const jacobians = options.jacobian ? ir.selected.flatMap((name) => jacobianOf(ir.functions.get(name)!, generated, wrt, modes, vectorCopies.get(name) ?? {})) : [];
  return printModule({ sourceLabel, primal: ir.functions, functions, reserved, aliases: exportAliases, types: types.declarations(), extra: [...jacobians, ...hvps], ...(options.runtime === "inline" ? { inlineRuntime: true } : {}) });
}

/** `f_jacobian` of `fn` (emit/jacobian.ts), the types of its signature taken from the entry points generated for it. */
function jacobianOf(fn: IrFunction, generated: readonly GenFunction[], wrt: Set<string> | undefined, modes: { reverse: boolean; forward: boolean }, vectorCopies: { reverse?: number; forward?: number }): string[] {
  const independents = independentsOf(fn, wrt);
  // The parameters' types as the entry points spell them (the source's, objects whole).
  const entry = generated.find((g) => g.name === generatedName.jvp(fn.name) || g.name === generatedName.into(generatedName.vjp(fn.name)));
  if (hasJacobian(fn, independents)) {
    const made = (copies: number | undefined, nameOf: (fn: string, copies: number) => string) => (copies !== undefined && generated.some((g) => g.name === nameOf(fn.name, copies)) ? nameOf(fn.name, copies) : undefined);
    const reverse = made(vectorCopies.reverse, vectorReverseName);
    const forward = made(vectorCopies.forward, vectorForwardName);
    if (!entry) return [];
    const names = fn.publicParams ? fn.publicParams.map((p) => p.name) : fn.params.map((p) => p.v.name);
    const params = names.map((name, i) => ({ name, typeText: entry.params[i]!.type }));
    return [jacobianFunction(fn, fn.name, params, independents, modes, { ...(reverse ? { reverse } : {}), ...(forward ? { forward } : {}) })];
  }
  const shape = structJacobianShape(fn);
  if (!shape || !entry) return [];
  const names = fn.publicParams ? fn.publicParams.map((p) => p.key ?? p.name) : fn.params.map((p) => p.v.name);
  const params = names.map((name, i) => ({ name, typeText: entry.params[i]!.type, ...(shape.params[i] ? { struct: shape.params[i] } : {}) }));
  const into = generated.find((g) => g.name === generatedName.into(generatedName.vjp(fn.name)));
  const resultText = into ? into.returnType : /^\{ value: (.*); tangent: .*\}$/.exec(entry.returnType)?.[1];
  if (!resultText) return [];
  const gradType = into ? into.params[into.params.length - 1]!.type : "never";
  const vector = (copies: number | undefined, nameOf: (fn: string, copies: number) => string) => (copies !== undefined && generated.some((g) => g.name === nameOf(fn.name, copies)) ? { name: nameOf(fn.name, copies), copies } : undefined);
  return [
    structJacobianFunction(fn.name, fn.sourceName, params, params.filter((p) => !wrt || wrt.has(p.name)), { name: "value", typeText: resultText, struct: shape.result }, { ...modes, reverse: modes.reverse && into !== undefined }, gradType, vector(vectorCopies.reverse, vectorReverseName), vector(vectorCopies.forward, vectorForwardName)),
  ];
}

/**
 * The functions the nested derivatives' calls need (frontend/nested.ts), added to `ir`: the
 * directional derivative of each `f` whose `f_jvp` is called or whose gradient is read (an ordinary
 * function: the transforms differentiate calls of it like any other), and for each gradient entry
 * `f_grad(...).grad.p` read, a body-less function `f_gradient_p` whose value and derivatives are
 * written as text from f's Hessian-vector product (generate). Returns the entries read, by function.
 */
function addNestedFunctions(ir: IrProgram, requests: readonly NestedRequest[]): Map<string, string[]> {
  const grads = new Map<string, string[]>();
  // (Only the entries whose calls are left: a leaf never read is dropped with its call.)
  const called = new Set<string>();
  for (const f of ir.functions.values()) forEachStmtExpr(f.body, (e) => forEachExpr(e, (x) => x.k === "call" && called.add(x.fn)));
  for (const r of requests) {
    const fn = ir.functions.get(r.fn);
    if (!fn) continue;
    if (!ir.functions.has(directionalName(fn))) for (const [name, f] of nestedDirectionals(fn, ir)) ir.functions.set(name, f);
    if (r.kind !== "grad" || !r.param) continue;
    const name = nestedGradName(fn.name, r.param);
    if (!called.has(name)) continue;
    if (!grads.has(fn.name)) grads.set(fn.name, []);
    if (grads.get(fn.name)!.includes(r.param)) continue;
    grads.get(fn.name)!.push(r.param);
    const param = fn.params.find((p) => p.v.name === r.param)!.v;
    ir.functions.set(name, {
      name,
      sourceName: `${fn.sourceName}_grad`,
      params: fn.params.map((p) => ({ v: new Var(p.v.name, p.v.type, "param") })),
      returnType: param.type.kind === "vector" ? { ...param.type, readonly: false } : param.type,
      body: [],
      callees: [],
      fileName: fn.fileName,
      ...(fn.node ? { node: fn.node } : {}),
      exported: false,
      custom: { primal: name, vjp: `${name}_vjp`, jvp: `${name}_jvp` },
    });
  }
  return grads;
}

/** The diagnostics without repeats of one (same place, code and message), in order. */
function distinct(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity} ${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** TSG2020 (an import that does not resolve) where TypeScript's own error at the same place (TS2307) says it already. */
function withoutRepeatedImportWarnings(diagnostics: Diagnostic[]): Diagnostic[] {
  const at = (d: Diagnostic): string => `${d.file}:${d.line}:${d.column}`;
  const typeScript = new Set(diagnostics.filter((d) => /^TS\d+$/.test(d.code)).map(at));
  return diagnostics.filter((d) => d.code !== "TSG2020" || !typeScript.has(at(d)));
}
