"""IKD QR interop with Python `cwt` (https://pypi.org/project/cwt/).

Usage:
  py_interop.py vectors VECTORS_JSON
      Decrypts and verifies every valid token of tests/vectors/qr.json with
      cwt (signature and decryption checked by cwt; the fixed test clock is in
      the past, so cwt's time checks are skipped with no_verify=True and the
      times are compared with the expected values instead).
  py_interop.py verify KEYS_JWKS CLAIMS_JSON AUD TOKENS_FILE
      Verifies fresh ktpel-issued tokens with cwt, leeway set explicitly to
      5 s (cwt's default is 60 s), and checks aud and the identity.
  py_interop.py issue KEYS_JWKS CLAIMS_JSON TTL OUT_FILE COUNT
      Issues COUNT tokens with cwt (ES256 COSE_Sign1 inside an A256GCM
      COSE_Encrypt0, zlib, Base45, IKD1:) for ktpel to verify.
  py_interop.py bench KEYS_JWKS TOKENS_FILE
      Times cwt decoding (decrypt + ES256 verify + claims) of the tokens.
"""

import json
import os
import sys
import time
import zlib

import cwt
from cwt import COSEKey

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
IDENTITY = -65537


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 2):
        chunk = data[i : i + 2]
        if len(chunk) == 2:
            n = chunk[0] * 256 + chunk[1]
            digits = 3
        else:
            n = chunk[0]
            digits = 2
        for _ in range(digits):
            out.append(B45[n % 45])
            n //= 45
    return "".join(out)


def b45decode(text: str) -> bytes:
    vals = [B45.index(c) for c in text]
    out = bytearray()
    for i in range(0, len(vals), 3):
        c = vals[i : i + 3]
        if len(c) == 3:
            n = c[0] + c[1] * 45 + c[2] * 2025
            if n > 0xFFFF:
                raise ValueError("bad base45")
            out += bytes([n >> 8, n & 0xFF])
        elif len(c) == 2:
            n = c[0] + c[1] * 45
            if n > 0xFF:
                raise ValueError("bad base45")
            out.append(n)
        else:
            raise ValueError("bad base45 length")
    return bytes(out)


def unwrap(token: str) -> bytes:
    assert token.startswith("IKD1:"), token[:10]
    return zlib.decompress(b45decode(token[5:]))


def wrap(cose: bytes) -> str:
    return "IKD1:" + b45encode(zlib.compress(cose, 9))


def load_keys(path_or_obj):
    jwks = path_or_obj
    if isinstance(path_or_obj, str):
        with open(path_or_obj) as f:
            jwks = json.load(f)
    sig_pub, sig_priv, enc = [], [], []
    for k in jwks["keys"]:
        if k["kty"] == "EC":
            pub = {x: k[x] for x in ("kty", "crv", "x", "y", "kid")}
            pub["alg"] = "ES256"
            sig_pub.append(COSEKey.from_jwk(pub))
            if "d" in k:
                priv = dict(pub)
                priv["d"] = k["d"]
                sig_priv.append(COSEKey.from_jwk(priv))
        elif k["kty"] == "oct":
            enc.append(COSEKey.from_jwk({"kty": "oct", "k": k["k"], "kid": k["kid"], "alg": "A256GCM"}))
    return sig_pub, sig_priv, enc


def check_identity(claims, expected_identity, where):
    got = claims[IDENTITY]
    for key, want in expected_identity.items():
        if got.get(key) != want:
            raise SystemExit(f"{where}: identity.{key} = {got.get(key)!r}, expected {want!r}")


def cmd_vectors(path):
    with open(path) as f:
        v = json.load(f)
    sig_pub, _, enc = load_keys(v["verifier_keys"])
    ctx = cwt.CWT.new(leeway=5)
    n = 0
    for case in v["valid"]:
        cose = unwrap(case["token"])
        if cose.hex().upper() != case["layers"]["cose"]:
            raise SystemExit(f"{case['name']}: decoded COSE differs from layers.cose")
        # Fixed test clock lies in the past: cwt's wall-clock time checks are
        # skipped here; decryption and the signature are still verified.
        claims = ctx.decode(cose, keys=sig_pub + enc, no_verify=True)
        exp = case["expected"]
        for num, name in ((1, "iss"), (6, "iat"), (4, "exp")):
            if claims[num] != exp[name]:
                raise SystemExit(f"{case['name']}: {name} {claims[num]!r} != {exp[name]!r}")
        if claims[7].hex().upper() != exp["cti"]:
            raise SystemExit(f"{case['name']}: cti differs")
        check_identity(claims, exp["identity"], case["name"])
        # A tampered copy must fail in cwt too.
        bad = bytearray(cose)
        bad[-1] ^= 1
        try:
            ctx.decode(bytes(bad), keys=sig_pub + enc, no_verify=True)
        except Exception:
            pass
        else:
            raise SystemExit(f"{case['name']}: cwt accepted a tampered token")
        n += 1
    print(f"python cwt {cwt.__version__}: {n} vector tokens decrypted and verified")


def cmd_verify(keys, claims_path, aud, tokens_path):
    sig_pub, _, enc = load_keys(keys)
    with open(claims_path) as f:
        want = json.load(f)
    ctx = cwt.CWT.new(leeway=5)  # explicit: cwt defaults to 60 s
    n = 0
    with open(tokens_path) as f:
        for line in f:
            token = line.strip()
            if not token:
                continue
            claims = ctx.decode(unwrap(token), keys=sig_pub + enc)
            if claims.get(3) != aud:
                raise SystemExit(f"aud {claims.get(3)!r} != {aud!r}")
            if claims[4] - claims[6] > 90:
                raise SystemExit("ttl above 90 s")
            check_identity(claims, want["identity"], "ktpel token")
            n += 1
    if n == 0:
        raise SystemExit("no tokens to verify")
    print(f"python cwt {cwt.__version__}: {n} ktpel-issued tokens verified (leeway 5 s)")


def cmd_issue(keys, claims_path, ttl, out, count):
    _, sig_priv, enc = load_keys(keys)
    with open(claims_path) as f:
        c = json.load(f)
    ctx = cwt.CWT.new(leeway=5)
    with open(out, "w") as f:
        for _ in range(count):
            now = int(time.time())
            claims = {1: c["iss"], 4: now + ttl, 6: now, 7: os.urandom(16), IDENTITY: c["identity"]}
            if c.get("aud"):
                claims[3] = c["aud"]
            signed = ctx.encode_and_sign(claims, sig_priv[0], tagged=False)
            token = ctx.encode_and_encrypt(signed, enc[0], nonce=os.urandom(12))
            f.write(wrap(token) + "\n")
    print(f"python cwt {cwt.__version__}: issued {count} tokens (ttl {ttl} s)")


def cmd_bench(keys, tokens_path):
    sig_pub, _, enc = load_keys(keys)
    with open(tokens_path) as f:
        tokens = [t.strip() for t in f if t.strip()]
    ctx = cwt.CWT.new(leeway=5)
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < 3.0:
        for t in tokens:
            ctx.decode(unwrap(t), keys=sig_pub + enc)
        rounds += 1
    elapsed = time.perf_counter() - start
    rate = rounds * len(tokens) / elapsed
    print(json.dumps({"library": f"python cwt {cwt.__version__}", "verifications": rounds * len(tokens),
                      "seconds": round(elapsed, 3), "per_second": round(rate, 1)}))


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["vectors"]:
        cmd_vectors(a[1])
    elif a[:1] == ["verify"]:
        cmd_verify(a[1], a[2], a[3], a[4])
    elif a[:1] == ["issue"]:
        cmd_issue(a[1], a[2], int(a[3]), a[4], int(a[5]))
    elif a[:1] == ["bench"]:
        cmd_bench(a[1], a[2])
    else:
        raise SystemExit(__doc__)
