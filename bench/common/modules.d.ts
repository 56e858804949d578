/**
 * `bench-tsgrad:<workload>` resolves (bench.mjs) to bench/<workload>/objective.grad.ts when that
 * file exists, else to a stub exporting only `__missing`. Its exports are looked up by name.
 */
declare module "bench-tsgrad:*" {
  export const __missing: true | undefined;
}
