/** File discovery and safe writing for the CLI. */
import fs from "node:fs";
import path from "node:path";

export interface Input {
  file: string;
  /** The directory argument it was found under (undefined for a file argument). */
  root: string | undefined;
}

/** Every `*.ts` below `dir` except `*.grad.ts`, `*.d.ts` and `node_modules`, sorted. */
export function findSources(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name.startsWith(".")) continue;
        visit(full);
      } else if (e.isFile() && isSource(e.name)) {
        out.push(full);
      }
    }
  };
  visit(dir);
  return out;
}

export function isSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".grad.ts") && !name.endsWith(".d.ts");
}

/** `foo.ts` -> `foo.grad.ts`, beside it or under `outDir` keeping the path relative to `root`. */
export function outputPath(input: Input, outDir: string | undefined): string {
  const base = input.file.replace(/\.ts$/, ".grad.ts");
  if (!outDir) return base;
  const relative = input.root ? path.relative(input.root, base) : path.basename(base);
  return path.join(outDir, relative);
}

/** Writes through a temporary file and a rename, so a reader never sees a partial file. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
