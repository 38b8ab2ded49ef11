import { describe, expect, it } from 'vitest';
import { nonceMaker } from '../../src/web/security.js';

describe('CSP nonces', () => {
  it('hands out 128 random bits each time and never the same twice, past every refill of its drawn bytes', () => {
    const newNonce = nonceMaker();
    // Three refills of 256 nonces each, and some of a fourth.
    const nonces = Array.from({ length: 256 * 3 + 10 }, () => newNonce());
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('draws different bytes in each maker, so two apps in one process share no nonce', () => {
    const first = nonceMaker();
    const second = nonceMaker();
    expect(first()).not.toBe(second());
  });
});
