"""The baseline for HTTP benchmarks: the smallest FastAPI app on the same uvicorn set-up.

A simulator's requests/s divided by this app's requests/s says how much of the machine's HTTP
capacity the simulator's own logic costs, independent of how fast the machine is.
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from jetshop_hogia_simulators.common.server import LOOPBACK, serve_forever

app = FastAPI()


@app.get("/_admin/calls")
def calls() -> dict[str, int]:
    return {}


@app.get("/ping")
def ping() -> PlainTextResponse:
    return PlainTextResponse("pong")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve_forever(app, LOOPBACK, args.port)


if __name__ == "__main__":
    main()
