/** The tsgrad version, written into every generated header. Kept equal to package.json's by a test. */
export const VERSION = "0.1.0";
