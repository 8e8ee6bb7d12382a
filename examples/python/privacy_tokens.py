"""Tokenize NIKs under an agency key and log every access tamper-evidently.

    python examples/python/privacy_tokens.py [LOG]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ktpel import privacy


def main() -> None:
    key = privacy.TokenKey.generate("DEMO")  # real keys: TokenKey.from_jwk(open("key.jwk").read())
    log_path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "akses.log"
    log = privacy.AuditLog(log_path)
    niks = ["3174015708900123", "3174011708900123", "317401570890012"]
    for nik, (token, code) in zip(niks, privacy.tokenize_many(key, niks)):
        print(f"{nik:<18} {token or code}")
        log.append("example-py", token or "", "contoh", "TOKENIZED" if token else code or "")
    print("element token:", key.tokenize_element("HJ. SITI AMINAH"))
    log.close()
    r = privacy.verify_log(log_path)
    print(f"log {log_path}: {'intact' if r.valid else 'DAMAGED ' + str(r.code)}, {r.entries} entries")


if __name__ == "__main__":
    main()
