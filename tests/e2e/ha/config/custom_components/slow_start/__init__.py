"""Keeps Home Assistant in its start-up phase for a while (e2e tests only).

HA opens its websocket API early in start-up and reports RUNNING only when every integration
has been set up. Sleeping here for HA_E2E_SLOW_START_S seconds widens that window, so a test
can make the bot reconnect while HA is still starting, deterministically.
"""

import asyncio
import os


async def async_setup(hass, config):
    delay = float(os.environ.get("HA_E2E_SLOW_START_S", "0"))
    if delay > 0:
        await asyncio.sleep(delay)
    return True
