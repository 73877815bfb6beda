#!/usr/bin/env bash
# Builds tools/ferretdb into $(go env GOPATH)/bin/ferretdb (FerretDB 1.24.2 from the Go module proxy).
set -euo pipefail
cd "$(dirname "$0")"
out="$(go env GOPATH)/bin/ferretdb"
go build -o "$out" .
echo "ferretdb installed at $out"
