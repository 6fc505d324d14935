// PLACEHOLDER — the demo-county generator is being written (see issue 2).
import type { AppContext } from '../../server/context.js';

export interface DemoAccount { role: string; username: string; password: string; schoolCode?: string }

export async function loadDemoCounty(_ctx: AppContext, _opts: { students?: number; seed?: number }): Promise<{ accounts: DemoAccount[] }> {
  throw new Error('demo generator not written yet');
}
