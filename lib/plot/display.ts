/**
 * Rich display for the Deno Jupyter kernel: a cell whose value is the returned
 * object shows the figure. Outside Jupyter it is a plain object with `markup`.
 *
 * Figures go out as `text/html` (an inline `<svg>` is valid HTML), never as
 * `image/svg+xml`: nbconvert's HTML export passes SVG outputs through lxml's
 * `clean_html`, which drops every `<svg>` element as an unknown tag and leaves
 * a blank figure, while `text/html` is copied as it is. Jupyter shows both.
 * @module
 */

/** A figure the Deno kernel renders (it looks up `Symbol.for("Jupyter.display")`). */
export interface Displayable {
  /** The SVG or HTML markup. */
  markup: string;
  [key: symbol]: () => Record<string, string>;
}

/**
 * Wraps SVG/HTML markup so that a notebook cell displays it, in Jupyter and in
 * an HTML export alike.
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 * const figure = display('<svg><rect width="4" height="4"/></svg>');
 * ```
 */
export function display(markup: string): Displayable {
  const bundle = {
    "text/html": markup,
    "text/plain": markup.startsWith("<svg") ? "[svg figure]" : "[figure]",
  };
  return { markup, [Symbol.for("Jupyter.display")]: () => bundle };
}

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);

/** A table of records (columns from the first row's keys) that a notebook cell displays as HTML. */
export function table(rows: readonly Record<string, unknown>[]): Displayable {
  const cols = rows.length ? Object.keys(rows[0]!) : [];
  const cell = (v: unknown) =>
    typeof v === "number" && !Number.isInteger(v)
      ? v.toFixed(3)
      : typeof v === "string"
      ? v
      : JSON.stringify(v) ?? "";
  const html = `<table><thead><tr>${
    cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(cell(r[c]))}</td>`).join("")}</tr>`)
      .join("")
  }</tbody></table>`;
  const text = [cols.join("\t"), ...rows.map((r) => cols.map((c) => cell(r[c])).join("\t"))].join(
    "\n",
  );
  return {
    markup: html,
    [Symbol.for("Jupyter.display")]: () => ({ "text/html": html, "text/plain": text }),
  };
}
