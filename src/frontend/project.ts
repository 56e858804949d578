/**
 * The user's project settings: the nearest `tsconfig.json` that includes the source (or the one
 * `--project` names) supplies how modules resolve (`paths`, `baseUrl`, `moduleResolution`,
 * `module`), which declarations exist (`types`, `typeRoots`, `lib`) and how default imports
 * type (`esModuleInterop`, `allowSyntheticDefaultImports`), so that a model file that imports
 * `node:fs` or `@/math/vec` type-checks here as it does under the project's own `tsc`. The
 * rest stays tsgrad's (strict, no emit): only the differentiated code's types are checked.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** Settings taken from the project (the others would change what tsgrad's analyses see). */
const TAKEN = ["paths", "pathsBasePath", "baseUrl", "types", "typeRoots", "lib", "moduleResolution", "module", "esModuleInterop", "allowSyntheticDefaultImports", "resolveJsonModule", "customConditions"] as const;

export interface ProjectSettings {
  /** The tsconfig.json the settings come from, if any. */
  configFile: string | undefined;
  options: ts.CompilerOptions;
}

interface ParsedConfig {
  options: ts.CompilerOptions;
  files: Set<string>;
}

/** Parsed tsconfig files by path (with the modification time they were read at). */
const parsedConfigs = new Map<string, { mtimeMs: number; parsed: ParsedConfig }>();

/** A tsconfig.json that cannot be read or parsed: the message says what is wrong. */
export class ProjectError extends Error {
  constructor(
    readonly configFile: string,
    message: string,
  ) {
    super(message);
  }
}

function parseConfig(configFile: string): ParsedConfig {
  const mtimeMs = fs.statSync(configFile).mtimeMs;
  const known = parsedConfigs.get(configFile);
  if (known && known.mtimeMs === mtimeMs) return known.parsed;
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new ProjectError(configFile, ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const content = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
  const fatal = content.errors.find((d) => d.category === ts.DiagnosticCategory.Error && d.code !== NO_INPUTS);
  if (fatal) throw new ProjectError(configFile, ts.flattenDiagnosticMessageText(fatal.messageText, "\n"));
  const parsed = { options: content.options, files: new Set(content.fileNames.map((f) => path.resolve(f))) };
  parsedConfigs.set(configFile, { mtimeMs, parsed });
  return parsed;
}

/** TS18003, "No inputs were found in config file": not a problem for the file given here. */
const NO_INPUTS = 18003;

/**
 * The project settings for `fileName`: from `project` (a tsconfig.json, or a directory holding
 * one) when given, else from the nearest tsconfig.json above the file whose files include it
 * (as an editor picks the project of an open file); none found: tsgrad's defaults alone.
 */
export function projectSettings(fileName: string, defaults: ts.CompilerOptions, project?: string): ProjectSettings {
  let configFile: string | undefined;
  let parsed: ParsedConfig | undefined;
  if (project !== undefined) {
    const resolved = path.resolve(project);
    configFile = fs.existsSync(resolved) && fs.statSync(resolved).isDirectory() ? path.join(resolved, "tsconfig.json") : resolved;
    if (!fs.existsSync(configFile)) throw new ProjectError(configFile, "no such file");
    parsed = parseConfig(configFile);
  } else {
    for (let dir = path.dirname(path.resolve(fileName)); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, "tsconfig.json");
      if (fs.existsSync(candidate)) {
        const config = parseConfig(candidate);
        if (config.files.has(path.resolve(fileName))) {
          configFile = candidate;
          parsed = config;
          break;
        }
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  if (!parsed) return { configFile: undefined, options: defaults };
  const options: ts.CompilerOptions = { ...defaults };
  for (const key of TAKEN) {
    if (parsed.options[key] !== undefined) (options as Record<string, unknown>)[key] = parsed.options[key];
  }
  // A project that does not list `types` sees every @types package, as its own tsc does.
  if (parsed.options.types === undefined) delete options.types;
  // Node16/NodeNext resolution goes with the module kind of the same name.
  if (parsed.options.moduleResolution !== undefined && parsed.options.module === undefined) {
    const nodeLike = parsed.options.moduleResolution === ts.ModuleResolutionKind.Node16 || parsed.options.moduleResolution === ts.ModuleResolutionKind.NodeNext;
    if (nodeLike) options.module = parsed.options.moduleResolution === ts.ModuleResolutionKind.Node16 ? ts.ModuleKind.Node16 : ts.ModuleKind.NodeNext;
  }
  return { configFile, options };
}
