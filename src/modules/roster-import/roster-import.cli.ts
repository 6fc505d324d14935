// PLACEHOLDER — being written.
export async function importRosterCommand(_file: string, _opts: { school?: string; json?: boolean }): Promise<void> {
  throw new Error('not written yet');
}
