/** `node:url` for the browser build: where the compiler's modules are "installed" in the in-memory tree. */
export function fileURLToPath(_url: string | URL): string {
  return "/tsgrad/src/frontend/module.js";
}

export function pathToFileURL(p: string): URL {
  return new URL(`file://${p}`);
}

export default { fileURLToPath, pathToFileURL };
