#!/usr/bin/env bash
# Builds Unleash Edge (crates.io `unleash-edge`, pinned) for `npm run bench -- edge` into
# ${SWITCHYARD_BENCH_CACHE:-~/.cache/switchyard-bench}/unleash-edge/bin/unleash-edge; skipped when already built.
# The first build takes a long time (tens of minutes on two cores); nothing in `npm test` needs it.
set -euo pipefail
version=19.15.1 # rust-version 1.85; its offline mode serves a features file
root="${SWITCHYARD_BENCH_CACHE:-$HOME/.cache/switchyard-bench}/unleash-edge"
bin="$root/bin/unleash-edge"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$version"; then
  echo "unleash-edge $version already built at $bin"
  exit 0
fi
# No S3 persistence: the benchmark runs Edge offline from a file, and the AWS SDK doubles the build.
cargo install unleash-edge --version "$version" --locked --no-default-features --root "$root"
echo "unleash-edge installed at $bin"
