"""Issue an IKD QR token and verify it once (a second scan is refused)."""

from __future__ import annotations

import ktpel


def main() -> None:
    signing, encryption = ktpel.qr.generate_keys("dukcapil-sig-demo", "ikd-enc-demo")
    issuer = ktpel.qr.Issuer(signing, encryption)
    token = issuer.issue(
        {"iss": "dukcapil.kemendagri.go.id", "aud": "bank-xyz",
         "identity": {"nik": "3174015708900123", "nama": "SITI AMINAH"}},
        ttl=90,
    )
    print(f"token: {token[:40]}... ({len(token)} characters)")
    verifier = ktpel.qr.Verifier(
        keys=[signing.verifying_key()],
        decryption_keys=[encryption],
        audience="bank-xyz",
    )
    claims = verifier.verify(token)
    print(f"verified: {claims['identity']['nama']} (NIK {claims['identity']['nik']}), kid {claims['kid']}")
    try:
        verifier.verify(token)
    except ktpel.QrError as e:
        print(f"second scan refused: {e.code}")


if __name__ == "__main__":
    main()
