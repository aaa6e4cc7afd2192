"""The portal's settings with the benchmarks' URLconf (the portal's URLs and the baselines) and
their template (the portal's empty layout)."""

from csam_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "bench" / "templates"]  # noqa: F405
