#!/usr/bin/env bash
# Builds (once) the Python venv with Home Assistant Core that the e2e tests start as a real HA, for
# one of the releases in releases.txt.
#
# The venvs live outside the git tree, in ${HA_E2E_CACHE:-$HOME/.cache/ha-discord-bridge}, one per
# release (venv-<version>). Besides homeassistant itself each gets every requirement HA would
# pip-install at first start for the integrations our config loads (the always-loaded defaults,
# configuration.yaml's top-level domains, and their dependency closure, read from the installed
# manifests), all under that release's own package_constraints.txt, so that `hass --skip-pip`
# later needs no network.
#
# Idempotent: the marker file, written as the very last step of a successful install, records what
# the venv was built from. Same inputs: nothing to do (milliseconds). This script, the release's
# line in releases.txt or its constraints-extra-<version>.txt changed, or no marker: the venv is
# deleted and rebuilt. Only the config's top-level domains changed: just the integration
# requirements are installed again.
#
# Usage: tests/e2e/ha/setup.sh [VERSION]   (default $HA_E2E_VERSION; progress on stderr; stdout is
#        only the venv path, at the end)
# Env:   HA_E2E_VERSION  release          HA_E2E_CACHE   cache folder
#        HA_E2E_PYTHON   the interpreter to build the venv with (default: found by its version)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RELEASES="$SCRIPT_DIR/releases.txt"
HA_VERSION="${1:-${HA_E2E_VERSION:-}}"
RELEASE_LINE="$(awk -v v="$HA_VERSION" '$1 == v' "$RELEASES")"
if [[ -z "$HA_VERSION" || -z "$RELEASE_LINE" ]]; then
  echo "usage: $0 VERSION (or HA_E2E_VERSION), one of:" $(awk '/^[0-9]/ { print $1 }' "$RELEASES") >&2
  exit 2
fi
# The Python minor version the release runs on, and pip's upload-date cutoff for it (releases.txt).
read -r _ PYTHON_MINOR UPLOADED_PRIOR_TO <<<"$RELEASE_LINE"
CONFIG_FILE="$SCRIPT_DIR/config/configuration.yaml"
EXTRA_CONSTRAINTS="$SCRIPT_DIR/constraints-extra-$HA_VERSION.txt"
CACHE_DIR="${HA_E2E_CACHE:-$HOME/.cache/ha-discord-bridge}"
VENV="$CACHE_DIR/venv-$HA_VERSION"
MARKER="$VENV/.ha-e2e-complete"

exec 3>&1 1>&2 # everything but the final venv path goes to stderr
log() { printf '[ha-e2e setup] %s\n' "$*"; }
fingerprint() { sha256sum | cut -c1-16; }
python_minor() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }
# The first interpreter of that minor version: python3.X, python3, or one that pyenv installed
# (pyenv's python3.X shim only runs when that version is selected, so ask for its binary).
find_python() {
  local candidate
  local candidates=("python$1" python3)
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv root)"/versions/"$1".*/bin/python3)
  fi
  for candidate in "${candidates[@]}"; do
    if [[ "$(python_minor "$candidate")" == "$1" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

BUILD_ID="$( (cat "${BASH_SOURCE[0]}" "$EXTRA_CONSTRAINTS" && echo "$RELEASE_LINE") | fingerprint)"
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
  PYTHON="${HA_E2E_PYTHON:-$(find_python "$PYTHON_MINOR" || true)}"
  if [[ -z "$PYTHON" ]]; then
    log "no Python $PYTHON_MINOR found for homeassistant==$HA_VERSION (set HA_E2E_PYTHON)"
    exit 1
  fi
  PY_VERSION="$(python_minor "$PYTHON" || echo none)"
  if [[ "$PY_VERSION" != "$PYTHON_MINOR" ]]; then
    log "homeassistant==$HA_VERSION needs Python $PYTHON_MINOR, $PYTHON is $PY_VERSION (set HA_E2E_PYTHON)"
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
