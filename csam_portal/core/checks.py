"""The portal's own system checks, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Warning


def simulated_keys(app_configs, **kwargs) -> list[Warning]:
    """The key simulators let anyone who knows a national register number in as that person."""
    if settings.DIGITAL_KEYS_PROVIDER != "simulators":
        return []
    return [
        Warning(
            "The digital keys are simulated (DIGITAL_KEYS_PROVIDER=simulators): anyone who knows "
            "a national register number logs in as that person.",
            hint=(
                "A deployment sets DIGITAL_KEYS_PROVIDER=oidc with the OIDC_* settings; "
                "DEMO_SIMULATED_KEYS=1 is for a demonstration only."
            ),
            id="csam_portal.W001",
        )
    ]
