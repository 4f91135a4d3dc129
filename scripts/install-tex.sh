#!/usr/bin/env bash
# Install TeX Live (latexmk, pdflatex and the packages the writeup uses) and poppler-utils
# (pdftotext, pdftoppm) with apt-get, where they are missing. Needs root or sudo.
set -euo pipefail
need=()
command -v latexmk >/dev/null || need+=(latexmk)
command -v pdflatex >/dev/null || need+=(texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended lmodern)
kpsewhich booktabs.sty >/dev/null 2>&1 || need+=(texlive-latex-extra)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends latexmk texlive-latex-recommended \
  texlive-latex-extra texlive-fonts-recommended lmodern poppler-utils >/dev/null
