/** Workflow shapes shared by the benchmarks: every step is a no-op `bench.NOOP`. */
import type { StepInput } from "@tandem/core";

const step = (id: string, depends_on: string[]): StepInput => ({ id, agent: "bench", action: "NOOP", depends_on });

export interface Shape {
  name: string;
  steps: StepInput[];
}

export function chain(n: number): Shape {
  return { name: `chain ${n}`, steps: Array.from({ length: n }, (_, i) => step(`s${i}`, i ? [`s${i - 1}`] : [])) };
}

export function fanOut(width: number): Shape {
  const mids = Array.from({ length: width }, (_, i) => step(`m${i}`, ["root"]));
  return {
    name: `fan-out 1→${width}→1`,
    steps: [
      step("root", []),
      ...mids,
      step(
        "join",
        mids.map((m) => m.id),
      ),
    ],
  };
}

/** `layers` layers of `width` steps, each depending on every step of the layer before. */
export function lattice(layers: number, width: number): Shape {
  const steps: StepInput[] = [];
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      steps.push(step(`l${l}_${w}`, l ? Array.from({ length: width }, (_, k) => `l${l - 1}_${k}`) : []));
    }
  }
  return { name: `lattice ${layers}×${width}`, steps };
}

export function tiny(): Shape {
  return { name: "tiny 2-step", steps: [step("a", []), step("b", ["a"])] };
}
