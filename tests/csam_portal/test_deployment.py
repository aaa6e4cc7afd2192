"""The deployment files stay true: docker-compose.yml, production settings, the CI script."""

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.services import ROOT

PORTAL_SERVICES = {"web", "worker", "beat"}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_describes_the_whole_stack():
    services = _compose()["services"]

    assert set(services) == PORTAL_SERVICES | {"postgres", "redis", "mail"}
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert '--save ""' in services["redis"]["command"]  # Redis keeps nothing on disk
    for name in PORTAL_SERVICES:
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "False"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://")
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert "aiosmtpd" in services["mail"]["command"]


def test_compose_file_is_accepted_by_the_compose_tool_where_there_is_one():
    tool = ["docker-compose"] if shutil.which("docker-compose") else None
    if tool is None:
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        tool = ["docker", "compose"] if shutil.which("docker") and probe.returncode == 0 else None
    env = {**os.environ, "SECRET_KEY": "config-check"}
    if tool:
        result = subprocess.run(
            [*tool, "config", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    # Without a tool, the structure test above is what holds the file.
    assert (ROOT / ".ci" / "Dockerfile").is_file()


def _django_setup(**env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "csam_portal.settings", **env},
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "s3cret",
    "ALLOWED_HOSTS": "portal.example",
    "DATABASE_URL": "postgres://csam@db.example:5432/csam",
    "REDIS_URL": "redis://redis.example:6379/0",
    "EMAIL_URL": "smtp://mail.example:25",
    "DIGITAL_KEYS_PROVIDER": "oidc",
    "OIDC_OP_ISSUER": "https://fas.example",
}


@pytest.mark.parametrize("missing", [name for name in PRODUCTION if name != "DEBUG"])
def test_production_settings_refuse_to_start_without_each_required_value(missing):
    result = _django_setup(**{k: v for k, v in PRODUCTION.items() if k != missing})

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_settings_start_with_their_required_values():
    result = _django_setup(**PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_ci_script_runs_the_readme_test_command_with_every_service_required():
    script = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()

    assert "REQUIRE_SERVICES=1" in script
    assert "make test" in script
    assert "make run" in readme
    assert "make test" in readme


def test_ci_script_also_runs_the_tests_as_a_newcomer_on_a_fresh_clone():
    script = (ROOT / ".ci" / "run").read_text()
    newcomer = script[script.index("git clone") :]

    assert "env -u DATABASE_URL -u REDIS_URL -u REQUIRE_SERVICES make test" in newcomer
