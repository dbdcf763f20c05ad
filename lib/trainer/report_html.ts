/**
 * The pieces the run reports share (`report.html` of self-play and of pre-training, and the
 * comparison page of `deno task report`): the page, a figure section, numbers rounded for
 * reading, and the final eval's table of the model beside its chance levels, as `k/n (p%)`.
 *
 * @example
 * ```ts
 * import { evalTableHtml } from "./report_html.ts";
 * const html = evalTableHtml({
 *   accuracy: { deduction: 0.1 },
 *   counts: { deduction: { k: 1, n: 10 } },
 *   baselines: { deduction: [{ name: "majority", kind: "trivial", k: 2, n: 10 }] },
 *   listLength: { k: 0, n: 0 },
 * });
 * ```
 * @module
 */
import { formatKN } from "../eval/baselines.ts";
import { TASK_COLORS, taskOrder } from "../plot/colors.ts";
import { escapeHtml as esc } from "../plot/display.ts";
import type { EvalTables } from "./run_files.ts";

/** A number as a reader wants it: integers whole, others to 3 significant digits. */
export function formatNumber(v: unknown): string {
  if (typeof v !== "number") return typeof v === "string" ? v : JSON.stringify(v) ?? "";
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(3)));
  return v.toExponential(2);
}

/** A task type's name with its colour's swatch (as in every figure). */
export function taskLabel(task: string): string {
  const color = (TASK_COLORS as Record<string, string>)[task];
  return color ? `<span style="color:${color}">■</span> ${esc(task)}` : esc(task);
}

/**
 * The final eval as a table: per task type the model's `k/n (p%)`, then each chance level of
 * the same tasks (`search@N` last: it is the strong reference, not a chance level), then the
 * list-length accuracy of list-valued deduction.
 */
export function evalTableHtml(t: EvalTables): string {
  const rows = taskOrder([...Object.keys(t.counts), ...Object.keys(t.baselines)])
    .filter((task) => t.counts[task] || (t.baselines[task]?.length ?? 0) > 0)
    .map((task) => {
      const m = t.counts[task];
      const cells = [
        m ? `<td><b>model ${formatKN(m.k, m.n)}</b></td>` : "<td>model –</td>",
        ...(t.baselines[task] ?? []).map((b) => `<td>${esc(b.name)} ${formatKN(b.k, b.n)}</td>`),
        ...(task === "deduction" && t.listLength.n > 0
          ? [`<td>list_length ${formatKN(t.listLength.k, t.listLength.n)}</td>`]
          : []),
      ];
      return `<tr><td>${taskLabel(task)}</td>${cells.join("")}</tr>`;
    });
  return `<table class="eval">${rows.join("")}</table>`;
}

/** Tasks the eval used: the model's counts summed (queries; induction: tasks). */
export function evalSize(t: Pick<EvalTables, "counts">): string {
  return taskOrder(Object.keys(t.counts)).map((task) => `${t.counts[task]!.n} ${task}`)
    .join(", ");
}

/** A two-column table of a record's entries, numbers rounded. */
export function recordTableHtml(r: Record<string, unknown>): string {
  return `<table>${
    Object.entries(r).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(formatNumber(v))}</td></tr>`)
      .join("")
  }</table>`;
}

/** A figure with its heading. */
export function section(title: string, body: string, note = ""): string {
  return `<section><h2>${esc(title)}</h2>${
    note ? `<p class="note">${note}</p>` : ""
  }${body}</section>`;
}

/** The whole page. */
export function reportPage(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}
figure{margin:1em 0}table{border-collapse:collapse;font-size:12px}td,th{border-bottom:1px solid #eee;padding:2px 8px;text-align:left}
table.eval td{white-space:nowrap}.note{color:#555;font-size:13px}code{font-size:12px}h2{font-size:1.15em;margin-top:1.6em}</style></head><body>
${body}
</body></html>
`;
}
