"""`python -m bot.healthcheck`: the container's health check.

In webhook mode it asks the running bot's GET /health and exits 0 only on 200, printing the
answer (a 503 names the failing part). With long polling there is no server to ask, so it
passes. It imports nothing heavy, because Docker runs it every 30 seconds.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from bot.config import read_env_file


def check(values: dict[str, str]) -> int:
    if not values.get("WEBHOOK_URL", "").strip():
        print("Long polling: no health endpoint to ask.")
        return 0
    listen = values.get("WEBHOOK_LISTEN", "").strip()
    host = "127.0.0.1" if listen in ("", "0.0.0.0", "::") else listen
    url = f"http://{host}:{values.get('WEBHOOK_PORT', '').strip() or '8443'}/health"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as error:
        print(error.read().decode())
    except OSError as error:
        print(f"{url} did not answer: {error}")
    return 1


if __name__ == "__main__":
    settings = read_env_file(Path(".env"))
    settings.update(os.environ)
    sys.exit(check(settings))
