#!/usr/bin/env bash
# Installs the Debian packages the application needs, where this machine allows it, and says
# plainly what is still missing when it does not.
#   chromium                 charts rendered to SVG for PDFs (kaleido) and the browser tests
#   libpango / fonts         WeasyPrint's text layout and the fonts the print stylesheet names
#   poppler-utils            pdftotext, to read PDFs back in tests
#   python3-venv             `make install` creates .venv with it
#   npm                      installs NHS.UK frontend; only when there is no npm at all, since
#                            a Node.js from elsewhere (NodeSource) brings its own and Debian's
#                            npm package would conflict with it
set -u
packages=(chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 poppler-utils python3-venv)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "make install: please install these system packages by hand: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd=(sudo -n)
else
  echo "make install: cannot install system packages without root; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  echo "Without them PDFs, charts and the browser tests will fail." >&2
  exit 0
fi
echo "make install: installing system packages: ${missing[*]}"
if ! "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}" >/tmp/bettercare-apt.log 2>&1; then
  # A fresh machine may have no package lists yet.
  "${sudo_cmd[@]}" apt-get update -q >>/tmp/bettercare-apt.log 2>&1 || true
  if ! "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}" >>/tmp/bettercare-apt.log 2>&1; then
    echo "make install: apt-get could not install ${missing[*]} (see /tmp/bettercare-apt.log)." >&2
    echo "Without them PDFs, charts and the browser tests will fail." >&2
  fi
fi
exit 0
