#!/usr/bin/env node
// Trial corpus: how much real-world numeric TypeScript tsgrad compiles unchanged.
//
//   npm run build && node bench/trial-corpus.mjs [--verbose]
//
// Compiles every exported function of test/corpus/*.ts on its own (CompileOptions.functions)
// with the built compiler (dist/src/index.js), prints one row per function (compiles unchanged:
// yes/no, and for "no" the first diagnostic), the total, and the rejection reasons ranked.
// A function skipped with a warning (TSG2004, TSG2011, ... : SKIPPED_EXPORT_CODES) counts as "no".
// For each "yes" the generated _grad / _vjp is checked once against central finite differences of
// the original function at the point given in POINTS below; a mismatch is printed loudly and makes
// the script exit 1 (it would be a compiler bug).
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpusDir = join(root, "test/corpus");
const buildDir = join(root, "bench/.build/corpus");
const verbose = process.argv.includes("--verbose");
const { compile } = await import(pathToFileURL(join(root, "dist/src/index.js")).href);

// A sensible point for each function (arguments in order). Keys: "file:name" ("file:Class.method" for methods).
const f64 = (...xs) => Float64Array.from(xs);
const f32 = (...xs) => Float32Array.from(xs);
const POINTS = {
  "physics:stepParticles": [[{ pos: { x: 0, y: 1 }, vel: { x: 1, y: 0.5 }, mass: 1, fixed: false }, { pos: { x: 2, y: 0 }, vel: { x: 0, y: 0 }, mass: 2, fixed: true }], 0.1, 9.81],
  "physics:integrate": [{ position: { x: 0.3, y: 1 }, velocity: { x: 1, y: -0.5 }, acceleration: { x: 0.2, y: -9.8 } }, 0.05],
  "physics:springForce": [{ x: 0.1, y: 0.2 }, { x: 1.3, y: 0.7 }, 1, 20],
  "physics:kineticEnergy": [[{ mass: 1.5, velocity: [1, 2, 3] }, { mass: 0.5, velocity: [-1, 0.5, 2] }]],
  "physics:clothEnergy": [f64(0, 0, 1.1, 0, 0, 0.9, 1.2, 1.1), Int32Array.from([0, 1, 0, 2, 1, 3, 2, 3, 0, 3]), f64(1, 1, 1, 1, 1.4), 50],
  "physics:Spring.potential": { ctor: [20, 1], args: [1.3] },
  "physics:simulateSpring": [1, 0, 4, 0.3, 0.01, 100],
  "kinematics:projectileRange": [20, 35, 9.81],
  "kinematics:forwardKinematics": [[1, 0.8, 0.5], [0.3, -0.4, 0.9]],
  "kinematics:endEffector": [{ l1: 1, l2: 0.7 }, [0.4, 0.9]],
  "kinematics:trajectoryAt": [{ x: 0, y: 1, z: 0 }, { x: 3, y: 4, z: 1 }, 0.6],
  "kinematics:reachError": [[0.3, 0.5, -0.2], [1, 0.8, 0.5], [1.2, 1.1]],
  "geometry:cross": [[0, 0, 0], [1, 2, 3], [-0.5, 0.7, 2]],
  "geometry:normalize": [[0, 0, 0], [1, -2, 0.5]],
  "geometry:polygonArea": [[{ x: 0, y: 0 }, { x: 2, y: 0.1 }, { x: 2.2, y: 1.5 }, { x: -0.1, y: 1.2 }]],
  "geometry:distanceToSegment": [{ x: 0.5, y: 1 }, { x: 0, y: 0 }, { x: 2, y: 0.3 }],
  "geometry:rotate": [[1, 0.5], 0.7],
  "geometry:centroid": [[{ x: 0, y: 0 }, { x: 2, y: 0.1 }, { x: 2.2, y: 1.5 }]],
  "geometry:triangleArea": [[0, 0, 0], [1, 0.2, 0.1], [0.3, 1, 0.5]],
  "losses:mse": [[0.5, 1.2, -0.3], [0.4, 1, 0]],
  "losses:softmaxCrossEntropy": [[0.2, 1.5, -0.7, 0.1], 1],
  "losses:huber": [[0.5, 3.2, -0.3], [0.4, 1, 0], 1],
  "losses:gaussianNll": [[0.5, 1.2, -0.3, 2], 0.4, 1.3],
  "losses:poissonLogLik": [[2, 0, 5, 3], 2.5],
  "losses:mixtureLogLik": [[0.5, 1.2, -0.3, 2], [0.3, 0.7], [0, 1.5], [0.8, 1.2]],
  "finance:blackScholesPrice": [100, 95, 0.5, 0.03, 0.25, "CALL"],
  "finance:blackScholes": [100, 95, 0.5, 0.03, 0.25],
  "finance:bsPriceCall": [100, 105, 0.75, 0.3, 0.02],
  "finance:portfolioVariance": [[0.5, 0.3, 0.2], [[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.16]]],
  "easing:easeOutElastic": [0.37],
  "easing:easeOutBounce": [0.61],
  "easing:Easing.easeInOutBack": [0.3],
  "easing:easeInOutCubic": [0.63],
  "easing:ease": ["cubic", 0.4],
  "colour:rgb2lab": [{ r: 200, g: 120, b: 40 }],
  "colour:rgbToXyz": [{ r: 200, g: 120, b: 40 }],
  "colour:labToXyz": [[52, 20, -30]],
  "colour:relativeLuminance": [200, 120, 40],
  "fitting:polyFitLoss": [[0.5, -1, 0.3], [0, 0.5, 1, 1.5, 2], [0.4, 0.1, -0.3, 0.2, 0.9]],
  "fitting:expDecayResidual": [{ a: 2, k: 0.7, c: 0.1 }, [[0, 2.1], [1, 1.1], [2, 0.6], [3, 0.35]]],

  // ---- batch 2 (test/corpus/batch2-*.ts) ----
  "batch2-physics:World.totalEnergy": {
    ctor: [[
      { position: { x: 0.5, y: 2 }, velocity: { x: 1, y: -0.5 }, mass: 2, inertia: 0.3, angularVelocity: 0.7 },
      { position: { x: -1, y: 1 }, velocity: { x: 0.2, y: 0.1 }, mass: 1, inertia: 0.1, angularVelocity: -0.4, isStatic: true },
      { position: { x: 1.5, y: 0.3 }, velocity: { x: -0.3, y: 0.8 }, mass: 0.5, inertia: 0.2, angularVelocity: 1.1, isStatic: false },
    ], { x: 0.1, y: -9.81 }],
    args: [],
  },
  "batch2-physics:stepVerlet": [
    [{ x: 0, y: 0, oldX: 0, oldY: 0, pinned: true }, { x: 1, y: 0.1, oldX: 0.98, oldY: 0.05, pinned: false }, { x: 2.1, y: 0.3, oldX: 2.05, oldY: 0.2, pinned: false }],
    [{ a: 0, b: 1, length: 1 }, { a: 1, b: 2, length: 1 }],
    0.016,
    { gravity: 9.8, iterations: 2 },
  ],
  "batch2-physics:simulatePendulum": [0.8, 0.3, 1.2, 0.1, 0.01, 50],
  // (A void function updating both bodies: its result is `{ a, b }`.)
  "batch2-physics:resolveCollision": { updates: ["a", "b"], args: [{ pos: { x: 0, y: 0 }, vel: { x: 1, y: 0.2 }, radius: 0.6, invMass: 1 }, { pos: { x: 1, y: 0.3 }, vel: { x: -0.5, y: 0 }, radius: 0.6, invMass: 0.5 }, 0.8] },
  "batch2-kinematics:Arm.endEffector": {
    ctor: [[{ angle: 0.3, length: 1, minAngle: -3, maxAngle: 3 }, { angle: 0.5, length: 0.8, minAngle: -1, maxAngle: 1 }, { angle: -0.4, length: 0.5, minAngle: -2, maxAngle: 2 }], { x: 0.1, y: 0.2 }],
    args: [],
  },
  "batch2-kinematics:jointPositions": [[0.3, 0.5, -0.4], [1, 0.8, 0.5], 0.2],
  "batch2-kinematics:dhEndEffector": [[{ a: 0, alpha: Math.PI / 2, d: 0.3 }, { a: 0.5, alpha: 0, d: 0, thetaOffset: 0.1 }, { a: 0.4, alpha: 0, d: 0 }], [0.2, 0.4, -0.3]],
  "batch2-geometry:triangleArea": { revive: "Vec3", args: [{ x: 0, y: 0, z: 0 }, { x: 1, y: 0.2, z: 0.1 }, { x: 0.3, y: 1, z: 0.5 }] },
  // (Float32Arrays, as the signature says: the generated code rounds what it stores, as the original does.)
  "batch2-geometry:transformMat4": [f32(0, 0, 0), f32(1, 2, 3), f32(1, 0.125, 0, 0.0625, 0.25, 0.875, 0.125, 0.03125, 0, -0.125, 1.125, 0.03125, 0.5, 0.25, -0.25, 1)],
  "batch2-geometry:slerp": [[0, 0, 0, 0], [0, 0, 0.2, 0.98], [0.1, 0.3, 0.5, 0.8], 0.35],
  "batch2-geometry:distanceToPolyline": [{ x: 0.5, y: 1 }, [{ x: 0, y: 0 }, { x: 1, y: 0.2 }, { x: 2, y: 1.5 }]],
  "batch2-ml:mlpForward": [[0.5, -0.3], [{ weights: [[0.1, 0.4], [-0.3, 0.2], [0.5, 0.5]], bias: [0.1, 0, -0.2] }, { weights: [[0.3, -0.2, 0.6]], bias: [0.05] }], "tanh"],
  "batch2-ml:Dense.forward": { ctor: [[[0.2, 0.5], [-0.4, 0.3], [0.7, -0.1]], [0.1, 0.2, 0.3], "relu"], args: [[0.6, -0.8]] },
  "batch2-ml:adamStep": [[0.5, -0.3, 1.2], [0.1, -0.2, 0.05], { m: [0.01, 0, -0.02], v: [0.001, 0.002, 0.0005], t: 3 }, { lr: 0.01, weightDecay: 0.01 }],
  "batch2-ml:binaryCrossEntropy": [[0.3, -1.2, 2], [1, 0, 1], { eps: 1e-7 }],
  "batch2-ml:attention": [[0.5, -0.2, 0.3], [[0.1, 0.4, -0.3], [0.6, -0.1, 0.2]], [[1, 0.5], [-0.3, 0.8]]],
  "batch2-stats:studentTLogLikelihood": [[0.5, 1.2, -0.3, 2.5], { mu: 0.4, sigma: 1.1, nu: 4.5 }],
  "batch2-stats:kernelDensity": [0.3, [0.1, -0.5, 0.8, 1.4, 0.2], undefined, "gaussian"],
  "batch2-animation:cubicBezier": [0.4, 0.25, 0.1, 0.25, 1],
  "batch2-animation:SpringAnimation.positionAt": { ctor: [{ stiffness: 120, damping: 10, mass: 1.5 }], args: [0.35, 0, 100, 5] },
  "batch2-animation:sampleTrack": [[{ time: 0, value: 0 }, { time: 1, value: 10, easing: "easeOut" }, { time: 2.5, value: 4, easing: "easeInOut" }], 1.7],
  "batch2-colour:srgbToOklab": [[200, 120, 40]],
  "batch2-finance:npv": [0.05, [{ amount: -100, years: 0 }, { amount: 30, years: 1 }, { amount: 45, years: 2.5 }, { amount: 50, years: 4 }], "annual"],
  "batch2-finance:Bond.price": { ctor: [1000, 0.05, 5, 2], args: [0.045] },
};

// Integer-valued parameters used as an index or a loop count: the function is piecewise constant in
// them, so a finite difference at an integer straddles a jump. Their partials are not checked.
const INTEGER_ARGS = {
  "losses:softmaxCrossEntropy": ["label"],
  "losses:poissonLogLik": ["counts"],
  "physics:simulateSpring": ["steps"],
  // (A dotted entry names a leaf below a parameter, `*` any array index.)
  "batch2-physics:stepVerlet": ["sticks.*.a", "sticks.*.b", "arg4.iterations", "options.iterations"],
  "batch2-physics:simulatePendulum": ["steps"],
};
const isIntegerArg = (key, path) =>
  (INTEGER_ARGS[key] ?? []).some((pat) => {
    const parts = pat.split(".");
    return parts.length <= path.length && parts.every((q, i) => q === "*" || q === String(path[i]));
  });

/** Exported functions (and public methods of exported classes) of one corpus file. */
function exportsOf(fileName) {
  const sf = ts.createSourceFile(fileName, readFileSync(fileName, "utf8"), ts.ScriptTarget.Latest, true);
  const out = [];
  const isExported = (n) => ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of sf.statements) {
    if (!isExported(st)) continue;
    if (ts.isFunctionDeclaration(st) && st.name) out.push({ name: st.name.text });
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) out.push({ name: d.name.text });
    } else if (ts.isClassDeclaration(st) && st.name) {
      for (const m of st.members)
        if (ts.isMethodDeclaration(m) && m.name && ts.isIdentifier(m.name)) out.push({ name: `${st.name.text}.${m.name.text}`, cls: st.name.text, method: m.name.text });
    }
  }
  return out;
}

const short = (s, n = 110) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
const SKIP = new Set(["TSG2004", "TSG2010", "TSG2011", "TSG2012"]);

/** Compiles one function alone; returns { ok, diag, code, generatedName }. */
function compileOne(fileName, entry) {
  // A class's method is the function `Class_method`.
  const target = entry.cls ? `${entry.cls}_${entry.method}` : entry.name;
  let r;
  try {
    r = compile({ fileName, mode: "both", functions: [target] });
  } catch (e) {
    return { ok: false, diag: { code: "CRASH", message: String(e?.message ?? e) } };
  }
  const mentions = (d) => d.message.includes(`'${target}'`) || d.message.includes(`'${entry.name}'`);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const skipped = r.diagnostics.filter((d) => SKIP.has(d.code) && (mentions(d) || !r.functions.length));
  const generatedName = r.functions.includes(target) ? target : undefined;
  const ok = r.code !== undefined && errors.length === 0 && skipped.length === 0 && generatedName !== undefined;
  const diag = errors[0] ?? skipped[0] ?? r.diagnostics.find((d) => d.severity !== "note") ?? (ok ? undefined : { code: "-", message: `not generated (functions: ${r.functions.join(", ") || "none"})` });
  return { ok, diag, code: r.code, generatedName, all: r.diagnostics };
}

async function bundle(entryFile, outFile) {
  await esbuild.build({
    entryPoints: [entryFile], outfile: outFile, bundle: true, format: "esm", platform: "node", logLevel: "silent",
    alias: { "tsgrad/runtime": join(root, "runtime/index.ts") },
  });
  return import(pathToFileURL(outFile).href + `?t=${Date.now()}`);
}

// ---- finite-difference check -------------------------------------------------------------
const clone = (v) => (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array ? v.slice() : Array.isArray(v) ? v.map(clone) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) : v);
function leaves(v, path = [], out = []) {
  if (typeof v === "number") out.push([path, v]);
  else if (v && typeof v === "object") for (const k of Object.keys(v)) leaves(v[k], [...path, k], out);
  return out;
}
const getAt = (v, path) => path.reduce((o, k) => o[k], v);
function setAt(v, path, x) { const o = getAt(v, path.slice(0, -1)); o[path[path.length - 1]] = x; }
/** A cotangent of the result's shape with fixed, varied leaf values. */
function cotangentLike(v) {
  let i = 0;
  const mk = (x) => (typeof x === "number" ? 0.3 + 0.7 * Math.sin(1.7 * ++i) : x instanceof Float64Array ? x.map(() => 0.3 + 0.7 * Math.sin(1.7 * ++i)) : Array.isArray(x) ? x.map(mk) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, mk(y)])) : x);
  return mk(v);
}
const dotLeaves = (a, b) => leaves(a).reduce((s, [p, x]) => s + x * getAt(b, p), 0);
/** Parameter names of `fnName` in generated code (destructured parameters appear as arg1, arg2...). */
function paramNames(code, fnName) {
  const sf = ts.createSourceFile("g.ts", code, ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) if (ts.isFunctionDeclaration(st) && st.name?.text === fnName) return st.parameters.map((p) => p.name.getText(sf));
  return undefined;
}

async function gradCheck(key, entry, fileName, res) {
  let point = POINTS[key];
  if (!point) return { status: "no point", detail: "add a point to POINTS" };
  const gname = res.generatedName;
  mkdirSync(buildDir, { recursive: true });
  const base = key.replace(/[:.]/g, "_");
  const genTs = join(buildDir, `${base}.grad.ts`);
  writeFileSync(genTs, res.code);
  const gen = await bundle(genTs, join(buildDir, `${base}.grad.mjs`));
  // (A class the function's parameters are instances of may be file-local: a copy of the file exports it.)
  let origFile = fileName;
  if (point.revive) {
    origFile = join(buildDir, `${base}.orig.ts`);
    writeFileSync(origFile, `${readFileSync(fileName, "utf8")}\nexport { ${point.revive} as __revive };\n`);
  }
  const orig = await bundle(origFile, join(buildDir, `${base}.orig.mjs`));
  let f = orig[entry.name];
  if (entry.cls) {
    // `Class_method(self, ...args)`: an instance method takes the object's fields first (its
    // derivative is grad.this); a static method is called on the class.
    const C = orig[entry.cls];
    if (point.ctor) {
      const fields = { ...new C(...point.ctor) };
      point = [fields, ...point.args];
      f = (self, ...args) => C.prototype[entry.method].apply(Object.assign(Object.create(C.prototype), self), args);
    } else f = (...args) => C[entry.method](...args);
  } else if (point.revive) {
    // Plain objects for parameters the original takes as instances of a class of the file (`Vec3`):
    // its methods must exist on them; the generated code takes the fields.
    const C = orig.__revive;
    const g = f;
    f = (...args) => g(...args.map((a) => (a && typeof a === "object" && !Array.isArray(a) ? Object.assign(Object.create(C.prototype), a) : a)));
    point = point.args;
  }
  // A void function updating several parameters (`updates`: their names): its result is an object of them.
  const updates = point.updates;
  if (updates) point = point.args;
  const sourceParams = updates && paramNames(readFileSync(fileName, "utf8"), entry.name);
  const evalF = (args) => {
    const a = clone(args);
    const r = f(...a);
    if (r === undefined && updates) return Object.fromEntries(updates.map((u) => [u, a[sourceParams.indexOf(u)]]));
    // A void function that writes into a parameter: its result is the written parameter (the first object parameter).
    return r === undefined ? a.find((x) => x && typeof x === "object") : r;
  };
  const y0 = evalF(point);
  let grad, value, via;
  if (typeof y0 === "number" && typeof gen[`${gname}_grad`] === "function") {
    via = `${gname}_grad`;
    ({ value, grad } = gen[via](...clone(point)));
  } else if (typeof gen[`${gname}_vjp`] === "function") {
    via = `${gname}_vjp`;
    const ct = typeof y0 === "number" ? 1 : cotangentLike(y0);
    ({ value, grad } = gen[via](...clone(point), ct));
    var cot = ct;
  } else return { status: "no entry", detail: `no ${gname}_grad/_vjp exported` };
  const scalar = (y) => (typeof y === "number" ? y : dotLeaves(y, cot));
  // (The object of an instance method is `self`, its derivative `grad.this`.)
  const names = paramNames(res.code, via)?.map((n, i) => (entry.cls && POINTS[key].ctor && i === 0 ? "this" : n));
  const problems = [];
  if (Math.abs(scalar(value) - scalar(y0)) > 1e-9 * Math.max(1, Math.abs(scalar(y0)))) problems.push(`value ${scalar(value)} vs original ${scalar(y0)}`);
  let checked = 0;
  let worst = 0;
  let skipped = 0;
  for (const [path, ad] of leaves(grad)) {
    if (isIntegerArg(key, path)) { skipped++; continue; }
    const idx = names.indexOf(path[0]);
    if (idx < 0) { problems.push(`grad key ${path[0]} is not a parameter of ${via}`); continue; }
    const ipath = [idx, ...path.slice(1)];
    const x = getAt(point, ipath);
    if (typeof x !== "number") continue;
    // A Float32Array rounds what it stores: a power-of-two step wide enough for single precision,
    // fourth-order differences, and a tolerance at single precision's scale.
    const single = getAt(point, ipath.slice(0, -1)) instanceof Float32Array;
    const h = single ? 2 ** Math.round(Math.log2(1e-2 * Math.max(1, Math.abs(x)))) : 1e-6 * Math.max(1, Math.abs(x));
    const at = (dx) => {
      const p = clone(point);
      setAt(p, ipath, x + dx);
      return scalar(evalF(p));
    };
    const fd = single ? (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h) : (at(h) - at(-h)) / (2 * h);
    const err = Math.abs(fd - ad) / Math.max(1, Math.abs(fd), Math.abs(ad));
    worst = Math.max(worst, err);
    checked++;
    if (!(err <= (single ? 1e-4 : 1e-5))) problems.push(`d/d${path.join(".")}: tsgrad ${ad}, finite differences ${fd}`);
  }
  // Forward mode once as well: f_jvp along a fixed direction must equal <grad, direction>.
  let jvpNote = "";
  if (typeof gen[`${gname}_jvp`] === "function") {
    let i = 0;
    const dir = (v, path) => (typeof v === "number" ? (isIntegerArg(key, path) ? 0 : 0.2 + 0.9 * Math.cos(2.3 * ++i)) : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v, (x, j) => dir(x, [...path, j])) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dir(x, [...path, k])])));
    const tangents = Object.fromEntries(Object.entries(grad).map(([k, v]) => [k, dir(v, [k])]));
    for (const [k, v] of Object.entries(tangents)) if (ArrayBuffer.isView(grad[k])) tangents[k] = Float64Array.from(v);
    const { tangent } = gen[`${gname}_jvp`](...clone(point), tangents);
    const fwd = scalar(tangent);
    const rev = leaves(grad).reduce((s2, [path, g]) => s2 + g * getAt(tangents, path), 0);
    // (Derivatives held in Float32Arrays agree to single precision.)
    const jvpTol = Object.values(grad).some((v) => v instanceof Float32Array) ? 1e-6 : 1e-8;
    if (!(Math.abs(fwd - rev) <= jvpTol * Math.max(1, Math.abs(fwd), Math.abs(rev)))) problems.push(`${gname}_jvp gives ${fwd}, <grad, direction> gives ${rev}`);
    else jvpNote = "; jvp agrees";
  }
  if (problems.length) return { status: "MISMATCH", detail: `${via}: ${problems.join("; ")}` };
  return { status: "ok", detail: `${via}, ${checked} partials${skipped ? ` (${skipped} integer-valued skipped)` : ""}, max rel err ${worst.toExponential(1)}${jvpNote}` };
}

// ---- main ---------------------------------------------------------------------------------
// Batch 1 is the original corpus (test/corpus/<domain>.ts, 40 functions); batch 2 is
// test/corpus/batch2-*.ts (24 functions), reported separately.
const BATCHES = [
  { name: "batch 1", expected: 40, test: (file) => !file.startsWith("batch2-") },
  { name: "batch 2", expected: 24, test: (file) => file.startsWith("batch2-") },
];
const batchOf = (file) => BATCHES.find((b) => b.test(file)).name;
const corpusFiles = readdirSync(corpusDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".grad.ts")).sort();

// Every corpus file must be plain TypeScript that type-checks under `strict` on its own.
const program = ts.createProgram(corpusFiles.map((f) => join(corpusDir, f)), {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], module: ts.ModuleKind.ESNext, skipLibCheck: true, types: [],
});
const typeErrors = ts.getPreEmitDiagnostics(program);

const rows = [];
const files = [];
for (const file of corpusFiles) {
  const fileName = join(corpusDir, file);
  const domain = file.replace(/\.ts$/, "");
  // What a new user sees with `tsgrad compile <file>`: the whole file at once.
  let whole;
  try { whole = compile({ fileName, mode: "both" }); } catch (e) { whole = { functions: [], diagnostics: [{ severity: "error", code: "CRASH", line: 0, message: String(e?.message ?? e) }] }; }
  const firstErr = whole.diagnostics.find((d) => d.severity === "error");
  files.push({ file, generated: whole.functions.length, err: firstErr, batch: batchOf(file) });
  for (const entry of exportsOf(fileName)) {
    const key = `${domain}:${entry.name}`;
    const res = compileOne(fileName, entry);
    let check = { status: "-", detail: "" };
    if (res.ok) {
      try { check = await gradCheck(key, entry, fileName, res); } catch (e) { check = { status: "CHECK FAILED", detail: short(String(e?.stack ?? e), 300) }; }
    }
    rows.push({ domain, name: entry.name, ok: res.ok, diag: res.diag, check, all: res.all, batch: batchOf(file) });
  }
}

const pad = (s, n) => String(s).padEnd(n);
let anyBad = false;
for (const batch of BATCHES) {
  const bRows = rows.filter((r) => r.batch === batch.name);
  console.log(`\n=== ${batch.name} ===\n`);
  console.log(`${pad("function", 30)}${pad("domain", 20)}${pad("compiles", 10)}reason (first diagnostic) / gradient check`);
  console.log("-".repeat(130));
  for (const r of bRows) {
    const why = r.ok ? `grad check: ${r.check.status}${r.check.detail ? ` (${r.check.detail})` : ""}` : `${r.diag.code} ${short(r.diag.message.replace(/\s+/g, " "))}`;
    console.log(`${pad(r.name, 30)}${pad(r.domain, 20)}${pad(r.ok ? "yes" : "no", 10)}${why}`);
    if (verbose && !r.ok) for (const d of r.all ?? []) console.log(`${" ".repeat(60)}${d.code} ${d.severity} ${d.line}:${d.column} ${short(d.message, 160)}`);
  }
  const yes = bRows.filter((r) => r.ok).length;
  console.log("-".repeat(130));
  console.log(`${batch.name}: ${yes} of ${bRows.length} compile unchanged.${bRows.length !== batch.expected ? ` (expected ${batch.expected} functions in ${batch.name})` : ""}`);
  console.log("\nWhole-file compile (`tsgrad compile test/corpus/<file>`), as a new user would run it:");
  for (const f of files.filter((f) => f.batch === batch.name)) console.log(`  ${pad(f.file, 24)} ${f.err ? `error, nothing generated: ${f.err.code} at line ${f.err.line}` : `${f.generated} function(s) generated`}`);
  const codes = new Map();
  for (const r of bRows.filter((r) => !r.ok)) codes.set(r.diag.code, [...(codes.get(r.diag.code) ?? []), r.name]);
  console.log("\nRejection reasons (first diagnostic), most frequent first:");
  for (const [code, names] of [...codes].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${pad(code, 8)} ${names.length}  ${names.join(", ")}`);
  const bad = bRows.filter((r) => r.ok && r.check.status !== "ok");
  if (bad.length) {
    console.log("\n!!! GRADIENT CHECK PROBLEMS (compiled functions whose gradient was not confirmed):");
    for (const r of bad) console.log(`!!! ${r.domain}:${r.name}: ${r.check.status}: ${r.check.detail}`);
    anyBad = true;
  } else console.log(`\nAll ${yes} compiled gradients of ${batch.name} agree with central finite differences.`);
}
if (typeErrors.length) {
  console.log("\n!!! CORPUS FILES THAT DO NOT TYPE-CHECK UNDER strict:");
  for (const d of typeErrors) {
    const where = d.file ? `${d.file.fileName.slice(root.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    console.log(`!!! ${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  }
  anyBad = true;
} else console.log(`\nAll ${corpusFiles.length} corpus files type-check under strict.`);
if (anyBad) process.exitCode = 1;
