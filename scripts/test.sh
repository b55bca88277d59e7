#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds rolecert into build/ and runs the whole test suite:
#   bash scripts/test.sh
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$repo_root/scripts/lib.sh"
cd "$repo_root"

rolecert_install_deps
rolecert_build "$repo_root"
ctest --test-dir build --output-on-failure -j2
