"""Runs Home Assistant like `bin/hass` does, but stops it when the test runner that started it dies.

real-ha.ts keeps our stdin open as a pipe. However the runner goes away (even SIGKILL), the pipe
closes, we read EOF and stop HA with SIGTERM to ourselves (HA's graceful shutdown), exiting hard
if that takes too long. Without a pipe or socket on stdin (started by hand) there is no watchdog.

Usage: <venv>/bin/python launch.py <hass arguments>
"""

import os
import signal
import stat
import sys
import threading

HARD_EXIT_AFTER_S = 30.0


def _stop_when_stdin_closes() -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    hard_exit = threading.Timer(HARD_EXIT_AFTER_S, os._exit, args=(1,))
    hard_exit.daemon = True
    hard_exit.start()
    os.kill(os.getpid(), signal.SIGTERM)


def main() -> int:
    mode = os.fstat(0).st_mode
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):  # Node's 'pipe' stdio is a socketpair
        threading.Thread(target=_stop_when_stdin_closes, name="e2e-watchdog", daemon=True).start()
    from homeassistant.__main__ import main as hass_main  # pylint: disable=import-outside-toplevel

    sys.argv = ["hass", *sys.argv[1:]]
    return hass_main()


if __name__ == "__main__":
    sys.exit(main())
