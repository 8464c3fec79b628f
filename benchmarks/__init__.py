"""Benchmarks: tinyad against torch.autograd and hand-written numpy on the same work.

``pytest benchmarks/ --benchmark-only`` runs the pytest-benchmark suites (one group per workload
configuration); ``python -m benchmarks`` runs every workload in one process and writes the report
(see ``python -m benchmarks --help``); ``python -m benchmarks.profile CASE`` shows where one
configuration's time goes, with cProfile.
"""
