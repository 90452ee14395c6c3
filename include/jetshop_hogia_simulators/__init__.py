"""Local stand-ins for Jetshop Commerce (SOAP) and Hogia Smart (REST).

They behave like the real services as far as ``shared/reference`` and ``docs/API_MODEL.md`` describe
them, failures included, so that hooks, streams, the demo and the benchmarks can run without network.
"""
