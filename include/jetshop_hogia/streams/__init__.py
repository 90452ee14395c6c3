"""Streams: one package per kind of data moving between Jetshop and Hogia (orders, products, stock, …).

Each stream package owns its :class:`~jetshop_hogia.kernel.Stream` subclass (decorated with
:func:`~jetshop_hogia.kernel.register_stream`) and the modules behind its four steps. The registry in
:mod:`jetshop_hogia.kernel` imports every package here, so adding a stream never touches the DAG factory.
Streams import the kernel and the domain (mapping, state, config); nothing here imports Airflow, and the
kernel never imports a stream.
"""
