/** `node:path` for the browser build of the compiler: POSIX paths, what the compiler uses. */
export const sep = "/";

function normalize(parts: string[]): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out;
}

export function isAbsolute(p: string): boolean {
  return p.startsWith("/");
}

export function resolve(...paths: string[]): string {
  let joined = "";
  for (const p of paths) joined = isAbsolute(p) ? p : `${joined}/${p}`;
  return `/${normalize(joined.split("/")).join("/")}`;
}

export function join(...paths: string[]): string {
  const joined = paths.filter((p) => p !== "").join("/");
  const normal = normalize(joined.split("/")).join("/");
  return isAbsolute(joined) ? `/${normal}` : normal || ".";
}

export function dirname(p: string): string {
  const parts = resolve(p).split("/").slice(0, -1);
  return parts.length <= 1 ? "/" : parts.join("/");
}

export function basename(p: string, ext?: string): string {
  const base = p.split("/").filter((s) => s !== "").pop() ?? "";
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

export function extname(p: string): string {
  const base = basename(p);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter((s) => s !== "");
  const b = resolve(to).split("/").filter((s) => s !== "");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

export function parse(p: string): { root: string; dir: string; base: string; ext: string; name: string } {
  const base = basename(p);
  const ext = extname(p);
  return { root: isAbsolute(p) ? "/" : "", dir: dirname(p), base, ext, name: ext ? base.slice(0, -ext.length) : base };
}

export default { sep, isAbsolute, resolve, join, dirname, basename, extname, relative, parse };
