/**
 * Figures for notebooks and run reports: Observable Plot → SVG without a browser.
 * @module
 */
export * from "./svg.ts";
export * from "./display.ts";
export * as Plot from "@observablehq/plot";
export * from "./charts.ts";
