// Runs once per `vitest --project integration` run, before any worker starts: decides
// which database backends the integration suites run on and hands the list to every
// test file (`inject('backends')`, read by tests/helpers/db.ts).
import type { TestProject } from 'vitest/node';
import { decideBackends } from './backends.js';

export default async function setup(project: TestProject) {
  project.provide('backends', await decideBackends());
}
