import { describe, expect, it } from 'vitest';
import { loadConfig, parseRosterBulkLoad, parseTrustProxy } from '../../src/config.js';

describe('BANGFU_TRUST_PROXY', () => {
  it('trusts no X-Forwarded-For by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    for (const v of [undefined, '', ' ', '0', 'false', 'FALSE']) expect(parseTrustProxy(v), String(v)).toBe(false);
  });

  it('reads any peer, or a list of proxy addresses', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('1')).toBe(true);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8')).toBe('127.0.0.1, 10.0.0.0/8');
    expect(loadConfig({ BANGFU_TRUST_PROXY: '127.0.0.1' }).trustProxy).toBe('127.0.0.1');
  });
});

describe('BANGFU_ROSTER_BULK_LOAD', () => {
  it('bulk-loads a first roster on the embedded database only, by default', () => {
    expect(loadConfig({}).rosterBulkLoad).toBe('embedded');
    expect(parseRosterBulkLoad(' ')).toBe('embedded');
  });

  it('takes always and off, in any case; a typo stops the start with the choices', () => {
    expect(loadConfig({ BANGFU_ROSTER_BULK_LOAD: 'always' }).rosterBulkLoad).toBe('always');
    expect(parseRosterBulkLoad('OFF')).toBe('off');
    expect(() => loadConfig({ BANGFU_ROSTER_BULK_LOAD: 'allways' })).toThrow('BANGFU_ROSTER_BULK_LOAD 应为 embedded、always、off 之一（现为“allways”）');
  });
});
