// The ID sealer's fast paths give exactly what Node's own objects give: the keyed hash equals
// createHmac's, and a seal equals createCipheriv('aes-256-gcm') for the same IV (gcm-seal.ts),
// so sealed values stored before and after open alike and hashes still find stored students.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGcmSeal } from '../../../src/modules/privacy/gcm-seal.js';
import { createIdSealer } from '../../../src/modules/privacy/sealed-ids.js';

const nodeSeal = (key: Buffer, plain: string, iv: Buffer) => {
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
};

const samples = () => {
  const out = ['', 'x', '110101200001011234', 'G36010220120305123X', '学籍号:G360102201203051234', 'abcdefghijklmnop', 'abcdefghijklmnopq', 'ü'.repeat(40), 'y'.repeat(79), 'z'.repeat(81), '长'.repeat(100)];
  for (let i = 0; i < 300; i++) out.push(crypto.randomBytes(i % 60).toString('base64').slice(0, i % 50));
  return out;
};

describe('gcm-seal', () => {
  it('equals createCipheriv byte for byte, for every length', () => {
    for (let k = 0; k < 4; k++) {
      const key = crypto.randomBytes(32);
      const seal = createGcmSeal(key);
      for (const s of samples()) {
        const iv = crypto.randomBytes(12);
        expect(seal(s, iv).toString('hex')).toBe(nodeSeal(key, s, iv).toString('hex'));
      }
    }
  });
});

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
