#!/bin/sh
# Started by the Supervisor as the add-on's command; tini (PID 1) forwards SIGTERM to node,
# which closes both connections and exits 0. dist/addon.js maps /data/options.json to the
# bot's settings (SUPERVISOR_TOKEN comes from the Supervisor) and starts the bot.
# --max-semi-space-size=2 is `npm start`'s flag: it keeps V8's young generation small (README, Memory).
set -e
cd /app
# `npm start`'s glibc settings (CONTRIBUTING, Memory); the bot's image sets them too.
export MALLOC_ARENA_MAX=2
export MALLOC_MMAP_THRESHOLD_=131072
exec node --max-semi-space-size=2 dist/addon.js "$@"
