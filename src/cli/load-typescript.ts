/**
 * TypeScript for the command line. Loading it (9 MB of JavaScript) is a good part of a cold
 * `tsgrad compile`, and two things shorten it:
 *
 * - It is required as the CommonJS module it is. Imported from an ES module, Node 20 reads it
 *   three times: to detect its format (its package.json has no "type"), to find its named
 *   exports (cjs-module-lexer), and to run it. The CLI's bundle (tools/bundle-cli.mjs) puts
 *   this module in place of the compiler's `import ts from "typescript"`.
 * - V8's code cache: the bytecode of the functions a run compiled, saved at the end of the first
 *   run and read by the next ones, which then skip parsing and compiling them. Node 22.1+ keeps
 *   such a cache for every module itself (`module.enableCompileCache()`, which bin/tsgrad.js
 *   turns on); on older Node this module keeps one for TypeScript alone, in
 *   `$NODE_COMPILE_CACHE/tsgrad` or `<tmpdir>/node-compile-cache/tsgrad`, keyed by the hash of
 *   TypeScript's source and Node's version. NODE_DISABLE_COMPILE_CACHE=1 turns both off.
 *
 * Whatever goes wrong with the cache (unwritable directory, a file V8 rejects), TypeScript is
 * still loaded, at the usual cost.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import type * as TypeScript from "typescript";

const require = createRequire(import.meta.url);

function loadTypeScript(): typeof TypeScript {
  const file = require.resolve("typescript");
  const nodeCache = (Module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.();
  if (require.cache[file] || nodeCache || process.env.NODE_DISABLE_COMPILE_CACHE) return require(file) as typeof TypeScript;
  let compiled;
  try {
    compiled = compileWithCache(file);
  } catch {
    return require(file) as typeof TypeScript;
  }
  // Run as Node's CommonJS loader runs a module, and registered as it registers one, so that
  // any other `require("typescript")` in this process gets this instance.
  const module = new Module(file);
  module.filename = file;
  const ownRequire = createRequire(file);
  module.require = ownRequire;
  require.cache[file] = module;
  try {
    compiled.run.call(module.exports, module.exports, ownRequire, module, file, path.dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;
  return module.exports as typeof TypeScript;
}

/** TypeScript's source compiled with the code cache, if one fits; a new cache is written at exit when none did. */
function compileWithCache(file: string): { run: (...args: unknown[]) => void } {
  const bytes = fs.readFileSync(file);
  // (V8 itself rejects a cache made under other flags; then this run writes a new one.)
  const key = crypto.createHash("sha256").update(bytes).update(`\0${process.version}\0${process.arch}`).digest("hex").slice(0, 32);
  const dir = path.join(process.env.NODE_COMPILE_CACHE || path.join(os.tmpdir(), "node-compile-cache"), "tsgrad");
  const cacheFile = path.join(dir, `typescript-${key}.bin`);
  const cachedData = readOwnFile(cacheFile);
  // The function Node's CommonJS loader wraps a module in.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString("utf8")}\n});`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) {
    // At exit: the cache then holds every function this run compiled, not only the top level.
    process.once("exit", () => writeCache(dir, cacheFile, () => script.createCachedData()));
  }
  return { run: script.runInThisContext() as (...args: unknown[]) => void };
}

/** The file's bytes if it exists and this user owns it (a cache in a shared temporary directory is not trusted otherwise). */
function readOwnFile(file: string): Buffer | undefined {
  try {
    if (process.getuid && fs.statSync(file).uid !== process.getuid()) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, file: string, data: () => Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, data());
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // (Nothing to clean up, or nothing that can be.)
    }
  }
}

const ts = loadTypeScript();
export default ts;
