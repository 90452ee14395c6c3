"""Airflow hook for the Jetshop Commerce integration web service (SOAP 1.2 over HTTP Basic).

An ``HttpHook`` (through :class:`~.base.ApiHookBase`): the session, its Basic auth from login and
password, proxies and TLS settings come from the connection as for any ``HttpHook``.
:meth:`JetshopHook.call` POSTs one ready-made SOAP envelope through it (``soap:Sender`` faults become
permanent errors); :meth:`JetshopHook.soap_call` adds the envelope and the safe parsing
of the answer. The typed operations come from mixins, split by kind of knowledge:

- :mod:`.jetshop_products` and :mod:`.jetshop_media` — FACT operations seen live (``Product_Get``,
  ``Product_AddUpdate``, ``Product_Delete``, ``PriceList_UpdateArticleIncVAT``; images, dynamic fields);
- :mod:`.jetshop_orders` — the MODELLED order layer (statuses, changed orders, ``Order_Get``,
  ``Order_SetStatus``, changed products), one module to swap when the real WSDL is known.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar, Unpack

from jetshop_hogia import soap
from jetshop_hogia_provider.connection_types import (
    JETSHOP_CONN_FIELDS,
    JETSHOP_CONN_TYPE,
    JETSHOP_UI_BEHAVIOUR,
)
from jetshop_hogia_provider.hooks.base import ApiHookBase
from jetshop_hogia_provider.hooks.connection_config import ConnectionLike, JetshopConnectionConfig
from jetshop_hogia_provider.hooks.hook_options import HookOptions, register_redis_secret
from jetshop_hogia_provider.hooks.jetshop_faults import SoapSenderFault, soap_fault_classifier
from jetshop_hogia_provider.hooks.jetshop_media import JetshopMediaMixin
from jetshop_hogia_provider.hooks.jetshop_order_status import JetshopOrderStatusMixin
from jetshop_hogia_provider.hooks.jetshop_orders import JetshopOrdersMixin
from jetshop_hogia_provider.hooks.jetshop_products import JetshopProductsMixin
from jetshop_hogia_provider.hooks.jetshop_soap import JetshopResponseError, Params, describe_soap_error
from jetshop_hogia_provider.transport import ResponseClassifier, TransportResponse, register_secret

SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8"


class JetshopHook(
    JetshopProductsMixin,
    JetshopMediaMixin,
    JetshopOrdersMixin,
    JetshopOrderStatusMixin,
    ApiHookBase[JetshopConnectionConfig],
):
    """One Jetshop shop (one Basic-auth login): an ``HttpHook`` with SOAP calls on top.

    :param jetshop_conn_id: Airflow connection of type ``jetshop``.
    :param fault_classifier: turns SOAP faults into typed errors before the status-code rules run;
        the default makes ``soap:Sender`` faults (HTTP 500) a permanent ``SoapSenderFault``.
    :param options: ``retry``, ``max_response_bytes``, ``rate_limiter``, ``logger_name``; see
        :class:`~jetshop_hogia_provider.hooks.base.ApiHookBase`.
    """

    conn_name_attr = "jetshop_conn_id"
    default_conn_name = "jetshop_default"
    conn_type = JETSHOP_CONN_TYPE
    hook_name = "Jetshop Commerce"
    ui_behaviour: ClassVar[dict[str, Any]] = JETSHOP_UI_BEHAVIOUR
    service_name: ClassVar[str] = "jetshop"
    declared_extras: ClassVar[frozenset[str]] = frozenset(JETSHOP_CONN_FIELDS)

    def __init__(
        self,
        jetshop_conn_id: str = default_conn_name,
        *,
        fault_classifier: ResponseClassifier | None = soap_fault_classifier,
        **options: Unpack[HookOptions],
    ) -> None:
        super().__init__(jetshop_conn_id, method="POST", **options)  # SOAP 1.2: every call is a POST
        self.jetshop_conn_id = jetshop_conn_id
        self.fault_classifier = fault_classifier
        self.response_classifier = fault_classifier

    def _parse(self, conn: ConnectionLike, base_url: str) -> JetshopConnectionConfig:
        config = JetshopConnectionConfig.from_connection(conn, base_url)
        password = config.password.get_secret_value()
        token = base64.b64encode(f"{config.username}:{password}".encode()).decode()
        register_secret(password, "password")
        register_secret(token)  # the Authorization header value, should anything print headers
        register_redis_secret(config.rate_limit_redis_url)
        return config

    def _rate_limit(self, config: JetshopConnectionConfig) -> tuple[str, int, float]:
        limit, window = config.rate_limit
        return f"jetshop:{config.endpoint_url}:{config.username}", limit, window

    @property
    def cultures(self) -> tuple[str, ...]:
        """The shop's cultures in write order (the first creates a product, the rest update it)."""
        return self.config.cultures

    def call(self, operation: str, envelope: bytes, *, idempotent: bool) -> TransportResponse:
        """POST one SOAP 1.2 envelope and return the 2xx answer (bytes in ``content``).

        ``operation`` is the SOAP operation name (``Order_Get``); it names the call in logs and errors.
        ``idempotent``: reads and upserts (``Product_AddUpdate``, ``Order_SetStatus`` to a given id)
        are; anything that creates a new record on every call is not.
        Raises the transport's errors; business failures inside a 200 answer are the caller's to read.
        Basic auth is the session's (``HttpHook`` sets it from the connection's login and password).
        """
        return self.send(
            "POST",
            self.config.endpoint_url,
            operation=operation,
            idempotent=idempotent,
            content=envelope,
            headers={"Content-Type": SOAP_CONTENT_TYPE, "Accept": "application/soap+xml"},
        )

    def soap_call(self, operation: str, params: Params = None, *, idempotent: bool) -> soap.Element:
        """Build the envelope (with the ``ShopId`` header), :meth:`call` it, return the ``…Result`` element.

        The answer is parsed by the shared hardened parser: a DOCTYPE, entity declarations (XXE,
        billion laughs) or an oversized document are refused before any entity is expanded. Unusable
        answers raise :class:`JetshopResponseError`; a fault inside a 2xx is raised as what it is.
        """
        envelope = soap.build_request(operation, params, shop_id=self.config.shop_id)
        response = self.call(operation, envelope, idempotent=idempotent)

        def unusable(problem: str, error: soap.SoapError) -> JetshopResponseError:
            return JetshopResponseError(
                f"{problem}: {describe_soap_error(error)}", operation=operation, response=response
            )

        try:
            return soap.parse_response(
                response.content, operation, http_status=response.status, max_bytes=self.max_response_bytes
            )
        except soap.SoapFault as fault:
            if fault.is_sender:
                raise SoapSenderFault(fault, response) from None
            raise unusable(f"fault inside a {response.status} answer", fault) from None
        except soap.UnsafeXmlError as exc:
            raise unusable("answer refused as unsafe XML", exc) from None
        except soap.SoapError as exc:
            raise unusable("answer is not a usable SOAP response", exc) from None

    def test_connection(self) -> tuple[bool, str]:
        """For the UI's Test button: log in and read the shop's order statuses (a cheap, harmless read)."""
        try:
            statuses = self.order_statuses()
        except Exception as exc:  # the UI shows the message; transport errors are already redacted
            return False, str(exc)
        return True, f"Connected to Jetshop: the shop has {len(statuses)} order statuses"
