"""Hooks of the provider: :mod:`.jetshop` (SOAP) and :mod:`.hogia_smart` (REST), both ``HttpHook``
subclasses built on :mod:`.base`."""
