# Helpers shared by scripts/test.d/*.sh. Source it; do not run it.

# Installs Debian packages if missing (we are root on CI; sudo otherwise).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  local SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  if [[ ! -f /tmp/.ktpel-apt-updated ]]; then
    $SUDO apt-get update -qq && touch /tmp/.ktpel-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Makes sure cargo, rustfmt and clippy exist.
ensure_rust() {
  if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust with rustup first" >&2
    return 1
  fi
  if command -v rustup >/dev/null; then
    rustup component add rustfmt clippy >/dev/null 2>&1 || true
  fi
}
