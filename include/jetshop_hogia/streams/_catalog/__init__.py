"""What every catalog stream shares: delta selection, the write loop with batch splitting, drift reports.

The leading underscore keeps the registry from importing this package as a stream. The four catalog
streams (``products_to_hogia``, ``products_to_jetshop``, ``prices``, ``stock``) subclass
:class:`~jetshop_hogia.streams._catalog.base.CatalogStream` and supply only what differs: how to read
the source, how an item looks on the target, how a chunk is sent and how the target is read back.

- ``model``        items, per-scope plans and per-item outcomes
- ``delta``        which planned items changed since the target last confirmed them
- ``writing``      chunks, splitting a batch refused whole, confirming hashes per chunk, quarantine
- ``reconciling``  read back, compare, record drift, opt-in auto-heal
- ``sources``      the reads several streams share (Hogia articles, Jetshop article numbers)
- ``restrict``     the run param ``only_keys``: a run that plans only some items (quarantine re-drive)
- ``base``         the Stream subclass tying the steps together
"""
