#!/usr/bin/env python3
"""Independent reference of the ktpel privacy formats (docs/privacy.md),
written with the Python standard library and `cryptography` only, that
writes tests/vectors/privacy.json. The Rust, C, Python and Node tests then
check ktpel against these bytes.

Usage: python3 bench/privacy/make_vectors.py NAME_KEYS.json > tests/vectors/privacy.json
where NAME_KEYS.json maps each element-case name to its matching key
(`ktpel name key --format json`), the one input this script does not
recompute.
"""
import base64, hashlib, hmac, json, sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

CROCK = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NIK_LABEL = b"ktpel/token/v1/nik\0"
ELEM_LABEL = b"ktpel/token/v1/element\0"


def H(b):
    return b.hex().upper()


def token(kind, kid, secret, label, data):
    mac = hmac.new(secret, label + data, hashlib.sha256).digest()[:10]
    n = int.from_bytes(mac, "big")
    s = "".join(CROCK[(n >> (5 * i)) & 31] for i in reversed(range(16)))
    return f"{kind}1{kid}-{s}"


def leaf(d):
    return hashlib.sha256(b"\0" + d).digest()


def node(a, b):
    return hashlib.sha256(b"\1" + a + b).digest()


def mth(ls):
    if not ls:
        return hashlib.sha256(b"").digest()
    if len(ls) == 1:
        return ls[0]
    k = 1
    while k * 2 < len(ls):
        k *= 2
    return node(mth(ls[:k]), mth(ls[k:]))


def path(ls, m):
    if len(ls) <= 1:
        return []
    k = 1
    while k * 2 < len(ls):
        k *= 2
    if m < k:
        return path(ls[:k], m) + [mth(ls[k:])]
    return path(ls[k:], m - k) + [mth(ls[:k])]


def jstr(s):
    out = '"'
    for c in s:
        if c == '"':
            out += '\\"'
        elif c == "\\":
            out += "\\\\"
        elif ord(c) < 0x20 or c == "\x7f":
            out += "\\u%04X" % ord(c)
        else:
            out += c
    return out + '"'


def entry_body(seq, t, who, subject, purpose, result, prev):
    return (
        f'{{"seq":{seq},"time":{t},"who":{jstr(who)},"subject":{jstr(subject)},'
        f'"purpose":{jstr(purpose)},"result":{jstr(result)},"prev":"{H(prev)}"}}'
    )


def entry_line(body):
    h = leaf(body.encode())
    return body[:-1] + f',"hash":"{H(h)}"}}', h


def make_log(rows):
    prev = b"\0" * 32
    lines, leaves = [], []
    for i, r in enumerate(rows):
        line, h = entry_line(entry_body(i, *r, prev))
        lines.append(line + "\n")
        leaves.append(h)
        prev = h
    return lines, leaves


# RFC 6979 A.2.5 P-256 key (test key only).
D = int("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16)
SK = ec.derive_private_key(D, ec.SECP256R1())
KID = "audit-test-1"


def checkpoint(size, leaves, t, sk=SK, kid=KID):
    root = mth(leaves[:size])
    head = leaves[size - 1] if size else b"\0" * 32
    body = f'{{"size":{size},"root":"{H(root)}","head":"{H(head)}","time":{t},"kid":{jstr(kid)}}}'
    der = sk.sign(b"ktpel-audit-checkpoint/v1\n" + body.encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return body[:-1] + f',"sig":"{H(sig)}"}}\n'


def jwk_pub(sk, kid):
    n = sk.public_key().public_numbers()
    b = lambda i: base64.urlsafe_b64encode(i.to_bytes(32, "big")).rstrip(b"=").decode()
    return json.dumps({"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256", "x": b(n.x), "y": b(n.y)})


def main():
    name_keys = json.load(open(sys.argv[1]))
    out = {
        "source": (
            "hmac_sha256: RFC 4231 section 4 test cases 1-7 (case 5 truncated to 128 bits as published). "
            "merkle: leaves of the certificate-transparency RFC 6962 reference tests (empty, 00, 10, 2021, 3031, 40414243, "
            "5051525354555657, 606162636465666768696A6B6C6D6E6F), roots (equal to the roots published with those tests) and paths computed by the independent Python "
            "reference bench/privacy/make_vectors.py (RFC 9162 section 2.1). tokens and logs: computed by that reference "
            "from the formats of docs/privacy.md; element inputs use ktpel's name matching keys. Checkpoint key: the P-256 "
            "key of RFC 6979 appendix A.2.5 (test key only; signatures use random nonces, so they verify but are not reproducible)."
        ),
    }
    aa131 = bytes([0xAA]) * 131
    rfc4231 = [
        (bytes([0x0B]) * 20, b"Hi There", "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"),
        (b"Jefe", b"what do ya want for nothing?", "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"),
        (bytes([0xAA]) * 20, bytes([0xDD]) * 50, "773EA91E36800E46854DB8EBD09181A72959098B3EF8C122D9635514CED565FE"),
        (bytes(range(1, 26)), bytes([0xCD]) * 50, "82558A389A443C0EA4CC819899F2083A85F0FAA3E578F8077A2E3FF46729665B"),
        (bytes([0x0C]) * 20, b"Test With Truncation", "A3B6167473100EE06E0C796C2955552B"),
        (aa131, b"Test Using Larger Than Block-Size Key - Hash Key First", "60E431591EE0B67F0D8A26AACBF5B77F8E0BC6213728C5140546040F0EE37F54"),
        (aa131, b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.", "9B09FFA71B942FCB27635FBCD5B0E944BFDC63644F0713938A7F51535C3A35E2"),
    ]
    out["hmac_sha256"] = []
    for i, (k, d, m) in enumerate(rfc4231):
        got = H(hmac.new(k, d, hashlib.sha256).digest())
        assert got.startswith(m), (i, got)
        out["hmac_sha256"].append({"case": f"RFC 4231 test case {i + 1}", "key": H(k), "data": H(d), "mac": m})

    secret = bytes(range(0x40, 0x60))
    kid = "JKT1"
    other = bytes(range(0x60, 0x80))
    out["token_key"] = {
        "kid": kid,
        "secret": H(secret),
        "jwk": json.dumps({"kty": "oct", "kid": kid, "alg": "HS256", "k": base64.urlsafe_b64encode(secret).rstrip(b"=").decode()}, separators=(",", ":")),
        "other_secret": H(other),
    }
    ref = "2026-01-01"
    niks = ["3174015708900123", "3174011708900123", "3273012512850001", "3578014107000002", "1101010101010001"]
    out["nik_tokens"] = [
        {"nik": n, "reference_date": ref, "token": token("N", kid, secret, NIK_LABEL, n.encode()),
         "token_other_key": token("N", kid, other, NIK_LABEL, n.encode())}
        for n in niks
    ]
    out["nik_invalid"] = [
        {"nik": "", "code": "EMPTY"},
        {"nik": "317401570890012", "code": "WRONG_LENGTH"},
        {"nik": "31740157089001X3", "code": "NON_DIGIT"},
        {"nik": "3.17401E+15", "code": "SPREADSHEET_CORRUPTED"},
        {"nik": "9974015708900123", "code": "UNKNOWN_PROVINCE"},
        {"nik": "3174013208900123", "code": "INVALID_BIRTH_DATE"},
        {"nik": "3174015708900000", "code": "INVALID_SERIAL"},
        {"nik": "3174 0157 0890 0123", "code": "NON_DIGIT"},
    ]
    elems = [("SITI AMINAH", "1990-08-17"), ("HJ. SITI AMINAH", "1990-08-17"), ("MOCH. RIZKY", "2001-01-31"),
             ("MUHAMMAD RIZKY", "2001-01-31"), ("SITI AMINAH", None)]
    out["element_tokens"] = []
    for nm, d in elems:
        inp = name_keys[nm] + "\x1f" + (d or "")
        out["element_tokens"].append({"name": nm, "birth_date": d, "input": inp,
                                      "token": token("E", kid, secret, ELEM_LABEL, inp.encode())})
    out["element_invalid"] = [{"name": "NN", "code": "PLACEHOLDER"}, {"name": "", "code": "EMPTY"}]
    out["token_parse_invalid"] = ["", "N1JKT1", "N2JKT1-0000000000000000", "X1JKT1-0000000000000000",
                                  "N1jkt1-0000000000000000", "N1JKT1_0000000000000000", "N1JKT1-000000000000000U",
                                  "N1-0000000000000000", "N1ABCDEFGHI-0000000000000000"]

    ct = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
          bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
    lh = [leaf(x) for x in ct]
    out["merkle"] = {
        "leaves": [H(x) for x in ct],
        "leaf_hashes": [H(x) for x in lh],
        "roots": [H(mth(lh[:n])) for n in range(0, 9)],
        "proofs": [{"index": m, "size": n, "path": [H(p) for p in path(lh[:n], m)]}
                   for (m, n) in [(0, 1), (0, 8), (5, 8), (2, 3), (6, 7), (4, 5), (3, 8)]],
    }

    rows = [
        (1767225600000, "op-17", "N1JKT1-7ZQ4M2D0XH3C9RTA", "bansos 2026", "SESUAI"),
        (1767225601000, "op-17", "N1JKT1-0000000000000001", "bansos 2026", "NIK_TIDAK_DITEMUKAN"),
        (1767225602500, "api:bpjs", "query: TGL_LHR=17-08-1990 \"kutip\"", "verifikasi PKS 12/2026", "3 rows"),
        (1767225603000, "op-\u00e9\u00e8", "N1JKT1-0000000000000002", "line\nbreak", ""),
        (1767225604000, "op-18", "N1JKT1-0000000000000003", "audit", "TIDAK_SESUAI"),
        (1767225605000, "op-18", "N1JKT1-0000000000000004", "audit", "SESUAI"),
    ]
    lines, leaves = make_log(rows)
    cp4 = checkpoint(4, leaves, 1767225604500)
    cp6 = checkpoint(6, leaves, 1767225606000)
    good_cps = cp4 + cp6
    log = "".join(lines)
    pub = jwk_pub(SK, KID)
    other_sk = ec.derive_private_key(D + 1, ec.SECP256R1())
    cases = []

    def case(name, log_s, cps, valid, code=None, entry=None, key=True):
        cases.append({"name": name, "log": H(log_s.encode() if isinstance(log_s, str) else log_s),
                      "checkpoints": H(cps.encode()), "use_key": key, "valid": valid, "code": code, "entry": entry})

    case("intact log with two signed checkpoints", log, good_cps, True)
    case("intact log, checkpoints not signature-checked", log, good_cps, True, key=False)
    case("empty log", "", "", True)
    b = bytearray(log.encode()); i = b.index(b"bansos 2026", len(lines[0])); b[i] ^= 0x20
    case("one byte of entry 1 altered (hash no longer matches)", bytes(b), good_cps, False, "AUDIT_HASH_MISMATCH", 1)
    case("entry 2 removed", "".join(lines[:2] + lines[3:]), "", False, "AUDIT_SEQUENCE_MISMATCH", 2)
    case("entries 3 and 4 swapped", "".join(lines[:3] + [lines[4], lines[3]] + lines[5:]), "", False, "AUDIT_SEQUENCE_MISMATCH", 3)
    ins, _ = entry_line(entry_body(2, 1767225602000, "intruder", "N1JKT1-0000000000000009", "x", "y", leaves[1]))
    case("entry inserted at 2", "".join(lines[:2] + [ins + "\n"] + lines[2:]), "", False, "AUDIT_SEQUENCE_MISMATCH", 3)
    rep, _ = entry_line(entry_body(3, 1767225603000, "intruder", "N1JKT1-0000000000000009", "x", "y", leaves[1]))
    case("entry 3 replaced by one chained to entry 1", "".join(lines[:3] + [rep + "\n"] + lines[4:]), "", False, "AUDIT_CHAIN_BROKEN", 3)
    case("last entry torn (crash mid-write)", log[: len(log) - 40], "", False, "AUDIT_TRUNCATED_TAIL", 5)
    case("last entry removed whole; the checkpoint of 6 notices", "".join(lines[:5]), good_cps, False, "AUDIT_ENTRIES_MISSING", 5)
    # Entry 4 rewritten and everything after re-chained: only the checkpoints can tell.
    rows2 = list(rows); rows2[4] = (1767225604000, "op-18", "N1JKT1-0000000000000003", "audit", "SESUAI")
    lines2, _ = make_log(rows2)
    case("entry 4 altered and the chain recomputed", "".join(lines2), good_cps, False, "AUDIT_CHECKPOINT_MISMATCH", 4)
    case("checkpoint signed by another key", log, cp4 + checkpoint(6, leaves, 1767225606000, other_sk), False, "AUDIT_BAD_SIGNATURE", None)
    case("non-canonical entry (lower-case hex)", log.replace(lines[0][-66:-3], lines[0][-66:-3].lower(), 1), "", False, "AUDIT_MALFORMED_ENTRY", 0)
    out["audit"] = {
        "checkpoint_public_jwk": pub,
        "checkpoint_private_scalar": "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        "checkpoint_kid": KID,
        "entries": [dict(zip(["time_ms", "who", "subject", "purpose", "result"], r)) for r in rows],
        "entry_hashes": [H(h) for h in leaves],
        "root": H(mth(leaves)),
        "logs": cases,
        "proof": {"index": 2, "size": 4, "path": [H(p) for p in path(leaves[:4], 2)], "root": H(mth(leaves[:4])),
                  "entry": lines[2][:-1], "checkpoint": cp4[:-1]},
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


main()
