import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // Generated modules import "tsgrad/runtime"; tests run them against the runtime's source.
      "tsgrad/runtime": fileURLToPath(new URL("./runtime/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Child processes, not worker threads: the in-process CLI runs (test/helpers/cli.ts) switch
    // the working directory, which worker threads cannot.
    pool: "forks",
    // One test file per core. (Vitest's default leaves a core to itself, which on 2 cores means
    // a single worker; test files spend their time computing in that worker, not in the main process.)
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
