"""Side-by-side benchmarks: this engine against micrograd and against plain floats.

``python -m benchmarks.run`` prints one table (``--quick`` is the CI smoke mode). Every
measurement runs in a fresh Python process (:mod:`benchmarks.worker`), the two sides
alternating, and the table shows medians over the runs. The workloads themselves live in
:mod:`benchmarks.workloads`, one function per row and side.
"""
