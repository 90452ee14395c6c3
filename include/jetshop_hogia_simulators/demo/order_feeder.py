"""Places new orders in the Jetshop simulator on a timer, so the demo has something to sync.

Each tick places one order in a random demo shop and moves some earlier orders to "Processing" (the
status most demo tenants trigger on), the way a merchant works through the day.
"""

from __future__ import annotations

import argparse
import random
import time

import requests


def tick(jetshop_url: str, shops: list[str], rng: random.Random, session: requests.Session) -> str:
    """Place one order and mark it as being processed; returns its order number."""
    shop = rng.choice(shops)
    placed = session.post(f"{jetshop_url}/_admin/orders", json={"shop_id": shop, "count": 1}, timeout=10)
    placed.raise_for_status()
    order = placed.json()["orders"][0]
    session.post(
        f"{jetshop_url}/_admin/orders/{shop}/{order['order_id']}/status", json={"status_id": 2}, timeout=10
    ).raise_for_status()
    return f"{shop}:{order['order_number']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jetshop-url", default="http://127.0.0.1:8101")
    parser.add_argument("--every", type=float, default=20.0, help="seconds between orders")
    parser.add_argument("--shops", default="alpha,beta,gamma,delta")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    shops = args.shops.split(",")
    with requests.Session() as session:
        while True:
            try:
                print("placed", tick(args.jetshop_url, shops, rng, session), flush=True)
            except requests.RequestException as exc:
                print("could not place an order:", exc, flush=True)
            time.sleep(args.every)


if __name__ == "__main__":
    main()
