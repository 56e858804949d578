import type { BuildOptions, Case } from "../common/types.js";
// eslint-disable-next-line require-yield
export async function* lstmCases(_o: BuildOptions): AsyncGenerator<Case> {}
