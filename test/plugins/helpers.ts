/** Shared by the plugin tests: fixture directories and paths into the repository. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const runtimeEntry = path.join(repoRoot, "runtime", "index.ts");
export const exampleRoot = path.join(repoRoot, "examples", "web-ik");

/** Writes `files` (relative path -> text) into a fresh directory and returns its path. */
export function makeFixture(files: Record<string, string>, prefix = "tsgrad-plugin-"): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

/** A fixture directory inside the repository (under the git-ignored `.tmp/`), for tools that
 * resolve packages such as `vite` from the project. */
export function makeRepoFixture(files: Record<string, string>, prefix = "plugin-"): string {
  const parent = path.join(repoRoot, ".tmp");
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(parent, prefix)));
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** Resolves once `predicate()` is true, polling every `intervalMs`; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function locate(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  const before = text.slice(0, index).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
