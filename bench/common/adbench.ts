/**
 * Readers for the ADBench input files in bench/data/adbench/ (formats: ADBench docs/FileFormat.md,
 * summarised in bench/README.md). The data is MIT-licensed, see bench/data/adbench/LICENSE.txt.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/data/adbench, found by walking up from this module (bundled into bench/.build/ or not). */
export function dataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const cand of [join(dir, "data", "adbench"), join(dir, "bench", "data", "adbench")]) {
      if (existsSync(join(cand, "LICENSE.txt"))) return cand;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("bench/data/adbench not found");
    dir = up;
  }
}

function tokens(path: string): number[] {
  const text = readFileSync(join(dataDir(), path), "utf8");
  return text
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map(Number);
}

export interface GmmInput {
  d: number;
  k: number;
  n: number;
  alphas: Float64Array;
  means: Float64Array; // k x d
  icf: Float64Array; // k x d(d+1)/2
  x: Float64Array; // n x d
  gamma: number;
  m: number;
}

export function readGmm(path: string): GmmInput {
  const t = tokens(path);
  let p = 0;
  const next = () => t[p++]!;
  const d = next();
  const k = next();
  const n = next();
  const icfSize = (d * (d + 1)) / 2;
  const alphas = new Float64Array(k);
  for (let i = 0; i < k; i++) alphas[i] = next();
  const means = new Float64Array(k * d);
  for (let i = 0; i < k * d; i++) means[i] = next();
  const icf = new Float64Array(k * icfSize);
  for (let i = 0; i < k * icfSize; i++) icf[i] = next();
  // One stored point per line, or a single point standing for all n (the 2.5M files).
  const stored = t.length - p - 2 === d ? 1 : n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < stored * d; i++) x[i] = next();
  if (stored === 1) for (let i = 1; i < n; i++) x.copyWithin(i * d, 0, d);
  const gamma = next();
  const m = next();
  return { d, k, n, alphas, means, icf, x, gamma, m };
}

export interface BaInput {
  n: number;
  m: number;
  p: number;
  cams: Float64Array; // n x 11
  X: Float64Array; // m x 3
  w: Float64Array; // p
  obs: number[]; // p x 2 (camera, point)
  feats: Float64Array; // p x 2
}

/** Reads a BA file and replicates its single camera/point/weight/feature (ADBench's convention). */
export function readBa(path: string): BaInput {
  const t = tokens(path);
  const [n, m, p] = [t[0]!, t[1]!, t[2]!];
  const cam = t.slice(3, 14);
  const pt = t.slice(14, 17);
  const w0 = t[17]!;
  const f0 = t.slice(18, 20);
  const cams = new Float64Array(n * 11);
  for (let i = 0; i < n; i++) for (let j = 0; j < 11; j++) cams[i * 11 + j] = cam[j]!;
  const X = new Float64Array(m * 3);
  for (let i = 0; i < m; i++) for (let j = 0; j < 3; j++) X[i * 3 + j] = pt[j]!;
  const w = new Float64Array(p).fill(w0);
  const obs = new Array<number>(2 * p);
  const feats = new Float64Array(2 * p);
  for (let i = 0; i < p; i++) {
    obs[2 * i] = i % n;
    obs[2 * i + 1] = i % m;
    feats[2 * i] = f0[0]!;
    feats[2 * i + 1] = f0[1]!;
  }
  return { n, m, p, cams, X, w, obs, feats };
}

export interface LstmInput {
  l: number;
  c: number;
  b: number;
  mainParams: Float64Array; // 2l x 4b
  extraParams: Float64Array; // 3 x b
  state: Float64Array; // 2l x b
  sequence: Float64Array; // c x b
}

export function readLstm(path: string): LstmInput {
  const t = tokens(path);
  let p = 0;
  const next = () => t[p++]!;
  const l = next();
  const c = next();
  const b = next();
  const take = (len: number) => {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++) a[i] = next();
    return a;
  };
  const mainParams = take(2 * l * 4 * b);
  const extraParams = take(3 * b);
  const state = take(2 * l * b);
  const sequence = take(c * b);
  return { l, c, b, mainParams, extraParams, state, sequence };
}
