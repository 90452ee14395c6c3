"""The Jetshop hook's order calls against a simulator in this process: real codec, real paging, no HTTP.

Property tests call the change list hundreds of times; going through the hook's own ``iter_changed_orders``
(keyset paging, progress check) and the simulator's own ``Order_GetChangedList`` via the SOAP codec keeps
them honest, while skipping sockets keeps them fast.
"""

from __future__ import annotations

from jetshop_hogia import soap
from jetshop_hogia_provider.hooks.jetshop_orders import JetshopOrdersMixin
from jetshop_hogia_provider.hooks.jetshop_soap import Params
from jetshop_hogia_simulators.jetshop.simulator import JetshopSimulator


class InProcessShop(JetshopOrdersMixin):
    """One shop of ``simulator``, called through the SOAP envelope without a network."""

    def __init__(self, simulator: JetshopSimulator, shop_id: str = "alpha") -> None:
        self.simulator = simulator
        self.shop_id = shop_id
        self.calls = 0

    def soap_call(self, operation: str, params: Params = None, *, idempotent: bool) -> soap.Element:
        self.calls += 1
        raw = soap.build_request(operation, params, shop_id=self.shop_id)
        status, body = self.simulator.handle(self.shop_id, soap.parse_request(raw), raw)
        return soap.parse_response(body, operation, http_status=status)
