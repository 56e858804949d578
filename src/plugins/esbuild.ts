/**
 * `tsgrad/esbuild`: generates `./foo.grad` imports from `./foo.ts` at build time.
 *
 *     import * as esbuild from "esbuild";
 *     import { tsgrad } from "tsgrad/esbuild";
 *     await esbuild.build({ entryPoints: ["src/main.ts"], bundle: true, plugins: [tsgrad()] });
 */
import * as path from "node:path";
import type { Location, PartialMessage, Plugin } from "esbuild";
import type { Diagnostic } from "../api-types.js";
import {
  GRAD_SPECIFIER_RE,
  GradCompiler,
  PLUGIN_NAME,
  type TsgradPluginOptions,
  diagnosticText,
  missingSourceMessage,
  resolveGradSpecifier,
  utf8Column,
  utf8Length,
  withInlineSourceMap,
} from "./shared.js";

export type { TsgradPluginOptions } from "./shared.js";

/** The esbuild namespace of generated modules; their path is the source file's. */
export const NAMESPACE = "tsgrad";

function toMessage(d: Diagnostic, workingDir: string): PartialMessage {
  const relative = path.relative(workingDir, d.file);
  const file = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : d.file;
  const location: Partial<Location> = {
    file,
    namespace: "file",
    line: d.line,
    column: utf8Column(d.lineText, d.column),
    length: utf8Length(d.lineText, d.column, d.length),
    lineText: d.lineText,
  };
  return { id: d.code, pluginName: PLUGIN_NAME, text: diagnosticText(d), location, detail: d };
}

/** Creates the esbuild plugin. One instance caches compiles across rebuilds of a context. */
export function tsgrad(options: TsgradPluginOptions = {}): Plugin {
  return {
    name: PLUGIN_NAME,
    setup(build) {
      const compiler = new GradCompiler(options);
      const workingDir = build.initialOptions.absWorkingDir ?? process.cwd();

      build.onResolve({ filter: GRAD_SPECIFIER_RE }, (args) => {
        // Any importer with a directory (files, stdin, other plugins' modules that set
        // resolveDir); a relative specifier without one has nothing to be relative to.
        if (!args.resolveDir && !path.isAbsolute(args.path)) return undefined;
        const resolution = resolveGradSpecifier(args.path, args.resolveDir || workingDir);
        if (resolution === undefined || resolution.kind === "on-disk") return undefined;
        if (resolution.kind === "missing-source") {
          return { errors: [{ text: missingSourceMessage(resolution) }], watchFiles: [resolution.source] };
        }
        return { path: resolution.source, namespace: NAMESPACE };
      });

      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const result = compiler.compile(args.path);
        const warnings = result.warnings.map((d) => toMessage(d, workingDir));
        if (result.code === undefined) {
          return {
            errors: result.errors.map((d) => toMessage(d, workingDir)),
            warnings,
            watchFiles: result.dependencies,
          };
        }
        return {
          contents: withInlineSourceMap(result.code, result.sourceMap),
          loader: "ts",
          resolveDir: path.dirname(args.path),
          watchFiles: result.dependencies,
          warnings,
        };
      });
    },
  };
}

export default tsgrad;
