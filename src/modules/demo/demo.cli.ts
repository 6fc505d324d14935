// PLACEHOLDER — being written.
export async function demoCommand(_opts: { students: string; seed: string; force?: boolean }): Promise<void> {
  throw new Error('not written yet');
}
