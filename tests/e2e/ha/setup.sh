#!/usr/bin/env bash
# Builds (once) the Python venv with Home Assistant Core that the e2e tests start as a real HA.
#
# The venv lives outside the git tree, in ${HA_E2E_CACHE:-$HOME/.cache/ha-discord-bridge}. Besides
# homeassistant itself it gets every requirement HA would pip-install at first start for the
# integrations our config loads (the always-loaded defaults, configuration.yaml's top-level
# domains, and their dependency closure, read from the installed manifests), all under HA's own
# package_constraints.txt, so that `hass --skip-pip` later needs no network.
#
# Idempotent: the marker file, written as the very last step of a successful install, records what
# the venv was built from. Same inputs: nothing to do (milliseconds). This script or
# constraints-extra.txt changed, or no marker: the venv is deleted and rebuilt. Only the config's
# top-level domains changed: just the integration requirements are installed again.
#
# Usage: tests/e2e/ha/setup.sh   (progress on stderr; stdout is only the venv path, at the end)
# Env:   HA_E2E_CACHE   cache folder       HA_E2E_PYTHON   Python 3.11 interpreter to use
set -euo pipefail

HA_VERSION=2024.3.3
# Resolve as pip would have shortly after the release: HA pins only part of its dependency tree,
# and later releases of unpinned packages break it (josepy 2 breaks acme 2.8, imported by http).
# Only effective with indexes that publish upload times (PyPI does).
UPLOADED_PRIOR_TO=2024-04-01T00:00:00Z
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONFIG_FILE="$SCRIPT_DIR/config/configuration.yaml"
EXTRA_CONSTRAINTS="$SCRIPT_DIR/constraints-extra.txt"
CACHE_DIR="${HA_E2E_CACHE:-$HOME/.cache/ha-discord-bridge}"
VENV="$CACHE_DIR/venv-$HA_VERSION"
MARKER="$VENV/.ha-e2e-complete"

exec 3>&1 1>&2 # everything but the final venv path goes to stderr
log() { printf '[ha-e2e setup] %s\n' "$*"; }
fingerprint() { sha256sum | cut -c1-16; }

BUILD_ID="$(cat "${BASH_SOURCE[0]}" "$EXTRA_CONSTRAINTS" | fingerprint)"
DOMAINS_ID="$(grep -oE '^[a-z0-9_]+:' "$CONFIG_FILE" | sort -u | fingerprint)"
WANTED="build=$BUILD_ID domains=$DOMAINS_ID"

mkdir -p "$CACHE_DIR"
# One builder at a time (parallel test runs would otherwise race on the same venv).
exec 9>"$CACHE_DIR/.setup-$HA_VERSION.lock"
flock 9

BUILT="$(cat "$MARKER" 2>/dev/null || true)"
if [[ "$BUILT" == "$WANTED" ]]; then
  log "venv is up to date: $VENV"
  echo "$VENV" >&3
  exit 0
fi

START=$SECONDS
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
CUTOFF=(--uploaded-prior-to "$UPLOADED_PRIOR_TO")
CONSTRAINTS="$VENV/package_constraints.txt"
CONSTRAINT_ARGS=(-c "$CONSTRAINTS" -c "$EXTRA_CONSTRAINTS")

if [[ "$BUILT" == "build=$BUILD_ID "* ]]; then
  log "configuration.yaml's domains changed: installing integration requirements again"
else
  PYTHON="${HA_E2E_PYTHON:-}"
  if [[ -z "$PYTHON" ]]; then
    for candidate in python3.11 python3; do
      if command -v "$candidate" >/dev/null 2>&1; then
        PYTHON="$candidate"
        break
      fi
    done
  fi
  if [[ -z "$PYTHON" ]]; then
    log 'no python3.11 found (set HA_E2E_PYTHON)'
    exit 1
  fi
  PY_VERSION="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  if [[ "$PY_VERSION" != 3.11 ]]; then
    log "homeassistant==$HA_VERSION needs Python 3.11, $PYTHON is $PY_VERSION (set HA_E2E_PYTHON)"
    exit 1
  fi

  if [[ -d "$VENV" ]]; then
    log "removing incomplete or outdated venv $VENV"
    rm -rf "$VENV"
  fi
  log "creating venv $VENV with $PYTHON ($PY_VERSION)"
  "$PYTHON" -m venv "$VENV"
  "${PIP[@]}" install --quiet --upgrade pip wheel # a pip that knows --uploaded-prior-to (>= 25.1)

  # HA pins its whole dependency tree in package_constraints.txt, shipped inside the wheel. Take it
  # from the wheel first so that homeassistant's own dependencies are resolved under it too.
  log "downloading homeassistant==$HA_VERSION"
  "${PIP[@]}" download "${CUTOFF[@]}" --quiet --no-deps --dest "$VENV/dist" "homeassistant==$HA_VERSION"
  "$VENV/bin/python" - "$VENV/dist" "$CONSTRAINTS" <<'PY'
import pathlib
import sys
import zipfile

(wheel,) = pathlib.Path(sys.argv[1]).glob("homeassistant-*.whl")
with zipfile.ZipFile(wheel) as archive:
    pathlib.Path(sys.argv[2]).write_bytes(archive.read("homeassistant/package_constraints.txt"))
PY
  log "constraints: $CONSTRAINTS ($(grep -c '==' "$CONSTRAINTS") pins) + $EXTRA_CONSTRAINTS"

  log "installing homeassistant==$HA_VERSION"
  "${PIP[@]}" install "${CUTOFF[@]}" --progress-bar off "${CONSTRAINT_ARGS[@]}" "$VENV"/dist/homeassistant-*.whl
fi

# Requirements of every integration HA will set up with our config, read from the manifests.
REQS_FILE="$VENV/ha-e2e-requirements.txt"
"$VENV/bin/python" - "$CONFIG_FILE" >"$REQS_FILE" <<'PY'
import json
import pathlib
import re
import sys

import homeassistant
from homeassistant import bootstrap
from homeassistant.requirements import DISCOVERY_INTEGRATIONS as DISCOVERY

components = pathlib.Path(homeassistant.__file__).parent / "components"

roots = set(bootstrap.CORE_INTEGRATIONS) | set(bootstrap.DEFAULT_INTEGRATIONS)
# Loaded by our config or by HA's internals (onboarding/auth flows, platform domains).
roots |= {"http", "api", "websocket_api", "auth", "onboarding", "config", "template"}
for line in pathlib.Path(sys.argv[1]).read_text().splitlines():
    match = re.match(r"^([a-z0-9_]+):", line)
    if match:
        roots.add(match.group(1))

seen, todo, requirements = set(), sorted(roots), {}
while todo:
    domain = todo.pop()
    if domain in seen:
        continue
    seen.add(domain)
    manifest_path = components / domain / "manifest.json"
    if not manifest_path.exists():
        continue  # e.g. "homeassistant" is both core and an integration; unknown keys are fine
    manifest = json.loads(manifest_path.read_text())
    for requirement in manifest.get("requirements", []):
        requirements.setdefault(requirement, domain)
    # Like homeassistant/requirements.py: walk dependencies and after_dependencies, plus the
    # discovery integrations a manifest refers to.
    todo.extend(manifest.get("dependencies", []) + manifest.get("after_dependencies", []))
    todo.extend(d for d, keys in DISCOVERY.items() if any(key in manifest for key in keys))

# get_services validates camera's service schemas, which imports camera -> stream -> numpy,
# even with no camera configured; without numpy, `/ha call`'s service list fails.
requirements.setdefault("numpy", "get_services")

print(f"# integrations: {' '.join(sorted(seen))}", file=sys.stderr)
for requirement, domain in sorted(requirements.items()):
    print(f"{requirement}  # {domain}")
PY
log "integration requirements ($(grep -c . "$REQS_FILE") packages):"
sed 's/^/    /' "$REQS_FILE"

log 'installing integration requirements'
"${PIP[@]}" install "${CUTOFF[@]}" --progress-bar off "${CONSTRAINT_ARGS[@]}" -r "$REQS_FILE"
"${PIP[@]}" check || log 'pip check reported conflicts (see above)'

echo "$WANTED" >"$MARKER"
log "done in $((SECONDS - START)) s"
echo "$VENV" >&3
