/**
 * The playground (playground/): the compiler built for the browser, in real headless Chromium.
 * The page compiles its example on load; typing a new function regenerates the module; an error
 * shows the diagnostic. Also prints the compile time per keystroke while a 50-line model is
 * edited (measured, not asserted).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../plugins/helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: run .ci/install-chromium.sh (the browser tests must run in CI)`);

type Playground = { times: number[]; compiles: number };
const state = (page: Page) => page.evaluate(() => (window as unknown as { __playground: Playground }).__playground);
const compiled = (page: Page, n: number) => page.waitForFunction((k) => ((window as unknown as { __playground?: Playground }).__playground?.compiles ?? 0) >= k, n, { timeout: 60_000 });

/** A 50-line model in the style of the examples: a small network's loss with a helper. */
const FIFTY_LINES = [
  "function dense(w: number[], b: number, x: number[]): number {",
  "  let s = b;",
  "  for (let i = 0; i < x.length; i++) s += w[i] * x[i];",
  "  return Math.tanh(s);",
  "}",
  "",
  "export function loss(w1: number[], w2: number[], b1: number, b2: number, xs: number[][], ys: number[]): number {",
  "  let total = 0;",
  ...Array.from({ length: 36 }, (_, i) => (i % 3 === 0 ? `  const h${i} = dense(w1, b1, xs[${i % 4}]);` : i % 3 === 1 ? `  const o${i} = dense(w2, b2, [h${i - 1}, h${i - 1} * h${i - 1}]);` : `  total += (o${i - 1} - ys[${i % 4}]) ** 2;`)),
  "  const penalty = w1.reduce((acc, v) => acc + v * v, 0) + w2.reduce((acc, v) => acc + v * v, 0);",
  "  return total / xs.length + 1e-3 * penalty;",
  "}",
  "",
  "export function scale(x: number, k: number): number {",
  "  return x * k;",
  "}",
].join("\n");

describe.skipIf(!haveChromium)("the playground in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const { buildPlayground } = (await import(pathToFileURL(path.join(repoRoot, "playground", "build.mjs")).href)) as { buildPlayground: (out: string) => Promise<string> };
    const out = await buildPlayground(path.join(repoRoot, "test-output", "playground"));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
    page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(pathToFileURL(path.join(out, "index.html")).href);
    await compiled(page, 1);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("compiles its example on load, in the page", async () => {
    expect(errors).toEqual([]);
    expect(await page.textContent("#output")).toContain("export function energy_grad(ps: Particle[], k: number)");
    expect(await page.textContent("#status")).toMatch(/^energy · compiled in \d+ ms$/);
  });

  it("regenerates on typing, shows diagnostics, and reports the time per keystroke on a 50-line model", async () => {
    await page.fill("#source", FIFTY_LINES);
    const before = (await state(page)).compiles;
    await compiled(page, before + 1);
    expect(await page.textContent("#output")).toContain("export function loss_grad(");
    // Keystrokes, each after the debounce: each compiles the 50 lines again.
    await page.focus("#source");
    await page.keyboard.press("End");
    const typedFrom = (await state(page)).compiles;
    for (const key of ["\n", "/", "/", " ", "o", "k"]) {
      await page.keyboard.type(key);
      await compiled(page, (await state(page)).compiles + 1);
    }
    const { times, compiles } = await state(page);
    const perKeystroke = times.slice(typedFrom).sort((a, b) => a - b);
    expect(compiles - typedFrom).toBe(6);
    console.log(`playground: compile per keystroke on a 50-line model, median ${perKeystroke[3]!.toFixed(0)} ms (${perKeystroke.map((t) => t.toFixed(0)).join(", ")}); first compile ${times[0]!.toFixed(0)} ms`);
    expect(await page.textContent("#output")).toContain("export function scale_grad(");
    // A statement tsgrad rejects: the diagnostic, with its code and place, instead of the module.
    await page.fill("#source", "export function f(x: number): number {\n  try {\n    return x;\n  } catch {\n    return 0;\n  }\n}\n");
    await compiled(page, compiles + 1);
    expect(await page.getAttribute("#output", "class")).toBe("error");
    expect(await page.textContent("#output")).toContain("model.ts:2:3 - error TSG1004");
    expect(errors).toEqual([]);
  });
});
