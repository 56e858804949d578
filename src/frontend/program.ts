/**
 * The only module that creates TypeScript programs. Library files (lib.es2022 and the runtime's
 * declarations) are parsed once per process and shared; user files are re-parsed only when their
 * text changes (a `CompileCache` keeps them between compiles, for bundler plugins and watch).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { CompileCache } from "../api-types.js";
import { projectSettings } from "./project.js";
import type { Diagnostic } from "../api-types.js";
import { diagAt } from "../diagnostics.js";

export const RUNTIME_MODULE = "tsgrad/runtime";

/** tsgrad's settings; a project's tsconfig.json adds its module resolution and declarations (project.ts). */
const defaultOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts"],
  types: [],
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  noUncheckedIndexedAccess: false,
};

/** Parsed library files, shared by every compile in this process. */
const sharedLibFiles = new Map<string, ts.SourceFile>();

interface CacheState extends CompileCache {
  /** Parsed files by path, with their text (a package's files: with their size and modification time instead). */
  sources: Map<string, { text: string; sf: ts.SourceFile; stamp?: string }>;
  oldProgram: ts.Program | undefined;
  /** During a batch (beginBatch): module resolutions shared by its programs, by project settings. */
  batchResolutions: Map<string, ts.ModuleResolutionCache> | undefined;
}

export function createCompileCache(): CompileCache {
  const state: CacheState = { kind: "tsgrad-compile-cache", sources: new Map(), oldProgram: undefined, batchResolutions: undefined };
  return state;
}

/**
 * Starts a batch: compiles of several files in a row (one `tsgrad compile` run) while no file
 * comes or goes, whose programs then share their module resolutions (each program has its own
 * root, so TypeScript cannot reuse the last one's, and would otherwise look for every module and
 * package.json again). Generated modules (`./m.grad.js`), which a compile of the batch may
 * create, are resolved anew for each program. Bundler plugins compile one file at a time, files
 * appearing in between, and start no batch. A new batch forgets the last one's resolutions.
 */
export function beginBatch(cache: CompileCache): void {
  (cache as CacheState).batchResolutions = new Map();
}

/**
 * Drops the program kept for reuse. Called after a failed compile: TypeScript's reuse keeps
 * failed module resolutions, so a file created after the failure would stay unresolved.
 */
export function forgetProgram(cache: CompileCache | undefined): void {
  if (cache) (cache as CacheState).oldProgram = undefined;
}

let runtimeEntryPath: string | undefined;

/** Where the runtime's declarations are, for resolving `import ... from "tsgrad/runtime"`. */
function runtimeEntry(): string {
  runtimeEntryPath ??= findRuntimeEntry();
  return runtimeEntryPath;
}

function findRuntimeEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From src/frontend (tests run the sources) or dist/src/frontend (the built package).
  for (const candidate of [
    path.resolve(here, "../../runtime/index.ts"),
    path.resolve(here, "../../runtime/index.d.ts"),
  ]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(here, "../../runtime/index.d.ts");
}

/** A JavaScript source (`.js`, `.mjs`), typed by its JSDoc comments. */
export function isJavaScript(fileName: string): boolean {
  return /\.m?js$/.test(fileName);
}

export function isRuntimeFile(fileName: string): boolean {
  return path.resolve(path.dirname(fileName)) === path.dirname(runtimeEntry());
}

export interface LoadedProgram {
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile: ts.SourceFile;
  /** Files of the user's project in the program (the source and what it imports). */
  projectFiles: ts.SourceFile[];
  /** The tsconfig.json whose settings were used, if any (project.ts). */
  configFile: string | undefined;
}

export function loadProgram(fileName: string, sourceText: string | undefined, cache?: CompileCache, generated?: ReadonlyMap<string, string>, project?: string): LoadedProgram {
  const state = cache as CacheState | undefined;
  const root = path.resolve(fileName);
  const settings = projectSettings(root, defaultOptions, project);
  // A JavaScript source is typed by its JSDoc (`@param {number[]} x`), as `// @ts-check` does.
  const compilerOptions = isJavaScript(root) ? { ...settings.options, allowJs: true, checkJs: true } : settings.options;
  const defaultHost = ts.createCompilerHost(compilerOptions, true);
  const libDir = path.dirname(ts.getDefaultLibFilePath(compilerOptions));
  const runtimePath = runtimeEntry();

  const readText = (file: string): string | undefined => {
    if (file === root && sourceText !== undefined) return sourceText;
    return generated?.get(path.resolve(file)) ?? ts.sys.readFile(file);
  };

  // Without a resolution cache TypeScript reads the package.json above every file (each lib file
  // included) again for each program, to learn its module format: a fifth of a small compile.
  const newResolutionCache = () => ts.createModuleResolutionCache(defaultHost.getCurrentDirectory(), defaultHost.getCanonicalFileName, compilerOptions);
  const batchKey = `${settings.configFile ?? ""}\0${isJavaScript(root)}`;
  const batch = state?.batchResolutions;
  if (batch && !batch.has(batchKey)) batch.set(batchKey, newResolutionCache());
  const resolutionCache = batch?.get(batchKey) ?? newResolutionCache();
  let ownResolutions: ts.ModuleResolutionCache | undefined;
  const host: ts.CompilerHost = {
    ...defaultHost,
    getModuleResolutionCache: () => resolutionCache,
    fileExists: (file) => (file === root && sourceText !== undefined) || generated?.has(path.resolve(file)) === true || defaultHost.fileExists(file),
    readFile: (file) => readText(file),
    getSourceFile(file, languageVersion) {
      const isShared = file.startsWith(libDir) || isRuntimeFile(file);
      // Library declarations (lib.*.d.ts, @types/node) are parsed as tsc parses them: without
      // their doc comments, which type nothing and which nothing here reads (most of their text),
      // and without a pass setting parent pointers, which binding sets (nothing here looks at a
      // library's nodes before the checker has bound them). Half the parse time.
      const library = /\.d\.[cm]?ts$/.test(file) && (isShared || file.includes("/node_modules/"));
      const parse = (text: string): ts.SourceFile => (library ? ts.createSourceFile(file, text, withoutDocComments(languageVersion), false) : ts.createSourceFile(file, text, languageVersion, true));
      if (isShared) {
        let sf = sharedLibFiles.get(file);
        if (!sf) {
          const text = ts.sys.readFile(file);
          if (text === undefined) return undefined;
          sf = parse(text);
          sharedLibFiles.set(file, sf);
        }
        return sf;
      }
      // A package's file (@types/node: 2 MB) is not read again while its size and modification time stay.
      const stamp = file.includes("/node_modules/") && file !== root && !generated?.has(path.resolve(file)) ? fileStamp(file) : undefined;
      const cached = state?.sources.get(file);
      if (cached && stamp !== undefined && cached.stamp === stamp) return cached.sf;
      const text = readText(file);
      if (text === undefined) return undefined;
      if (cached && cached.text === text) {
        if (stamp !== undefined) cached.stamp = stamp;
        return cached.sf;
      }
      const sf = parse(text);
      state?.sources.set(file, { text, sf, ...(stamp !== undefined ? { stamp } : {}) });
      return sf;
    },
    resolveModuleNameLiterals(literals, containingFile) {
      return literals.map((literal) => {
        if (literal.text === RUNTIME_MODULE) {
          return {
            resolvedModule: {
              resolvedFileName: runtimePath,
              extension: runtimePath.endsWith(".d.ts") ? ts.Extension.Dts : ts.Extension.Ts,
              isExternalLibraryImport: false,
            },
          };
        }
        // (A generated module may be written by an earlier compile of the batch.)
        const generatedModule = batch !== undefined && generatedModulePaths(containingFile, literal.text) !== undefined;
        if (generatedModule) ownResolutions ??= newResolutionCache();
        return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, generatedModule ? ownResolutions : resolutionCache);
      });
    },
  };

  // The sources beside generated modules the file imports (`./inner.grad.js` -> `./inner.ts`): a
  // call of `f_grad` imported from there is differentiated through `f` (frontend/nested.ts).
  const rootText = readText(root);
  const besides = rootText === undefined ? [] : generatedImports(root, rootText).filter((g) => host.fileExists(g.source)).map((g) => g.source);
  const program = ts.createProgram({ rootNames: [root, ...besides], options: compilerOptions, host, oldProgram: state?.oldProgram });
  if (state) state.oldProgram = program;
  const sourceFile = program.getSourceFile(root);
  if (!sourceFile) throw new Error(`TypeScript did not load ${root}`);
  const projectFiles = program
    .getSourceFiles()
    .filter((sf) => !sf.fileName.startsWith(libDir) && !isRuntimeFile(sf.fileName) && !sf.fileName.includes("/node_modules/"));
  return { program, checker: program.getTypeChecker(), sourceFile, projectFiles, configFile: settings.configFile };
}

/** `size:mtime` of a file, or undefined when it cannot be read. */
function fileStamp(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The options of `createSourceFile`, JSDoc comments left unparsed. */
function withoutDocComments(languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.CreateSourceFileOptions {
  const options = typeof languageVersion === "object" ? languageVersion : { languageVersion };
  return { ...options, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
}

/**
 * Warnings for the imports of `sourceFile` that TypeScript cannot resolve (TSG2020): everything
 * they bring is typed `any`, which would otherwise surface only as a puzzling "is skipped: has
 * type 'Vec2[]'". The runtime and generated modules (frontend/nested.ts reports those) aside.
 */
export function unresolvedImports(sourceFile: ts.SourceFile, checker: ts.TypeChecker, configFile: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier === RUNTIME_MODULE || generatedModulePaths(sourceFile.fileName, specifier)) continue;
    if (checker.getSymbolAtLocation(statement.moduleSpecifier)) continue;
    const found = configFile ? ` (here ${path.relative(path.dirname(sourceFile.fileName), configFile) || "tsconfig.json"})` : " (none here)";
    out.push(diagAt(statement.moduleSpecifier, "TSG2020", [specifier, found], "warning"));
  }
  return out;
}

/**
 * The module specifiers of `text` (the file `file`) that name a generated module (`./inner.grad`,
 * `./inner.grad.js`, `./inner.grad.ts`, relative), each with the source it is generated from
 * (`inner.ts` beside it) and the generated file itself.
 */
export function generatedImports(file: string, text: string): { specifier: string; source: string; generated: string }[] {
  const out: { specifier: string; source: string; generated: string }[] = [];
  for (const imported of ts.preProcessFile(text, true, false).importedFiles) {
    const paths = generatedModulePaths(file, imported.fileName);
    if (paths) out.push({ specifier: imported.fileName, ...paths });
  }
  return out;
}

/** The source and the generated file a relative specifier of a generated module (`./inner.grad.js`) stands for, from `file`. */
export function generatedModulePaths(file: string, specifier: string): { source: string; generated: string } | undefined {
  const m = /^(\.\.?\/.*)\.grad(?:\.js|\.ts)?$/.exec(specifier);
  if (!m) return undefined;
  const base = path.resolve(path.dirname(file), m[1]!);
  return { source: `${base}.ts`, generated: `${base}.grad.ts` };
}
