#!/usr/bin/env bash
# The C ABI: header regeneration check (cbindgen 0.29.4, pinned), version
# macros vs the workspace version, cmake --install into a temp prefix, the C
# examples (shared and static) and the C test suite built against it, the
# test suite under valgrind (no leaks, no invalid reads), a pkg-config build,
# and the Java (JNA) example.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_rust

apt_install cmake gcc make valgrind libcjson-dev pkg-config libjna-java
command -v javac >/dev/null || apt_install default-jdk-headless

ROOT="$PWD"
WORK="$ROOT/target/c-ci"
rm -rf "$WORK"
mkdir -p "$WORK"

# ---- header: regenerate with the pinned cbindgen and fail on any diff ----
CBINDGEN_VERSION=0.29.4
CBINDGEN="$ROOT/target/tools/bin/cbindgen"
if ! "$CBINDGEN" --version 2>/dev/null | grep -qx "cbindgen $CBINDGEN_VERSION"; then
  echo "installing cbindgen $CBINDGEN_VERSION into target/tools"
  cargo install -q cbindgen --version "$CBINDGEN_VERSION" --locked --root "$ROOT/target/tools"
fi
"$CBINDGEN" --quiet --config ffi/cbindgen.toml --crate ktpel-ffi --output "$WORK/ktpel.h" ffi
if ! diff -u ffi/include/ktpel.h "$WORK/ktpel.h"; then
  echo "FAIL: ffi/include/ktpel.h is stale; regenerate it:" >&2
  echo "  $CBINDGEN --config ffi/cbindgen.toml --crate ktpel-ffi --output ffi/include/ktpel.h ffi" >&2
  exit 1
fi
echo "header: ffi/include/ktpel.h matches cbindgen $CBINDGEN_VERSION output"

# ---- version macros == [workspace.package] version ----
ws_version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
hdr_version=$(awk '/#define KTPEL_VERSION_(MAJOR|MINOR|PATCH) /{printf "%s%s", sep, $3; sep="."}' ffi/include/ktpel.h)
if [[ "$ws_version" != "$hdr_version" ]]; then
  echo "FAIL: header version $hdr_version != workspace version $ws_version" >&2
  exit 1
fi
echo "version: header macros $hdr_version == workspace $ws_version"

# ---- build the library, install it with CMake into a temp prefix ----
cargo build -q --release -p ktpel-ffi
PREFIX="$WORK/prefix"
cmake -S ffi -B "$WORK/ffi" -DKTPEL_LIB_DIR="$ROOT/target/release" >/dev/null
cmake --install "$WORK/ffi" --prefix "$PREFIX" >/dev/null
test -f "$PREFIX/include/ktpel.h"
LIBDIR=$(dirname "$(find "$PREFIX" -name libktpel.so | head -1)")
test -f "$LIBDIR/libktpel.a"
test -f "$LIBDIR/pkgconfig/ktpel.pc"
test -f "$LIBDIR/cmake/ktpel/ktpelConfig.cmake"
echo "install: $PREFIX (lib in ${LIBDIR#"$PREFIX"/})"

# ---- examples, test suite, bench: a CMake project using find_package(ktpel) ----
cmake -S examples/c -B "$WORK/examples" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
cmake --build "$WORK/examples" -j 2 >/dev/null
export LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
B="$WORK/examples"

# The static example must not need libktpel.so.
if ldd "$B/nik_check_static" | grep -q libktpel; then
  echo "FAIL: nik_check_static links libktpel.so dynamically" >&2
  exit 1
fi
"$B/nik_check_static" > "$WORK/static.txt"
"$B/nik_check" > "$WORK/shared.txt"
cmp "$WORK/static.txt" "$WORK/shared.txt"
grep -q "3174015708900123     valid" "$WORK/shared.txt"
grep -q "SPREADSHEET_CORRUPTED" "$WORK/shared.txt"
echo "example nik_check (shared and static, same output):"
sed 's/^/  /' "$WORK/shared.txt"
echo "example region_lookup:"
"$B/region_lookup" | sed 's/^/  /'
printf 'ID,NIK\n1,3174015708900123\n2,3.17401E+15\n3,31740157089001\n' > "$WORK/in.csv"
echo "example validate_csv:"
"$B/validate_csv" "$WORK/in.csv" "$WORK/out.csv" NIK 2>/dev/null | sed 's/^/  /'
test "$(wc -l < "$WORK/out.csv")" -eq 4
echo "example sam_reader:"
"$B/sam_reader" | sed 's/^/  /'
echo "example name_match:"
"$B/name_match" | tee "$WORK/name.txt" | sed 's/^/  /'
grep -q '"display":"SITI AMINAH"' "$WORK/name.txt"
grep -q "NEWBORN_PLACEHOLDER, mother SITI AMINAH" "$WORK/name.txt"
grep -Eq "^MOCH. ARIEF +~ MUHAMMAD ARIF .* same$" "$WORK/name.txt"
echo "example sample_gen (2,000 rows, twice with the same seed):"
"$B/sample_gen" "$WORK/gen1" 2000 7 2>/dev/null | sed 's/^/  /'
"$B/sample_gen" "$WORK/gen2" 2000 7 >/dev/null 2>&1
for f in population.csv population_later.csv agency.csv truth_agency.csv truth_changes.csv; do
  cmp "$WORK/gen1/$f" "$WORK/gen2/$f"
done
test "$(wc -l < "$WORK/gen1/population.csv")" -eq 2001
echo "example match_records (one record, then the batch job on the generated files):"
"$B/match_records" | tee "$WORK/match.txt" | sed 's/^/  /'
grep -q '"overall":"SESUAI"' "$WORK/match.txt"
grep -q '"overall":"NIK_TIDAK_DITEMUKAN"' "$WORK/match.txt"
"$B/match_records" "$WORK/gen1/agency.csv" "$WORK/gen1/population.csv" "$WORK/match_out" 2>/dev/null \
  | tee "$WORK/match_batch.txt" | sed 's/^/  /'
grep -q "^received 200: matched [1-9]" "$WORK/match_batch.txt"
test "$(wc -l < "$WORK/match_out/hasil.csv")" -eq 201

echo "example events_diff (two small snapshots in memory, then the file-to-file diff of the generated snapshots):"
"$B/events_diff" | tee "$WORK/events.txt" | cut -c1-160 | sed 's/^/  /'
grep -q '"type":"KAWIN"' "$WORK/events.txt"
grep -q '"type":"MATI"' "$WORK/events.txt"
"$B/events_diff" "$WORK/gen1/population.csv" "$WORK/gen1/population_later.csv" "$WORK/events_out" 2023-11-30 2>/dev/null \
  | tee "$WORK/events_batch.txt" | cut -c1-160 | sed 's/^/  /'
test -s "$WORK/events_out/events.jsonl"
test -s "$WORK/events_out/summary.json"

echo "example privacy_tokens (tokens, an audit entry per token, the log verified):"
"$B/privacy_tokens" "$WORK/akses.log" | tee "$WORK/privacy.txt" | sed 's/^/  /'
grep -q "^3174015708900123 *N1" "$WORK/privacy.txt"
grep -q "intact" "$WORK/privacy.txt"

# ---- the C test suite under valgrind: every vector, no leaks, no bad reads ----
echo "C test suite under valgrind:"
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --suppressions=tests/c/valgrind.supp \
  --show-leak-kinds=definite,indirect \
  "$B/test_ktpel" tests/vectors "$WORK" | tee "$WORK/test.txt"
grep -Eq '^[0-9]+ passed, 0 failed$' "$WORK/test.txt"

# ---- a plain pkg-config build (what Makefile users do) ----
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
test "$(pkg-config --modversion ktpel)" = "$ws_version"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Werror examples/c/region_lookup.c -o "$WORK/region_pc" $(pkg-config --cflags --libs ktpel)
"$WORK/region_pc" 31.74.01 | grep -q Tebet
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Werror examples/c/nik_check.c -o "$WORK/nik_pc_static" \
  $(pkg-config --cflags ktpel) "$LIBDIR/libktpel.a" $(pkg-config --static --libs-only-l ktpel | sed 's/-lktpel//')
"$WORK/nik_pc_static" | cmp - "$WORK/shared.txt"
echo "pkg-config: shared and static builds ok"

# ---- Java through JNA ----
JNA=/usr/share/java/jna.jar
mkdir -p "$WORK/java"
javac -d "$WORK/java" -cp "$JNA" examples/java/KtpelDemo.java
# The first valid QR vector: its verifier keys, token, time and audience.
python3 - "$WORK" <<'PY'
import json, sys
v = json.load(open("tests/vectors/qr.json"))
c = v["valid"][0]
open(sys.argv[1] + "/qr_keys.json", "w").write(json.dumps(v["verifier_keys"]))
open(sys.argv[1] + "/qr_token.txt", "w").write(c["token"])
open(sys.argv[1] + "/qr_args.txt", "w").write("%d %s\n" % (c["verify"]["now"], c["verify"]["audience"]))
PY
read -r QR_NOW QR_AUD < "$WORK/qr_args.txt"
echo "Java (JNA) example:"
java -cp "$WORK/java:$JNA" -Djna.library.path="$LIBDIR" KtpelDemo \
  "$WORK/qr_keys.json" "$WORK/qr_token.txt" "$QR_NOW" "$QR_AUD" "$WORK" | tee "$WORK/java.txt" | sed 's/^/  /'
grep -q "java: all checks passed" "$WORK/java.txt"
grep -q "QR: token verified" "$WORK/java.txt"
grep -q "name: SOEKARNO .* same person" "$WORK/java.txt"
grep -q "match: verify -> SESUAI" "$WORK/java.txt"
grep -Eq "match: batch of [0-9]+ agency rows: [1-9][0-9]* matched" "$WORK/java.txt"
