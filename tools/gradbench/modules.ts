/**
 * The evals tsgrad implements, one file each in evals/: each function's primal is the model in
 * models/, its derivative the module tsgrad generated from it (models/*.grad.ts, checked in and
 * kept fresh by the tests; compile-models.mjs writes them).
 */
import type { Modules } from "./protocol.js";
import { ba } from "./evals/ba.js";
import { det } from "./evals/det.js";
import { gmm } from "./evals/gmm.js";
import { hello } from "./evals/hello.js";
import { ht } from "./evals/ht.js";
import { kmeans } from "./evals/kmeans.js";
import { llsq } from "./evals/llsq.js";
import { lse } from "./evals/lse.js";
import { lstm } from "./evals/lstm.js";
import { ode } from "./evals/ode.js";
import { particle } from "./evals/particle.js";
import { saddle } from "./evals/saddle.js";

export const modules: Modules = { hello, lse, llsq, ode, gmm, lstm, det, ba, ht, kmeans, particle, saddle };
