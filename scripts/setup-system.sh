#!/usr/bin/env bash
# System packages the test suite needs. Nothing is needed yet beyond python3 and make;
# this is the one place that installs them when that changes.
set -euo pipefail
exit 0
