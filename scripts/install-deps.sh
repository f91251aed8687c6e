#!/usr/bin/env bash
# Installs the Debian packages EquiMol builds against; a no-op when all are present.
# Unattended: no prompts (CI has no terminal). Uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libtorch-dev librdkit-dev libboost-dev libxtb-dev xtb
  libeigen3-dev liblbfgspp-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev graphviz
  python3-ase  # interoperability test: ASE reads the extended XYZ EquiMol writes
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo -n)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
