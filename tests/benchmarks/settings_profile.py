"""Production settings with the pack page profiled, for `BENCH_PROFILE=1 bench_load.py`: each
web process records every pack page it serves with pyinstrument and writes the combined
profile to BENCH_PROFILE_DIR when it stops."""

from bettercare.settings import *  # noqa: F403

MIDDLEWARE = ["tests.benchmarks.profiling.PackPageProfiler", *MIDDLEWARE]  # noqa: F405
