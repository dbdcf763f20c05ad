/**
 * Figures for notebooks and run reports: Observable Plot → SVG without a browser, one colour
 * per task type everywhere.
 * @module
 */
export * from "./svg.ts";
export * from "./display.ts";
export * as Plot from "@observablehq/plot";
export * from "./charts.ts";
export * from "./colors.ts";
export * from "./labels.ts";
export * from "./smooth.ts";
