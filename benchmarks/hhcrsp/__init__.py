"""The HHCRSP benchmark (Mankowska et al. 2014 instances, JSON edition).

``python -m benchmarks.hhcrsp [INSTANCE.json ...] --time-limit S --out DIR``
solves each instance with ``homecare.domain.rostering``, checks the result with
an independent validator (``benchmarks.hhcrsp.check``) and prints the cost, its
parts and the gap to the best known value. The data lives outside the
repository (``shared/benchmarks/hhcrsp``, see its README); ``--data`` or
``HHCRSP_DATA`` points at it.
"""
