export type OverlapPolicy = "skip" | "allow";
export type CatchUpPolicy = "skip" | "latest" | "all";
