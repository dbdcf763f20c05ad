/**
 * Observable Plot rendered to an SVG (or `<figure>`) string without a browser:
 * Plot builds its DOM in a linkedom document, and we serialise it.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotToSvg } from "./svg.ts";
 * const svg = plotToSvg({ marks: [Plot.lineY([1, 3, 2])] });
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/** Plot's options (its own type), re-exported so callers need not import Plot for the type. */
export type PlotOptions = Plot.PlotOptions;

/**
 * Renders a plot to markup. The result is an `<svg>` element, or a `<figure>`
 * wrapping it when the plot has a title, subtitle, caption or legend.
 */
export function plotToSvg(options: PlotOptions): string {
  // linkedom's Window type differs from lib.dom's; Plot only needs createElement & co.
  const { document } = parseHTML("<!doctype html><html><body></body></html>") as unknown as {
    document: PlotOptions["document"];
  };
  const node = Plot.plot({ ...options, document });
  let markup = (node as unknown as { outerHTML: string }).outerHTML;
  // Standalone SVG files (reports, data/results) need the namespace declared.
  if (markup.startsWith("<svg") && !markup.includes('xmlns="http://www.w3.org/2000/svg"')) {
    markup = markup.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
  }
  return markup;
}
