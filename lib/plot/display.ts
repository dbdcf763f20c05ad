/**
 * Rich display for the Deno Jupyter kernel: a cell whose value is the returned
 * object shows the figure. Outside Jupyter it is a plain object with `markup`.
 * @module
 */

/** A figure the Deno kernel renders (it looks up `Symbol.for("Jupyter.display")`). */
export interface Displayable {
  /** The SVG or HTML markup. */
  markup: string;
  [key: symbol]: () => Record<string, string>;
}

/** Wraps SVG/HTML markup so that a notebook cell displays it. */
export function display(markup: string): Displayable {
  const bundle: Record<string, string> = markup.startsWith("<svg")
    ? { "image/svg+xml": markup, "text/plain": "[svg figure]" }
    : { "text/html": markup, "text/plain": "[figure]" };
  return { markup, [Symbol.for("Jupyter.display")]: () => bundle };
}
