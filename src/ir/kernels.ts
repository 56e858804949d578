/**
 * The tsgrad/runtime kernels user code may call, with their signatures. Their derivative
 * kernels (`<name>_vjp`, `<name>_jvp`, in the runtime) follow one convention, so the transforms
 * need no per-kernel code: reverse adjoints of array inputs are accumulated into buffers (null
 * when inactive) and the adjoint of a scalar input is returned; forward tangents may be null.
 */
import type { Type } from "../ir/nodes.js";

export type KernelParam = "number" | "vector" | "matrix";

export interface KernelSpec {
  params: KernelParam[];
  result: Type;
}

const VEC: Type = { kind: "vector", repr: "f64", readonly: false };
const MAT: Type = { kind: "matrix", readonly: false, rows: "f64" };
const NUM: Type = { kind: "number" };

export const KERNELS: Record<string, KernelSpec> = {
  dot: { params: ["vector", "vector"], result: NUM },
  sum: { params: ["vector"], result: NUM },
  axpy: { params: ["number", "vector", "vector"], result: VEC },
  matvec: { params: ["matrix", "vector"], result: VEC },
  matmul: { params: ["matrix", "matrix"], result: MAT },
  logsumexp: { params: ["vector"], result: NUM },
  softmax: { params: ["vector"], result: VEC },
  sigmoid: { params: ["number"], result: NUM },
  softplus: { params: ["number"], result: NUM },
  norm2: { params: ["vector"], result: NUM },
  hypotOf: { params: ["vector"], result: NUM },
};
