"""The portal's settings with the benchmarks' URLconf: the portal's URLs and a bare view."""

from csam_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
