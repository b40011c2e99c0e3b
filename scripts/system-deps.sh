#!/bin/sh
# Install the Debian packages listed in system-packages.txt that are missing (root with apt-get),
# or print exactly which ones to install and fail. Run by `make test` before the tests.
set -eu
cd "$(dirname "$0")/.."
wanted=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' system-packages.txt | grep -v '^$' || true)
missing=""
for pkg in $wanted; do
  # A tool that is already there from elsewhere (npm bundled with NodeSource's nodejs, which
  # conflicts with Debian's npm package) counts as installed.
  if command -v "$pkg" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing$missing" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  exit 0
fi
echo "system-deps: these Debian packages are needed by the tests and not installed:$missing" >&2
echo "system-deps: install them with: sudo apt-get install$missing" >&2
exit 1
