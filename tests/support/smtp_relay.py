#!/usr/bin/python3
"""A local SMTP relay for tests (aiosmtpd, Debian python3-aiosmtpd): every message it receives is
written to DIRECTORY as N.eml, in arrival order. Prints "ready" once listening; runs until killed.

    python3 tests/support/smtp_relay.py PORT DIRECTORY
"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, f"{self.count}.eml")
        with open(path + ".part", "wb") as file:
            file.write(envelope.content)
        os.rename(path + ".part", path)
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Keep(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
