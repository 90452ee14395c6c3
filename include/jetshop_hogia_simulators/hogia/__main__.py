"""``python -m jetshop_hogia_simulators.hogia [--port 8102] [--seed N] [--faults JSON] [--state-file F]``.

Prints the demo credentials (organisation GUIDs, client ids and secrets) before serving, so a developer
can point a connection or curl at it straight away.
"""

from __future__ import annotations

import argparse

from jetshop_hogia.apimodel.hogia_smart import API_VERSION
from jetshop_hogia_simulators.common.server import common_arguments, parse_faults, serve_forever
from jetshop_hogia_simulators.hogia.app import HogiaSimulator, create_app


def parse_rate_limit(value: str) -> tuple[int, float] | None:
    """``25/5`` → (25, 5.0); ``off`` → None."""
    if value.lower() in ("off", "none", "0"):
        return None
    count, _, window = value.partition("/")
    try:
        return int(count), float(window or "1")
    except ValueError:
        raise argparse.ArgumentTypeError(f"rate limit must look like 25/5 or 'off', not {value!r}") from None


def main(argv: list[str] | None = None) -> None:
    """Parse the flags, print the credentials, serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m jetshop_hogia_simulators.hogia", description=__doc__)
    common_arguments(parser, default_port=8102)
    parser.add_argument(
        "--rate-limit", type=parse_rate_limit, default=(25, 5.0), help="N/SECONDS per client id, or 'off'"
    )
    parser.add_argument("--limiter", choices=("sliding", "bucket"), default="sliding")
    parser.add_argument("--token-ttl", type=int, default=3600, help="token lifetime in seconds")
    args = parser.parse_args(argv)
    app = create_app(
        seed=args.seed,
        faults=parse_faults(args.faults),
        state_file=args.state_file,
        rate_limit=args.rate_limit,
        limiter_kind=args.limiter,
        token_ttl_seconds=args.token_ttl,
    )
    simulator: HogiaSimulator = app.state.simulator
    base = f"http://{args.host}:{args.port}"
    print(f"Hogia Smart simulator on {base}  (token: POST {base}/connect/token, api-version={API_VERSION})")
    for client in simulator.state.credentials():
        print(
            f"  {client['name']:<26} org {client['organisationId']}  client_id={client['clientId']}"
            f"  client_secret={client['clientSecret']}  rounding={client['roundingMode']}"
        )
    print(flush=True)
    serve_forever(app, args.host, args.port)


if __name__ == "__main__":
    main()
