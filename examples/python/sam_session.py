"""Mutual authentication and a secure-messaging read against the virtual KTP-el chip."""

from __future__ import annotations

import ktpel


def main() -> None:
    seed = bytes(range(16))
    chip = ktpel.sam.VirtualChip.demo("ktpel", seed, rng_seed=42)
    reader = ktpel.sam.MutualAuth("ktpel", seed)
    challenge = chip.process(reader.get_challenge())
    sm = reader.on_authenticate(chip.process(reader.on_challenge(challenge)))
    print(f"authenticated; SSC {sm.ssc:016X}")
    _, sw = sm.unprotect(chip.process(sm.protect(ktpel.sam.build_command(0x00, 0xA4, 0x02, 0x0C, b"\x01\x01"))))
    print(f"SELECT biodata: {sw:04X} {ktpel.sam.status_meaning(sw)}")
    data, sw = sm.unprotect(chip.process(sm.protect(ktpel.sam.build_command(0x00, 0xB0, 0, 0, le=64))))
    print(f"READ BINARY: {sw:04X} {data.decode('ascii', 'replace')}")


if __name__ == "__main__":
    main()
