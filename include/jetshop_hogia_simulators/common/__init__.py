"""Pieces both simulators share: clock, fault injection, rate limiting, admin API, server runner."""
