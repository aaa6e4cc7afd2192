"""The deployment files stay true: docker-compose.yml, production settings, the CI script."""

import ast
import os
import re
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
    env = {**os.environ, **COMPOSE_REQUIRED, "DIGITAL_KEYS_PROVIDER": "oidc"}
    if tool:
        result = subprocess.run(
            [*tool, "config", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    # Without a tool, the structure test above is what holds the file.
    assert (ROOT / ".ci" / "Dockerfile").is_file()


# What compose needs from the environment (a `${VAR:?message}` in docker-compose.yml).
COMPOSE_REQUIRED = {"SECRET_KEY": "config-check", "POSTGRES_PASSWORD": "config-check"}
COMPOSE_VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


def _interpolated(name: str, env: dict[str, str]) -> tuple[dict, list[str]]:
    """A compose file as compose reads it with `env`, and the required variables it misses."""
    missing = []

    def value(match: re.Match) -> str:
        variable, kind, argument = match.groups()
        if env.get(variable):
            return env[variable]
        if kind == "?":
            missing.append(variable)
        return argument if kind == "-" else ""

    return yaml.safe_load(COMPOSE_VARIABLE.sub(value, (ROOT / name).read_text())), missing


def _service_environment(env: dict[str, str], *files: str) -> dict[str, str]:
    """The web service's environment, `files` merged as `docker compose -f … -f …` does."""
    merged = {}
    for name in files:
        config, missing = _interpolated(name, env)
        assert missing == []
        merged |= config["services"]["web"].get("environment", {})
    # A variable without a value is passed on from where compose runs, or not at all.
    return {key: env.get(key) if value is None else value for key, value in merged.items()}


def _django(args: list[str], **env) -> subprocess.CompletedProcess:
    """A Python process of the portal with `env` alone (none of this test run's settings)."""
    kept = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    clean = {key: value for key, value in os.environ.items() if key in kept}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "csam_portal.settings", **env},
        capture_output=True,
        text=True,
    )


def _django_setup(**env) -> subprocess.CompletedProcess:
    return _django(["-c", "import django; django.setup()"], **env)


def _check_deploy(**env) -> subprocess.CompletedProcess:
    return _django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


# The production settings README.md documents: the required ones, nothing else.
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k9Xq2vRm7TzL4wPb8NcY1sFh6JdG3eUa5KoQiVtMnBxZrCyWpEl0",
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


def test_production_settings_refuse_the_key_simulators_without_the_demo_opt_in():
    result = _django_setup(**{**PRODUCTION, "DIGITAL_KEYS_PROVIDER": "simulators"})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEMO_SIMULATED_KEYS=1" in result.stderr


def test_production_settings_start_the_key_simulators_with_the_demo_opt_in():
    demo = {**PRODUCTION, "DIGITAL_KEYS_PROVIDER": "simulators", "DEMO_SIMULATED_KEYS": "1"}

    result = _django_setup(**demo)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("behind_proxy", ["False", "True"])
def test_check_deploy_passes_for_the_documented_production_settings(behind_proxy):
    result = _check_deploy(**PRODUCTION, BEHIND_PROXY=behind_proxy)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_the_simulated_keys_in_a_demonstration():
    demo = {**PRODUCTION, "DIGITAL_KEYS_PROVIDER": "simulators", "DEMO_SIMULATED_KEYS": "1"}

    result = _check_deploy(**demo)

    assert result.returncode != 0
    assert "csam_portal.W001" in result.stderr
    assert "1 issue" in result.stderr  # the demonstration's only warning


@pytest.mark.parametrize("required", ["SECRET_KEY", "POSTGRES_PASSWORD", "DIGITAL_KEYS_PROVIDER"])
def test_compose_refuses_to_start_without_each_required_value(required):
    given = {**COMPOSE_REQUIRED, "DIGITAL_KEYS_PROVIDER": "oidc"}
    del given[required]

    _config, missing = _interpolated("docker-compose.yml", given)

    assert set(missing) == {required}


def test_compose_has_no_insecure_default():
    text = (ROOT / "docker-compose.yml").read_text()
    environment = _service_environment(
        {**COMPOSE_REQUIRED, "DIGITAL_KEYS_PROVIDER": "oidc"}, "docker-compose.yml"
    )

    assert ":-simulators" not in text
    assert ":-csam" not in text
    for name in ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"]:
        assert environment.get(name) in (None, "True"), name  # Django's secure default
    assert environment.get("DEMO_SIMULATED_KEYS") is None


def test_compose_production_environment_passes_check_deploy():
    environment = _service_environment(
        {
            **COMPOSE_REQUIRED,
            "SECRET_KEY": PRODUCTION["SECRET_KEY"],
            "DIGITAL_KEYS_PROVIDER": "oidc",
        },
        "docker-compose.yml",
    )
    environment = {key: value for key, value in environment.items() if value is not None}
    # A variable listed without a value is passed on from where compose runs: FAS's issuer.
    passed_on = {"OIDC_OP_ISSUER": PRODUCTION["OIDC_OP_ISSUER"]}

    result = _check_deploy(**environment, **passed_on)

    assert result.returncode == 0, result.stderr


def test_compose_demo_override_runs_the_simulators_with_the_opt_in_over_plain_http():
    env = {**COMPOSE_REQUIRED, "DIGITAL_KEYS_PROVIDER": "simulators"}
    environment = _service_environment(env, "docker-compose.yml", "docker-compose.demo.yml")
    demo = _interpolated("docker-compose.demo.yml", env)[0]["services"]

    assert environment["DIGITAL_KEYS_PROVIDER"] == "simulators"
    assert environment["DEMO_SIMULATED_KEYS"] == "1"
    assert environment["SECURE_SSL_REDIRECT"] == "False"
    assert set(demo) == PORTAL_SERVICES
    assert all(demo[name]["environment"] == demo["web"]["environment"] for name in demo)
    assert "load_demo" in demo["web"]["command"]
    started = _django_setup(**{k: v for k, v in environment.items() if v is not None})
    assert started.returncode == 0, started.stderr


def _database_options(**env) -> dict:
    shown = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = _django(["-c", f"import django; django.setup(); {shown}"], **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout)


@pytest.mark.parametrize(("threshold", "expected"), [(None, 5), ("3", 3), ("", None)])
def test_postgresql_connections_prepare_the_queries_they_repeat_unless_told_not_to(
    threshold, expected
):
    env = {} if threshold is None else {"DATABASE_PREPARE_THRESHOLD": threshold}

    options = _database_options(**env)

    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == expected
