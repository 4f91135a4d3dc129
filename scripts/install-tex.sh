#!/usr/bin/env bash
# Install TeX Live (latexmk, pdflatex and the packages the writeup uses) and poppler-utils
# (pdftotext, pdftoppm) with apt-get, where they are missing. Needs root or sudo.
# Every .sty the documents use (each \usepackage of report/templates/ and of the sources that
# write LaTeX: the checker's PDF) is looked up with kpsewhich: one missing is enough to install.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v latexmk >/dev/null || need+=(latexmk)
command -v pdflatex >/dev/null || need+=(texlive-latex-recommended)
sources=(report/templates derive); [ -d check ] && sources+=(check)
stys=$(grep -rhoE --include='*.tex' --include='*.py' '\\(usepackage|RequirePackage)(\[[^]]*\])?\{+[^}]+\}' \
         "${sources[@]}" | sed -E 's/.*\{([^}]+)\}/\1/' | tr ',' '\n' | sort -u)
missing=()
for sty in $stys; do
  kpsewhich "$sty.sty" >/dev/null 2>&1 || missing+=("$sty.sty")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-tex: not installed: ${missing[*]}" >&2
  need+=(texlive-latex-extra)
fi
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends latexmk texlive-latex-recommended \
  texlive-latex-extra texlive-fonts-recommended lmodern poppler-utils >/dev/null
