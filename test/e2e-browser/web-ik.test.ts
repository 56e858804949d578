/**
 * The web-ik example in real headless Chromium (Debian's package, driven by playwright-core;
 * `.ci/install-chromium.sh` installs it in CI). Screenshots go to test-output/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, createServer, preview, type PreviewServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tsgrad } from "../../src/plugins/vite.js";
import { exampleRoot, makeRepoFixture, removeDir, repoRoot, runtimeEntry, writeFile } from "../plugins/helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const outputDir = path.join(repoRoot, "test-output");
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: run .ci/install-chromium.sh (the browser tests must run in CI)`);
}

interface Point {
  x: number;
  y: number;
}
interface IkState {
  ready: boolean;
  target: Point;
  tip: Point;
  targetPx: Point;
  tipPx: Point;
  distance: number;
  loss: number;
  iterations: number;
  frameIterations: number;
  idle: boolean;
  frames: number;
  hotUpdates: number;
  view: { origin: Point; scale: number; reach: number };
}

const readState = (page: Page) => page.evaluate(() => (window as unknown as { __ik: IkState }).__ik);

/** Opens the page with the target wandering off, and collects uncaught errors. */
async function openExample(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(`${url}?idle=0`);
  await page.waitForFunction(() => (window as unknown as { __ik?: IkState }).__ik?.ready === true);
  return { page, errors };
}

/** Moves the mouse to `world` (world units, relative to the arm's base) and returns the page position. */
async function pointAt(page: Page, world: Point): Promise<Point> {
  const { view } = await readState(page);
  const px = { x: view.origin.x + world.x * view.scale, y: view.origin.y - world.y * view.scale };
  await page.mouse.move(px.x, px.y, { steps: 12 });
  return px;
}

/** Waits until the tip sits on the target (within `tolerance` world units) and returns the state. */
async function waitForTip(page: Page, px: Point, tolerance: number): Promise<IkState> {
  await page.waitForFunction(
    ({ px, tolerance }) => {
      const s = (window as unknown as { __ik: IkState }).__ik;
      const targetMatches = Math.abs(s.targetPx.x - px.x) < 0.5 && Math.abs(s.targetPx.y - px.y) < 0.5;
      return targetMatches && Math.hypot(s.tip.x - s.target.x, s.tip.y - s.target.y) < tolerance;
    },
    { px, tolerance },
    { timeout: 10_000 },
  );
  return readState(page);
}

describe.skipIf(!haveChromium)("web-ik example in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(outputDir, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe("production build", () => {
    let outDir: string;
    let server: PreviewServer;
    beforeAll(async () => {
      outDir = makeRepoFixture({}, "web-ik-dist-");
      const configFile = path.join(exampleRoot, "vite.config.ts");
      await build({ configFile, logLevel: "warn", build: { outDir, emptyOutDir: true } });
      server = await preview({
        configFile,
        logLevel: "warn",
        build: { outDir },
        preview: { host: "127.0.0.1", port: 0, strictPort: false },
      });
    });
    afterAll(async () => {
      await server?.close();
      removeDir(outDir);
    });

    it("moves the tip onto the target wherever the pointer goes, and out toward it when out of reach", async () => {
      const url = server.resolvedUrls!.local[0]!;
      const { page, errors } = await openExample(browser, url);
      try {
        const targets: Point[] = [
          { x: 1.3, y: 0.9 },
          { x: 0.4, y: -1.5 },
          { x: -0.2, y: 1.6 },
          { x: 1.9, y: -0.3 },
        ];
        let iterations = 0;
        for (const target of targets) {
          const px = await pointAt(page, target);
          const state = await waitForTip(page, px, 1e-4);
          expect(state.tip.x).toBeCloseTo(state.target.x, 3);
          expect(state.tip.y).toBeCloseTo(state.target.y, 3);
          expect(state.iterations).toBeGreaterThan(iterations);
          iterations = state.iterations;
        }
        // The solver settles: no iterations once the tip is on the target.
        await page.waitForFunction(() => (window as unknown as { __ik: IkState }).__ik.frameIterations === 0);
        await page.screenshot({ path: path.join(outputDir, "web-ik.png") });

        // Out of reach: the arm stretches straight toward the target.
        const far = { x: 2.2, y: 1.7 };
        await pointAt(page, far);
        await page.waitForFunction(
          () => {
            const s = (window as unknown as { __ik: IkState }).__ik;
            const r = Math.hypot(s.tip.x, s.tip.y);
            const cross = (s.tip.x * s.target.y - s.tip.y * s.target.x) / (r * Math.hypot(s.target.x, s.target.y));
            return Math.abs(r - s.view.reach) < 1e-3 && Math.abs(cross) < 1e-3;
          },
          undefined,
          { timeout: 10_000 },
        );
        await page.screenshot({ path: path.join(outputDir, "web-ik-out-of-reach.png") });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });

  describe("dev server", () => {
    let root: string;
    let server: ViteDevServer;
    beforeAll(async () => {
      // A copy of the example, so the test can edit arm.ts.
      root = makeRepoFixture({}, "web-ik-dev-");
      fs.cpSync(path.join(exampleRoot, "index.html"), path.join(root, "index.html"));
      fs.cpSync(path.join(exampleRoot, "src"), path.join(root, "src"), { recursive: true });
      server = await createServer({
        configFile: false,
        root,
        // The test provokes a compile error on purpose; the page's overlay is checked instead.
        logLevel: "silent",
        plugins: [tsgrad()],
        resolve: { alias: { "tsgrad/runtime": runtimeEntry } },
        server: { host: "127.0.0.1", port: 0, strictPort: false, fs: { allow: [repoRoot] } },
      });
      await server.listen();
    });
    afterAll(async () => {
      await server?.close();
      removeDir(root);
    });

    it("hot-swaps the gradient when arm.ts is edited, without reloading the page", async () => {
      const url = server.resolvedUrls!.local[0]!;
      const { page, errors } = await openExample(browser, url);
      try {
        const px = await pointAt(page, { x: 0.8, y: 1.0 });
        await waitForTip(page, px, 1e-4);
        await page.evaluate(() => ((window as unknown as { marker: string }).marker = "still here"));

        // Aim the loss half a unit to the right of the target.
        const armFile = path.join(root, "src", "arm.ts");
        const source = fs.readFileSync(armFile, "utf8");
        expect(source).toContain("const ex = x - tx;");
        writeFile(root, "src/arm.ts", source.replace("const ex = x - tx;", "const ex = x - (tx + 0.5);"));

        await page.waitForFunction(
          () => {
            const s = (window as unknown as { __ik: IkState }).__ik;
            return s.hotUpdates > 0 && Math.hypot(s.tip.x - (s.target.x + 0.5), s.tip.y - s.target.y) < 1e-4;
          },
          undefined,
          { timeout: 15_000 },
        );
        expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("still here");
        await page.screenshot({ path: path.join(outputDir, "web-ik-hot-update.png") });
        expect(errors).toEqual([]);

        // A tsgrad diagnostic shows in vite's error overlay with its location; fixing the file
        // clears it and the page carries on.
        const edited = fs.readFileSync(armFile, "utf8");
        const broken = edited.replace(
          "  return ex * ex + ey * ey;\n",
          "  try {\n    return ex * ex + ey * ey;\n  } finally {\n    // nothing\n  }\n",
        );
        expect(broken).not.toBe(edited);
        const tryLine = broken.split("\n").findIndex((line) => line === "  try {") + 1;
        const updatesBefore = (await readState(page)).hotUpdates;
        writeFile(root, "src/arm.ts", broken);
        const overlay = page.locator("vite-error-overlay");
        await overlay.waitFor({ state: "attached", timeout: 15_000 });
        expect(await overlay.locator(".message-body").textContent()).toMatch(/TSG\d{4}: .*try/);
        expect(await overlay.locator(".file").textContent()).toContain(`arm.ts:${tryLine}:2`);
        await page.screenshot({ path: path.join(outputDir, "web-ik-error-overlay.png") });

        writeFile(root, "src/arm.ts", source);
        await overlay.waitFor({ state: "detached", timeout: 15_000 });
        await page.waitForFunction(
          (before) => {
            const s = (window as unknown as { __ik: IkState }).__ik;
            return s.hotUpdates > before && Math.hypot(s.tip.x - s.target.x, s.tip.y - s.target.y) < 1e-4;
          },
          updatesBefore,
          { timeout: 15_000 },
        );
        expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("still here");
      } finally {
        await page.close();
      }
    });
  });
});
