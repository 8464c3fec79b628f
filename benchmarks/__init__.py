"""Benchmarks: tinyad against torch.autograd and hand-written numpy on the same work, and
against MyGrad and HIPS autograd where they are installed (``pip install -e '.[peers]'``).

``pytest benchmarks/ --benchmark-only`` runs the pytest-benchmark suites (one group per workload
configuration); ``python -m benchmarks`` runs every workload in one process and writes the report
(see ``python -m benchmarks --help``); ``python -m benchmarks --check`` compares a quick run with
the committed results in ``benchmarks/results/`` and lists what got slower than the noise
(before a commit); ``python -m benchmarks.profile CASE`` shows where one configuration's time
goes, with cProfile.
"""
