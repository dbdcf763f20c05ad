import assert from "node:assert/strict";
import { display, Plot, plotToSvg } from "../../lib/plot/mod.ts";

Deno.test("plotToSvg renders a standalone SVG with one path per line", () => {
  const svg = plotToSvg({
    marks: [Plot.lineY([1, 3, 2], { stroke: "red" }), Plot.lineY([2, 2, 2], { stroke: "blue" })],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // Plot writes one <g aria-label="line"> per mark, holding one <path> per series.
  for (const color of ["red", "blue"]) {
    const group = svg.match(new RegExp(`<g[^>]*stroke="${color}"[^>]*aria-label="line">(.*?)</g>`));
    assert.ok(group, `no line group for ${color}`);
    assert.equal(group[1]!.match(/<path d="M[^"]+"/g)?.length, 1);
  }
});

Deno.test("plotToSvg wraps a plot with a title or legend in a <figure>", () => {
  const markup = plotToSvg({
    title: "Rewards",
    marks: [Plot.dot([{ x: 1, y: 2 }], { x: "x", y: "y" })],
  });
  assert.match(markup, /^<figure/);
  assert.match(markup, /<h2>Rewards<\/h2>/);
  assert.match(markup, /<svg/);
});

Deno.test("display sends SVG and HTML figures as text/html, which nbconvert's HTML export keeps", () => {
  const key = Symbol.for("Jupyter.display");
  const svg = display("<svg></svg>")[key]!();
  assert.deepEqual(svg, { "text/html": "<svg></svg>", "text/plain": "[svg figure]" });
  const fig = display("<figure></figure>")[key]!();
  assert.deepEqual(fig, { "text/html": "<figure></figure>", "text/plain": "[figure]" });
});
