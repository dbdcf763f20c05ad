/**
 * `deno task bench`: runs every benchmark in `bench/` one after another (never
 * two at once: they would share the 2 cores and skew each other's ratios) and
 * prints their tables. Each writes its numbers to `data/bench/<name>.json`.
 *
 * Usage: deno task bench [NAME ...]   (e.g. `deno task bench sandbox`)
 * @module
 */
const dir = new URL(".", import.meta.url).pathname;
const only = Deno.args;
const names = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && n !== "main.ts")
  .map((n) => n.slice(0, -3))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
if (names.length === 0) {
  console.error(
    `No benchmark matches ${only.join(", ")}; available: ${
      [...Deno.readDirSync(dir)].map((e) => e.name).join(", ")
    }`,
  );
  Deno.exit(1);
}
let failed = 0;
for (const name of names) {
  console.log(`\n## ${name}  (deno run -A bench/${name}.ts)\n`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${dir}${name}.ts`],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`bench/${name}.ts exited with ${code}`);
    failed++;
  }
}
Deno.exit(failed ? 1 : 0);
