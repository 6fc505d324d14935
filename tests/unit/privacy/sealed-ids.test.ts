// The ID sealer: its keyed hash (HMAC-SHA256 from two one-shot hashes) equals createHmac's, so
// hashes still find stored students; a seal opens to what was sealed, with a fresh IV each time,
// and a tampered one does not open.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdSealer } from '../../../src/modules/privacy/sealed-ids.js';

const samples = () => {
  const out = ['', 'x', '110101200001011234', 'G36010220120305123X', '学籍号:G360102201203051234', 'abcdefghijklmnop', 'abcdefghijklmnopq', 'ü'.repeat(40), 'y'.repeat(79), 'z'.repeat(81), '长'.repeat(100)];
  for (let i = 0; i < 300; i++) out.push(crypto.randomBytes(i % 60).toString('base64').slice(0, i % 50));
  return out;
};

describe('createIdSealer', () => {
  const secret = crypto.randomBytes(32);
  const sealer = createIdSealer(secret);
  const macKey = crypto.createHmac('sha256', secret).update('bangfu:id-hash').digest();

  it('hashes as HMAC-SHA256 with the hash key', () => {
    for (const s of samples()) expect(sealer.hash(s)).toBe(crypto.createHmac('sha256', macKey).update(s).digest('base64url'));
    expect(sealer.studentNoHash('G1234')).toBe(crypto.createHmac('sha256', macKey).update('学籍号:G1234').digest('base64url'));
  });

  it('seals what it opens, with a fresh IV each time', () => {
    const seen = new Set<string>();
    for (const s of samples()) {
      const sealed = sealer.seal(s);
      expect(sealer.open(sealed)).toBe(s);
      seen.add(sealed.subarray(0, 12).toString('hex'));
    }
    expect(seen.size).toBe(samples().length);
  });

  it('a tampered seal does not open', () => {
    const sealed = sealer.seal('110101200001011234');
    sealed[sealed.length - 1] = sealed[sealed.length - 1]! ^ 1;
    expect(() => sealer.open(sealed)).toThrow();
  });
});
