"""The Jetshop simulator object: state, clock, faults, credentials, persistence and the call dispatcher.

``app.state.simulator`` is one of these. HTTP concerns (auth header, content type, fault injection,
dropping connections) live in ``app.py``; this class turns a parsed SOAP request of an authenticated
shop into the response bytes, under one lock, and persists the state after every write.
"""

from __future__ import annotations

import copy
import random
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jetshop_hogia import soap
from jetshop_hogia_simulators.common.clock import SimClock
from jetshop_hogia_simulators.common.core import SimulatorCore
from jetshop_hogia_simulators.common.faults import FaultConfig
from jetshop_hogia_simulators.common.persistence import SqliteSnapshotStore
from jetshop_hogia_simulators.jetshop import catalogue, dotnet, extras, orders
from jetshop_hogia_simulators.jetshop.calls import Call, Operation, RequestRejected
from jetshop_hogia_simulators.jetshop.seeding import seed_state
from jetshop_hogia_simulators.jetshop.state import JetshopState
from jetshop_hogia_simulators.seed import ShopSpec, World, generate_world

OPERATIONS: dict[str, Operation] = {
    "Product_Get": Operation(catalogue.product_get, writes=False),
    "Product_AddUpdate": Operation(catalogue.product_add_update, writes=True),
    "Product_Delete": Operation(catalogue.product_delete, writes=True),
    "PriceList_UpdateArticleIncVAT": Operation(catalogue.price_list_update_inc_vat, writes=True),
    "UploadImage": Operation(extras.upload_image, writes=True),
    "Product_AddUpdateImages": Operation(extras.add_update_images, writes=True),
    "ProductDynamicField_SaveProductDynamicFieldData": Operation(extras.save_dynamic_fields, writes=False),
    "OrderStatus_GetList": Operation(orders.order_status_get_list, writes=False),
    "Order_GetChangedList": Operation(orders.order_get_changed_list, writes=False),
    "Order_Get": Operation(orders.order_get, writes=False),
    "Order_SetStatus": Operation(orders.order_set_status, writes=True),
    "Product_GetChangedList": Operation(orders.product_get_changed_list, writes=False),
}


def stamp(clock: SimClock) -> datetime:
    """The clock's time cut to 10 ms: change stamps then print with at most 2 fraction digits, as live."""
    now = clock.now()
    return now.replace(microsecond=now.microsecond // 10_000 * 10_000)


class JetshopSimulator:
    """One simulated Jetshop service with several shops."""

    def __init__(
        self,
        *,
        seed: int = 42,
        world: World | None = None,
        faults: FaultConfig | None = None,
        state_file: Path | None = None,
        start: datetime | None = None,
    ) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        clock = SimClock()
        if start is not None:
            clock.set(start)
        self.start = start
        self.core = SimulatorCore(faults=faults, clock=clock)
        self.epoch = (start or clock.now()).astimezone(UTC).replace(microsecond=0)
        self.pristine = copy.deepcopy(world) if world is not None else generate_world(seed, start=self.epoch)
        self.world = copy.deepcopy(self.pristine)
        self.rng = random.Random(self.pristine.seed + 1)
        self.lock = threading.RLock()
        self.store = SqliteSnapshotStore(state_file) if state_file is not None else None
        snapshot = self.store.load() if self.store is not None else None
        self.state = JetshopState.load(snapshot) if snapshot else seed_state(self.world, self.epoch)
        self.world.next_order_id = self.state.next_order_id
        self._credentials = {shop.user: shop for shop in self.pristine.shops}
        if self.store is not None and snapshot is None:
            self.persist()

    # --- credentials ---------------------------------------------------------------------------

    @property
    def shops(self) -> tuple[ShopSpec, ...]:
        """The shops and their Basic credentials (from the seed)."""
        return self.pristine.shops

    def shop_for(self, user: str) -> ShopSpec | None:
        """The shop whose SOAP user is ``user``."""
        return self._credentials.get(user)

    # --- state ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The stamp for changes made now."""
        return stamp(self.core.clock)

    def dump(self) -> dict[str, Any]:
        """The whole state as JSON (``/_admin/state``, SQLite snapshots)."""
        with self.lock:
            return self.state.dump()

    def persist(self) -> None:
        """Write the snapshot when a state file is configured."""
        if self.store is not None:
            self.store.save(self.dump())

    def reset(self) -> None:
        """Back to the seeded state (and the start time, when one was given)."""
        with self.lock:
            self.world = copy.deepcopy(self.pristine)
            self.rng = random.Random(self.pristine.seed + 1)
            self.state = seed_state(self.world, self.epoch)
            if self.start is not None:
                self.core.clock.set(self.start)
            self.persist()

    # --- SOAP ----------------------------------------------------------------------------------

    def handle(self, shop_id: str, request: soap.SoapRequest, raw: bytes) -> tuple[int, bytes]:
        """Run one operation for ``shop_id``: (HTTP status, response body)."""
        operation = OPERATIONS.get(request.operation)
        if operation is None:
            return 500, soap.build_fault("Sender", dotnet.unknown_operation(request.operation))
        with self.lock:
            call = Call(self.state.shops[shop_id], self.state, request, self.now())
            try:
                body = operation.handler(call)
            except soap.XmlValueError as exc:
                return 500, soap.build_fault("Sender", dotnet.unreadable_request(exc, raw))
            except RequestRejected as exc:
                return 500, soap.build_fault("Sender", dotnet.invalid_argument(str(exc)))
            if operation.writes:
                self.persist()
        return 200, body
