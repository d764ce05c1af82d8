#!/usr/bin/env bash
# Installs the Debian packages genwindow needs, if any are missing: apt-get as root, through sudo otherwise.
# Usage: scripts/install-deps.sh PACKAGE...
set -euo pipefail

missing=()
for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "genwindow: missing system packages: ${missing[*]} (no apt-get here: install their equivalents, then run make again)" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "genwindow: missing system packages: ${missing[*]} (not root and no sudo: ask an administrator to run 'apt-get install ${missing[*]}')" >&2
    exit 1
fi
echo "genwindow: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
