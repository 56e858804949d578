/**
 * Array behaviour beyond the fixtures' gradient checks: the tape of a long time loop stays a
 * small multiple of the values it overwrites, the same array may be passed twice, and arrays
 * created in a loop are kept by reference, not copied.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tape } from "../runtime/index.js";
import { checkPoint } from "./helpers/gradcheck.js";
import { fixturesDir } from "./helpers/fixtures.js";

const realPush = tape.push;
afterEach(() => {
  tape.push = realPush;
});

/** Counts values pushed during one call (`push2`..`push4` push several with one call). */
function countPushes(run: () => void): number {
  const real = { push: tape.push, push2: tape.push2, push3: tape.push3, push4: tape.push4 };
  let pushes = 0;
  const counted = <A extends number[]>(fn: (this: typeof tape, ...a: A) => void) =>
    function (this: typeof tape, ...a: A) {
      pushes += a.length;
      fn.apply(this, a);
    };
  tape.push = counted(real.push);
  tape.push2 = counted(real.push2);
  tape.push3 = counted(real.push3);
  tape.push4 = counted(real.push4);
  try {
    run();
  } finally {
    Object.assign(tape, real);
  }
  return pushes;
}

describe("arrays", () => {
  it("a 1,000-step time loop records a small constant times the values it overwrites", async () => {
    const { springChain_grad } = await import(path.join(fixturesDir, "local-arrays.grad.ts"));
    const steps = 1000;
    const pushes = countPushes(() => springChain_grad(3, 0.5, steps));
    // Each step overwrites 4 velocities and 4 positions; it also overwrites two temporaries per
    // particle and records two loop ends.
    const overwritten = 8 * steps;
    expect(pushes).toBeGreaterThanOrEqual(overwritten);
    expect(pushes).toBeLessThanOrEqual(2.5 * overwritten);
    expect(tape.top).toBe(0);
    console.log(`springChain, ${steps} steps: ${pushes} values on the tape for ${overwritten} overwritten (${(pushes / overwritten).toFixed(2)}x)`);
  });

  it("the 1,000-step gradient matches finite differences", async () => {
    const primal = await import(path.join(fixturesDir, "local-arrays.ts"));
    const generated = await import(path.join(fixturesDir, "local-arrays.grad.ts"));
    const checked = checkPoint("springChain", primal.springChain, generated.springChain_grad, generated.springChain_jvp, [3, 0.5, 1000], {
      params: ["k", "damping", "steps"],
      wrt: ["k", "damping"],
    });
    expect(checked).toBe(2);
  });

  it("the same array passed as two arguments gets the correct gradient for each", async () => {
    const generated = await import(path.join(fixturesDir, "arrays.grad.ts"));
    const w = [0.3, -1.2, 2];
    const x = new Float64Array([0.3, -1.2, 2]);
    const shared = generated.weighted_grad(w, w, 0.2);
    const separate = generated.weighted_grad(w, x, 0.2);
    expect(shared.value).toBe(separate.value);
    expect([...shared.grad.w]).toEqual([...separate.grad.w]);
    expect([...shared.grad.x]).toEqual([...separate.grad.x]);
    expect(w).toEqual([0.3, -1.2, 2]);
  });

  it("f_grad_into adds into caller-owned buffers and allocates none for the gradient", async () => {
    const generated = await import(path.join(fixturesDir, "arrays.grad.ts"));
    const w = [0.3, -1.2, 2];
    const x = new Float64Array([0.5, 0.1, -0.7]);
    const once = generated.weighted_grad(w, x, 0.2);
    const grad = { w: [0, 0, 0], x: new Float64Array(3), bias: 0 };
    const buffers = [grad.w, grad.x];
    expect(generated.weighted_grad_into(w, x, 0.2, grad)).toBe(once.value);
    generated.weighted_grad_into(w, x, 0.2, grad);
    expect(grad.w).toBe(buffers[0]);
    expect(grad.x).toBe(buffers[1]);
    expect(grad.w).toEqual(once.grad.w.map((g: number) => 2 * g));
    expect([...grad.x]).toEqual([...once.grad.x].map((g) => 2 * g));
    expect(grad.bias).toBe(2 * once.grad.bias);
  });

  it("keeps arrays created inside a loop by reference", () => {
    const text = fs.readFileSync(path.join(fixturesDir, "local-arrays.grad.ts"), "utf8");
    const perIteration = text.slice(text.indexOf("export function perIteration_grad"));
    expect(perIteration).toContain("tape.pushObject(tmp)");
    expect(perIteration).toContain("tmp = tape.popObject()");
  });
});
