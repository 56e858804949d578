/**
 * Source maps of generated modules (the bundler plugins attach them): every mapped line of the
 * generated code leads to the source statement it comes from, the statements copied into the
 * forward sweep and the adjoint code below each `model.ts:N` comment alike.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { firstSourceLines, vlq } from "../src/emit/source-map.js";
import { toJavaScript } from "../src/emit/javascript.js";

const SOURCE = `export function energy(x: number[], k: number): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - k;
    e += d * d * Math.exp(-k);
  }
  return e / x.length;
}
`;

/** The decoded mappings: per generated line, the source line (0-based) of its first segment, or undefined. */
function decode(mappings: string): (number | undefined)[] {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let sourceLine = 0;
  return mappings.split(";").map((line) => {
    if (line === "") return undefined;
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const ch of line.split(",")[0]!) {
      const digit = digits.indexOf(ch);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    sourceLine += fields[2]!;
    return sourceLine;
  });
}

describe("source maps", () => {
  it("encodes Base64 VLQ as the format does", () => {
    expect([0, 1, -1, 15, 16, -16, 123, 1000].map(vlq)).toEqual(["A", "C", "D", "e", "gB", "hB", "2H", "w+B"]);
  });

  it("maps forward-sweep statements and the adjoint code below each source-line comment to their source lines", () => {
    const fileName = path.resolve("/models/energy.ts");
    const result = compile({ fileName, sourceText: SOURCE, mode: "both", sourceMap: true });
    const map = result.sourceMap!;
    expect(map.version).toBe(3);
    expect(map.file).toBe("energy.grad.ts");
    expect(map.sources).toEqual(["energy.ts"]);
    expect(map.sourcesContent).toEqual([SOURCE]);
    const code = result.code!.split("\n");
    const lines = decode(map.mappings);
    expect(lines.length).toBe(code.length);
    const sourceLines = SOURCE.split("\n");
    let mapped = 0;
    code.forEach((text, i) => {
      const line = lines[i];
      if (line === undefined) return;
      mapped++;
      expect(line, `line ${i + 1}: ${text}`).toBeGreaterThanOrEqual(0);
      expect(line, `line ${i + 1}: ${text}`).toBeLessThan(8);
      // Below a comment naming a source line, the code maps to that line.
      const comment = /^\s*\/\/ energy\.ts:(\d+) /.exec(text);
      if (comment) expect(line, text).toBe(Number(comment[1]) - 1);
    });
    expect(mapped).toBeGreaterThan(code.length / 3);
    // A few lines checked by their text: the statement copied into the forward sweep, its adjoint, the tangent.
    const at = (pattern: RegExp, from = 0): number | undefined => lines[code.findIndex((t, i) => i >= from && pattern.test(t))];
    expect(at(/^\s+const d = x\[i\]! - k;/)).toBe(3);
    expect(at(/^\s+e \+= d \* d \* exp_result;/)).toBe(4);
    expect(at(/^\s+exp_result = Math\.exp\(-k\);/)).toBe(4);
    // (In the reverse sweep d's adjoint is part of line 5's code; in forward mode its tangent is line 4's.)
    expect(sourceLines[at(/^\s+const dd = /)!]).toContain("e += d * d * Math.exp(-k);");
    const jvp = code.findIndex((t) => t.startsWith("export function energy_jvp("));
    expect(sourceLines[at(/^\s+const dd = /, jvp)!]).toContain("const d = x[i] - k;");
    expect(sourceLines[at(/^\s+const value = e \/ x\.length;/, jvp)!]).toContain("return e / x.length;");
  });

  it("survives the erasure of types (--emit js, the rollup/webpack/rspack plugins): JavaScript lines lead to the same statements", () => {
    const fileName = path.resolve("/models/energy.ts");
    const result = compile({ fileName, sourceText: SOURCE, mode: "both", sourceMap: true });
    const { js, sourceMap } = toJavaScript(result.code!, "/models/energy.grad.ts", result.sourceMap);
    expect(js).not.toMatch(/sourceMappingURL/);
    const code = js.split("\n");
    const lines = firstSourceLines(sourceMap!.mappings);
    expect(sourceMap!.sources).toEqual(["energy.ts"]);
    const at = (pattern: RegExp, from = 0): number | undefined => lines[code.findIndex((t, i) => i >= from && pattern.test(t))];
    expect(at(/^\s+const d = x\[i\] - k;/)).toBe(3);
    expect(at(/^\s+e \+= d \* d \* exp_result;/)).toBe(4);
    expect(at(/^\s+exp_result = Math\.exp\(-k\);/)).toBe(4);
    const jvp = code.findIndex((t) => t.startsWith("export function energy_jvp("));
    expect(at(/^\s+const value = e \/ x\.length;/, jvp)).toBe(6);
    // Below each source-line comment, the code maps to the line the comment names.
    code.forEach((text, i) => {
      const comment = /^\s*\/\/ energy\.ts:(\d+) /.exec(code[i - 1] ?? "");
      if (comment && lines[i] !== undefined) expect(lines[i], text).toBe(Number(comment[1]) - 1);
    });
  });
});
