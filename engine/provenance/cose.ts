/**
 * COSE_Sign1 (RFC 9052) for a C2PA claim, ES256, detached payload, tagged (18),
 * with the certificate chain in header 33 (x5chain) and zero padding in the
 * unprotected header so the structure fills exactly the space c2pa reserved.
 */
import { webcrypto } from 'node:crypto';
import { KlappeError } from '../common/errors.js';
import { cborEncode, CborMap, CborTagged } from './cbor.js';

const COSE_SIGN1_TAG = 18;
const ALG_ES256 = -7;
const X5CHAIN = 33;

export async function coseSign1(
  payload: Uint8Array,
  key: webcrypto.CryptoKey,
  chainDer: Uint8Array[],
  reserveSize: number,
): Promise<Uint8Array> {
  const protectedBytes = cborEncode(
    new CborMap([
      [1, ALG_ES256],
      [X5CHAIN, chainDer.length === 1 ? chainDer[0]! : chainDer],
    ]),
  );
  const toSign = cborEncode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const signature = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, toSign));
  const build = (pad: number) =>
    cborEncode(new CborTagged(COSE_SIGN1_TAG, [protectedBytes, new CborMap([['pad', new Uint8Array(pad)]]), null, signature]));
  const bare = build(0).length;
  if (bare > reserveSize)
    throw new KlappeError({ code: 'SIGNATURE_TOO_LARGE', message: `the signature needs ${bare} bytes, only ${reserveSize} were reserved` });
  // the pad's length prefix grows with it: step back until it fits exactly
  for (let pad = reserveSize - bare; pad >= 0; pad--) {
    const out = build(pad);
    if (out.length === reserveSize) return out;
  }
  throw new KlappeError({ code: 'SIGNATURE_PADDING', message: `cannot pad the signature to ${reserveSize} bytes` });
}
