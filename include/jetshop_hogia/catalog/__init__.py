"""Catalog rules: products, prices and stock between Jetshop and Hogia, as pure functions.

No network, no Airflow, no state store: the catalog streams (``jetshop_hogia.streams.products_*``,
``prices``, ``stock``) call these with what they fetched. One module per concern:

- ``hashing``   the payload hash that decides whether an item changed since its last confirmed write
- ``prices``    Hogia ordinary/campaign price → one integer inc-VAT row per Jetshop price list
- ``stock``     Hogia stock balance → Jetshop stock count, delivery date and stock status
- ``products``  Jetshop product ⇄ Hogia article (names per culture, VAT code, send-to-web-shop flag)
- ``drift``     expected vs actual views of items → drift entries
- ``schedule``  whether a run window holds a full compare
"""
