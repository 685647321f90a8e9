/**
 * Measures the machine view's time travel on a run of about a million events: loading
 * (first pass with checkpoints), then seeking random steps (restore + replay + building
 * the view). Run after `npm run build`: npx tsx packages/web/scripts/seek-bench.ts [events]
 */
import { machineState } from "../src/engine/machine-view.js";
import { ScenarioSession } from "../src/engine/scenario-session.js";

const wanted = Number(process.argv[2] ?? 1_000_000);
// Each repetition touches 16 pages through an 8-entry TLB: about 110 events.
const reps = Math.ceil(wanted / 110);
const source = `config frames=64 page_size=4k format=x86-64 tlb=8 tlb_ways=2 policy=clock swap=32 seed=1
spawn A text=8k data=4k bss=4k stack=16k
A brk +64k
A write heap+0 64k
repeat ${reps} A read heap+0 64k
`;

let t = performance.now();
const s = ScenarioSession.load(source);
if (!(s instanceof ScenarioSession)) throw new Error(s.message);
const loadMs = performance.now() - t;
console.log(`loaded ${s.length} events in ${(loadMs / 1000).toFixed(2)} s; checkpoints`, s.checkpointStats);
console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);

let seed = 12345;
const next = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed;
};
const times: number[] = [];
for (let i = 0; i < 60; i++) {
  const step = next() % (s.length + 1);
  t = performance.now();
  s.seek(step);
  machineState(s);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
console.log(
  `seek + view over ${times.length} random steps: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`,
);
