// The steps of a demo load, shared by the loader, the CLI and the first-run page (no Node imports).

/** The parts of a demo load, in order: the county (one transaction), the exams, the support data, the planner statistics. */
export const DEMO_STEPS = ['county', 'exams', 'support', 'finish'] as const;
export type DemoStep = (typeof DEMO_STEPS)[number];

/** The support step's parts, in order (the page names the one being written). */
export const DEMO_SUPPORT_PARTS = ['cases', 'pairings', 'records', 'audit'] as const;

/** Where a demo load is: its step, the whole load's percentage, and within the step e.g. exam 3 of 7 or the support part being written. */
export interface DemoProgress { step: DemoStep; percent: number; done?: number; total?: number; part?: string }
