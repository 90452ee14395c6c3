"""Example mapping plugins shipped with the package (see ``mapping.plugin_chain`` for the contract).

Tenants declare them by short name (``prefix_order_reference``, ``map_article_numbers``) or by dotted
path; their own plugins follow the same ``(draft, params, context) -> draft`` shape.
"""
