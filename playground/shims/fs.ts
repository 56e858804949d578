/**
 * `node:fs` for the browser build of the compiler: the few synchronous calls it makes, over an
 * in-memory tree (the TypeScript library files, tsgrad's runtime sources and the edited model).
 */
export const files = new Map<string, string>();

function isDirectory(p: string): boolean {
  const prefix = p.endsWith("/") ? p : `${p}/`;
  for (const f of files.keys()) if (f.startsWith(prefix)) return true;
  return false;
}

export function existsSync(p: string): boolean {
  return files.has(p) || isDirectory(p);
}

export function readFileSync(p: string): string {
  const text = files.get(p);
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
  return text;
}

export function statSync(p: string): { isFile(): boolean; isDirectory(): boolean; mtimeMs: number } {
  if (!existsSync(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
  return { isFile: () => files.has(p), isDirectory: () => !files.has(p), mtimeMs: 0 };
}

export function realpathSync(p: string): string {
  return p;
}

export default { existsSync, readFileSync, statSync, realpathSync };
