"""``python -m jetshop_hogia_simulators.jetshop --port 8101 [--seed N] [--faults JSON] [--state-file F]``."""

from __future__ import annotations

import argparse

from jetshop_hogia_simulators.common.server import common_arguments, parse_faults, serve_forever
from jetshop_hogia_simulators.jetshop.app import ENDPOINT, create_app


def main(argv: list[str] | None = None) -> None:
    """Start the simulator in the foreground and print where it listens and how to log in."""
    parser = argparse.ArgumentParser(prog="python -m jetshop_hogia_simulators.jetshop", description=__doc__)
    common_arguments(parser, default_port=8101)
    args = parser.parse_args(argv)
    app = create_app(seed=args.seed, faults=parse_faults(args.faults), state_file=args.state_file)
    sim = app.state.simulator
    base = f"http://{args.host}:{args.port}"
    print(f"Jetshop simulator (seed {args.seed}) — SOAP 1.2 endpoint {base}{ENDPOINT}", flush=True)
    print(f"WSDL {base}{ENDPOINT}?WSDL   admin {base}/_admin/calls   docs {base}/_admin/docs", flush=True)
    for shop in sim.shops:
        channels = ", ".join(f"{c.channel_id}:{c.currency}:{c.price_list_id}" for c in shop.channels)
        print(
            f"  shop {shop.shop_id:<6} user {shop.user!r} password {shop.password!r}  channels {channels}",
            flush=True,
        )
    serve_forever(app, args.host, args.port)


if __name__ == "__main__":
    main()
