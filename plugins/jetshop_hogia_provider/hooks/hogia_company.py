"""The company record and VAT codes: what the integration checks before it touches anything else.

The integration needs the Bokföring and Fakturering modules (the seed's system requirements;
Kassaregister is optional): without Fakturering, invoices cannot be created. ``test_connection`` checks
them so that a misconfigured company fails at the UI's Test button, not at the first order.
"""

from __future__ import annotations

from jetshop_hogia.apimodel.hogia_smart import REQUIRED_MODULES, Company, VatCode
from jetshop_hogia_provider.hooks.hogia_rest import HogiaRestCalls, parse_model, parse_models


class HogiaCompanyMixin(HogiaRestCalls):
    """Company and VAT-code reads of :class:`~jetshop_hogia_provider.hooks.hogia_smart.HogiaSmartHook`."""

    def company(self) -> Company:
        """``GET company``: name, organisation number, modules, rounding mode, currency."""
        payload = self.request_json("GET", "company", operation="company.get")
        return parse_model(Company, payload, operation="company.get")

    def vat_codes(self) -> list[VatCode]:
        """``GET vatcodes``: dated rows (a code can change percent over time, e.g. food 12 → 6 %)."""
        payload = self.request_json("GET", "vatcodes", operation="vatcodes.list")
        return parse_models(VatCode, payload, operation="vatcodes.list")

    def test_connection(self) -> tuple[bool, str]:
        """For the UI's Test button: token, company record, and the modules the integration needs.

        Reads only ``name``, ``modules`` and ``roundingMode`` from the raw record, so that a field this
        check does not need cannot make the button fail.
        """
        try:
            payload = self.request_json("GET", "company", operation="company.get")
        except Exception as exc:  # the UI shows the message; transport errors are already redacted
            return False, str(exc)
        if not isinstance(payload, dict):
            return False, "Hogia Smart answered the company request without a company record"
        name, modules = payload.get("name"), payload.get("modules")
        present = [str(module) for module in modules] if isinstance(modules, list) else []
        missing = [module.value for module in REQUIRED_MODULES if module.value not in present]
        if missing:
            required = " and ".join(module.value for module in REQUIRED_MODULES)
            return False, (
                f"Hogia Smart company {name!r} lacks the module(s) {', '.join(missing)}: "
                f"the integration needs {required} (Kassaregister is optional)"
            )
        return True, (
            f"Connected to Hogia Smart company {name!r} "
            f"(modules: {', '.join(present)}; rounding: {payload.get('roundingMode', 'none')})"
        )
