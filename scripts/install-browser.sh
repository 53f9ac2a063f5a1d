#!/usr/bin/env bash
# Debian's Chromium for the page's end-to-end tests (Playwright drives it; nothing downloads a
# browser build). Skipped when it is already there. Retries while another apt holds the lock.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if $sudo apt-get update -qq && \
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
    then
        exit 0
    fi
    echo "apt-get failed (attempt $attempt; the lock may be held), retrying in 30 s" >&2
    sleep 30
done
exit 1
