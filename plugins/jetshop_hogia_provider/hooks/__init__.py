"""Hooks of the provider: :mod:`.jetshop` (SOAP) and :mod:`.hogia_smart` (REST), on one shared transport."""
