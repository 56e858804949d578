/**
 * `tsgrad/rollup`, `tsgrad/webpack`, `tsgrad/rspack`: one plugin written once with unplugin,
 * which adapts it to each bundler's hooks. An import of `./foo.grad` resolves to a module id
 * of its own, `foo.grad.tsgrad.js` beside the source (the bundlers see an ordinary JavaScript
 * module), whose text is the module generated from `foo.ts` with its types erased: these
 * bundlers do not read TypeScript without a loader of their own. A checked-in `foo.grad.ts`
 * wins, as with the esbuild and vite plugins (hand-written for their hot updates and
 * diagnostics), whose compiler (shared.ts) this one shares.
 */
import * as path from "node:path";
import { createUnplugin } from "unplugin";
import { toJavaScript } from "../emit/javascript.js";
import { GRAD_SPECIFIER_RE, GradCompiler, PLUGIN_NAME, type TsgradPluginOptions, diagnosticReport, missingSourceMessage, resolveGradSpecifier } from "./shared.js";

export type { TsgradPluginOptions } from "./shared.js";

/** The id of the module generated from `source` (a path that exists only in the bundle). */
const SUFFIX = ".grad.tsgrad.js";
const sourceOfId = (id: string): string => `${id.slice(0, -SUFFIX.length)}.ts`;

export const unpluginTsgrad = createUnplugin((options: TsgradPluginOptions | undefined) => {
  const compiler = new GradCompiler(options ?? {});
  return {
    name: PLUGIN_NAME,
    resolveId(specifier, importer) {
      if (!GRAD_SPECIFIER_RE.test(specifier)) return null;
      const importerDir = importer && path.isAbsolute(importer) ? path.dirname(importer.endsWith(SUFFIX) ? sourceOfId(importer) : importer) : process.cwd();
      const resolution = resolveGradSpecifier(specifier, importerDir);
      if (resolution === undefined || resolution.kind === "on-disk") return null;
      if (resolution.kind === "missing-source") throw new Error(`${PLUGIN_NAME}: ${missingSourceMessage(resolution)}`);
      return resolution.source.replace(/\.ts$/, SUFFIX);
    },
    loadInclude(id) {
      return id.endsWith(SUFFIX);
    },
    load(id) {
      const source = sourceOfId(id);
      const result = compiler.compile(source);
      for (const dependency of result.dependencies) this.addWatchFile(dependency);
      for (const warning of result.warnings) this.warn(diagnosticReport(warning));
      if (result.code === undefined) {
        this.error(`${PLUGIN_NAME}: ${result.errors.length} error${result.errors.length === 1 ? "" : "s"} in ${source}:\n${result.errors.map(diagnosticReport).join("\n")}`);
        return null;
      }
      const { js, sourceMap } = toJavaScript(result.code, source.replace(/\.ts$/, ".grad.ts"), result.sourceMap);
      return { code: js, ...(sourceMap ? { map: sourceMap } : {}) };
    },
  };
});
