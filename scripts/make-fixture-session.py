#!/usr/bin/env python3
"""Records fixtures/seed42-session.jsonl: `wsmock record --seed 42` answering
the seed README's three requests and a getStationStats, plus two updates,
exported as JSON Lines. Run it after changing what serve sends:

    python3 scripts/make-fixture-session.py build/wsmock fixtures/seed42-session.jsonl
"""
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile

import websockets

REQUESTS = [
    '{"type":"request","action":"getStations","data":{"fields":["id","name","city","status","coordinates","owner"]},"requestId":"req_123"}',
    '{"type":"request","action":"getStations","data":{"fields":["id","name","city","owner","status","totalEnergy","currentPower"],"filters":{"city":"Москва","status":"active"},"pagination":{"page":1,"limit":20}},"requestId":"req_124"}',
    '{"type":"request","action":"getStationById","data":{"stationId":"station_001"},"requestId":"req_125"}',
    '{"type":"request","action":"getStationStats","data":{"days":7},"requestId":"req_126"}',
]


async def talk(port):
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws", max_size=None) as ws:
        for request in REQUESTS:
            await ws.send(request)
            while '"type":"response"' not in await asyncio.wait_for(ws.recv(), 10):
                pass
        updates = 0
        while updates < 2:
            if '"type":"update"' in await asyncio.wait_for(ws.recv(), 10):
                updates += 1


def main():
    wsmock, out = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "session.db")
        server = subprocess.Popen(
            [wsmock, "record", db, "--seed", "42", "--clock", "2024-01-20T10:30:00Z",
             "--tick", "1", "--port", "0", "--host", "127.0.0.1", "--no-ssl"],
            stderr=subprocess.PIPE, text=True)
        port = None
        for line in server.stderr:
            m = re.search(r"Server started at ws://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        asyncio.run(talk(port))
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=10)
        with open(out, "wb") as f:
            subprocess.run([wsmock, "export", db], stdout=f, check=True)


if __name__ == "__main__":
    main()
