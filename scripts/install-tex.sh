#!/usr/bin/env bash
# TeX Live from Debian: only what the templates use (see ../shared/LATEX.md), plus LuaTeX and
# fallback fonts for scripts pdflatex cannot set, and poppler for previews.
set -euo pipefail
pkgs=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
      lmodern texlive-luatex fonts-dejavu-core fonts-droid-fallback poppler-utils)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v pdflatex >/dev/null && command -v lualatex >/dev/null
