/**
 * Stage tests of lowering for declarations without a value, `var` and `switch` (`--dump ir`).
 * Each expected text was worked out by hand from the lowering rules in src/lower/.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";

function ir(source: string): string {
  const result = compile({ fileName: "stage.ts", sourceText: source, dump: ["ir"] });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.dump!.replace(/^\/\/ ---- \w+\n\n/, "").trimEnd();
}

describe("declarations without a value and var", () => {
  it("starts a declaration without a value at the type's zero", () => {
    const text = ir(`
export function f(x: number): number {
  let y: number;
  let neg: boolean;
  if (x < 0) { y = -x; neg = true; } else { y = x; neg = false; }
  return neg ? y : 2 * y;
}`);
    expect(text).toContain("let y = 0;\n  let neg = false;\n  if (x < 0) {");
  });

  it("hoists a var declared in a loop to one let at the top, its declarations assigning it", () => {
    const text = ir(`
export function f(x: number, n: number): number {
  var s = 0;
  for (var i = 0; i < n; i++) {
    var t = x * i;
    s += t;
  }
  return s + i;
}`);
    // s: declared once, at the top, with a value: a let in place. i and t: hoisted.
    expect(text).toMatch(/\{\n {2}let i = 0;\n {2}let t = 0;\n {2}let s = 0;\n {2}for \(i = 0; i < n; i\+\+\) \{\n {4}t = x \* i;/);
  });
});

describe("switch", () => {
  it("is an if/else chain when every case ends in a jump and default is last", () => {
    const text = ir(`
export function f(x: number, mode: number): number {
  switch (mode) {
    case 0: return x;
    case 1:
    case 2: x *= 2; break;
    default: x = -x;
  }
  return x;
}`);
    expect(text).toContain("if (mode === 0) {\n    return x;\n  } else if (mode === 1 || mode === 2) {\n    x *= 2;\n  } else {\n    x = -x;\n  }");
    expect(text).not.toContain("do {");
    expect(text).not.toContain("break");
  });

  it("falls through with a matched flag in a one-trip loop; the value is evaluated once", () => {
    const text = ir(`
export function f(x: number, mode: number): number {
  switch (mode % 3) {
    case 2: x *= x;
    default: x += 1;
    case 0: x *= 3; break;
  }
  return x;
}`);
    expect(text).toContain(
      [
        "const key = mode % 3;",
        "  let matched = false;",
        "  do {",
        "    if (key === 2) {",
        "      matched = true;",
        "      x *= x;",
        "    }",
        "    if (matched || !(key === 0)) {",
        "      matched = true;",
        "      x++;",
        "    }",
        "    if (matched || key === 0) {",
        "      x *= 3;",
        "      break;",
        "    }",
        "  } while (false);",
      ].join("\n"),
    );
  });

  it("labels the loop a continue goes to across the one-trip loop", () => {
    const text = ir(`
export function f(x: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    switch (i) {
      case 0: s += x;
      case 1: if (s > 1) break; continue;
    }
    s *= x;
  }
  return s;
}`);
    expect(text).toContain("outer: for (let i = 0; i < n; i++) {");
    expect(text).toContain("continue outer;");
    expect(text).toMatch(/if \(s > 1\) \{\n\s+break;\n/);
  });
});
