"""``python -m fake_bot_api --port 8081``: serve until Ctrl-C, printing the base URL."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from fake_bot_api.server import FakeTelegramServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the fake Telegram Bot API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--bot-username", default="CoachTestBot")
    args = parser.parse_args(argv)
    server = FakeTelegramServer(
        token=args.token, bot_username=args.bot_username, host=args.host, port=args.port
    )
    # Ctrl-C and SIGTERM both stop the server, even when started from a non-interactive shell.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    server.start()
    print(server.base_url, flush=True)
    print(f"token {server.token}; Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
