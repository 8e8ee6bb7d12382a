// IKD QR interop with Node `cose-js` (https://www.npmjs.com/package/cose-js).
//
// cose-js does COSE only (no CWT): it decrypts the A256GCM COSE_Encrypt0 and
// verifies the ES256 COSE_Sign1; this script decodes the CWT claims with the
// `cbor` package (a cose-js dependency) and checks exp/iat/aud itself.
//
// Usage (NODE_PATH must contain the node_modules with cose-js):
//   node node_interop.js vectors VECTORS_JSON
//   node node_interop.js verify KEYS_JWKS CLAIMS_JSON AUD TOKENS_FILE
//   node node_interop.js issue KEYS_JWKS CLAIMS_JSON TTL OUT_FILE COUNT
'use strict';
const fs = require('fs');
const zlib = require('zlib');
const crypto = require('crypto');
const cose = require('cose-js');
const cbor = require('cbor');

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const IDENTITY = -65537;

function b45encode (buf) {
  let s = '';
  for (let i = 0; i < buf.length; i += 2) {
    if (i + 1 < buf.length) {
      let n = buf[i] * 256 + buf[i + 1];
      for (let k = 0; k < 3; k++) { s += B45[n % 45]; n = Math.floor(n / 45); }
    } else {
      let n = buf[i];
      for (let k = 0; k < 2; k++) { s += B45[n % 45]; n = Math.floor(n / 45); }
    }
  }
  return s;
}

function b45decode (text) {
  const v = [...text].map((c) => {
    const i = B45.indexOf(c);
    if (i < 0) throw new Error('bad base45');
    return i;
  });
  const out = [];
  for (let i = 0; i < v.length; i += 3) {
    if (i + 2 < v.length) {
      const n = v[i] + v[i + 1] * 45 + v[i + 2] * 2025;
      if (n > 0xffff) throw new Error('bad base45');
      out.push(n >> 8, n & 0xff);
    } else if (i + 1 < v.length) {
      const n = v[i] + v[i + 1] * 45;
      if (n > 0xff) throw new Error('bad base45');
      out.push(n);
    } else throw new Error('bad base45 length');
  }
  return Buffer.from(out);
}

const unwrap = (t) => {
  if (!t.startsWith('IKD1:')) throw new Error('not IKD1');
  return zlib.inflateSync(b45decode(t.slice(5)));
};
const wrap = (coseBytes) => 'IKD1:' + b45encode(zlib.deflateSync(coseBytes, { level: 9 }));
const b64u = (s) => Buffer.from(s, 'base64url');

function loadKeys (jwks) {
  const sig = []; const enc = [];
  for (const k of jwks.keys) {
    if (k.kty === 'EC') sig.push({ kid: k.kid, x: b64u(k.x), y: b64u(k.y), d: k.d ? b64u(k.d) : undefined });
    if (k.kty === 'oct') enc.push({ kid: k.kid, k: b64u(k.k) });
  }
  return { sig, enc };
}

function kidOf (headers) {
  // headers: [protectedBstr, unprotectedMap]
  const p = headers[0].length ? cbor.decodeFirstSync(headers[0]) : new Map();
  const kid = p.get(4) || headers[1].get(4);
  return kid ? Buffer.from(kid).toString('utf8') : undefined;
}

// Decrypt with the key named by the token's kid, verify with the signing key
// named by the inner kid; returns the claims Map.
async function open (coseBytes, keys) {
  let obj = cbor.decodeFirstSync(coseBytes);
  let sign1Bytes = coseBytes;
  if (obj.tag === 16) {
    const kid = kidOf(obj.value);
    const key = keys.enc.find((k) => k.kid === kid);
    if (!key) throw new Error('unknown enc kid ' + kid);
    sign1Bytes = await cose.encrypt.read(coseBytes, key.k);
    obj = cbor.decodeFirstSync(sign1Bytes);
  }
  if (obj.tag !== 18) throw new Error('not a COSE_Sign1');
  const kid = kidOf(obj.value);
  const key = keys.sig.find((k) => k.kid === kid);
  if (!key) throw new Error('unknown sig kid ' + kid);
  const payload = await cose.sign.verify(sign1Bytes, { key: { x: key.x, y: key.y, kid } });
  return cbor.decodeFirstSync(payload);
}

// cbor decodes text-keyed maps as objects and others as Maps: normalise.
function plain (x) {
  if (x instanceof Map) x = Object.fromEntries(x.entries());
  if (x && typeof x === 'object' && !Array.isArray(x) && !Buffer.isBuffer(x)) {
    return Object.fromEntries(Object.keys(x).sort().map((k) => [k, plain(x[k])]));
  }
  return x;
}

function checkIdentity (claims, want, where) {
  const id = plain(claims.get(IDENTITY));
  for (const [k, v] of Object.entries(want)) {
    const got = JSON.stringify(id[k]);
    const exp = JSON.stringify(plain(v));
    if (got !== exp) throw new Error(`${where}: identity.${k} ${got} != ${exp}`);
  }
}

async function vectors (path) {
  const v = JSON.parse(fs.readFileSync(path, 'utf8'));
  const keys = loadKeys(v.verifier_keys);
  let n = 0;
  for (const c of v.valid) {
    const coseBytes = unwrap(c.token);
    if (coseBytes.toString('hex').toUpperCase() !== c.layers.cose) throw new Error(c.name + ': cose differs');
    const claims = await open(coseBytes, keys);
    const e = c.expected;
    if (claims.get(1) !== e.iss || claims.get(6) !== e.iat || claims.get(4) !== e.exp) throw new Error(c.name + ': times/iss differ');
    if (Buffer.from(claims.get(7)).toString('hex').toUpperCase() !== e.cti) throw new Error(c.name + ': cti differs');
    checkIdentity(claims, e.identity, c.name);
    const bad = Buffer.from(coseBytes); bad[bad.length - 1] ^= 1;
    let accepted = true;
    try { await open(bad, keys); } catch (_) { accepted = false; }
    if (accepted) throw new Error(c.name + ': cose-js accepted a tampered token');
    n++;
  }
  console.log(`node cose-js: ${n} vector tokens decrypted and verified`);
}

async function verify (keysPath, claimsPath, aud, tokensPath) {
  const keys = loadKeys(JSON.parse(fs.readFileSync(keysPath, 'utf8')));
  const want = JSON.parse(fs.readFileSync(claimsPath, 'utf8'));
  const now = Math.floor(Date.now() / 1000);
  const leeway = 5;
  let n = 0;
  for (const t of fs.readFileSync(tokensPath, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean)) {
    const c = await open(unwrap(t), keys);
    if (now > c.get(4) + leeway) throw new Error('expired');
    if (now + leeway < c.get(6)) throw new Error('not yet valid');
    if (c.get(4) - c.get(6) > 90) throw new Error('ttl above 90 s');
    if (c.get(3) !== aud) throw new Error('aud ' + c.get(3));
    checkIdentity(c, want.identity, 'ktpel token');
    n++;
  }
  if (n === 0) throw new Error('no tokens to verify');
  console.log(`node cose-js: ${n} ktpel-issued tokens verified (leeway ${leeway} s)`);
}

async function issue (keysPath, claimsPath, ttl, out, count) {
  const keys = loadKeys(JSON.parse(fs.readFileSync(keysPath, 'utf8')));
  const c = JSON.parse(fs.readFileSync(claimsPath, 'utf8'));
  const sig = keys.sig.find((k) => k.d);
  const enc = keys.enc[0];
  const lines = [];
  for (let i = 0; i < count; i++) {
    const now = Math.floor(Date.now() / 1000);
    const claims = new Map([[1, c.iss], [4, now + ttl], [6, now], [7, crypto.randomBytes(16)]]);
    if (c.aud) claims.set(3, c.aud);
    const id = new Map(Object.entries(c.identity).map(([k, v]) =>
      [k, v && typeof v === 'object' && !Array.isArray(v) ? new Map(Object.entries(v)) : v]));
    claims.set(IDENTITY, id);
    const sign1 = await cose.sign.create(
      { p: { alg: 'ES256', kid: sig.kid }, u: {} }, cbor.encode(claims), { key: { d: sig.d } });
    const enc0 = await cose.encrypt.create(
      { p: { alg: 'A256GCM' }, u: { kid: enc.kid } }, sign1, { key: enc.k });
    lines.push(wrap(enc0));
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`node cose-js: issued ${count} tokens (ttl ${ttl} s)`);
}

const [cmd, ...a] = process.argv.slice(2);
const run = { vectors: () => vectors(a[0]), verify: () => verify(a[0], a[1], a[2], a[3]), issue: () => issue(a[0], a[1], Number(a[2]), a[3], Number(a[4])) }[cmd];
if (!run) { console.error('usage: see header'); process.exit(2); }
run().catch((e) => { console.error('FAILED:', e.message); process.exit(1); });
