"""The data models of both APIs that are not public (MODEL), shared by the simulators and the hooks.

See ``docs/API_MODEL.md``. These modules are the one place to change when a merchant hands over the
real WSDL or API documentation.
"""
