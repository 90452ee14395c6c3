"""Benchmarks run by ``make bench``. Each figure is printed as a ratio against a baseline measured in
the same run on the same machine, so numbers from different machines stay comparable."""
