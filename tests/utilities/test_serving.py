"""Production serving: unsafe settings refuse to start, and ``oversight serve`` runs the demo
data under gunicorn with static files from whitenoise."""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from oversight.utilities.checks import production_settings

STRONG_KEY = "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2
# A cache every serving process shares, as production has (only read by the checks here).
SHARED_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}
OVERSIGHT = Path(sys.executable).parent / "oversight"


def ids(messages):
    return [message.id for message in messages]


@override_settings(
    SECRET_KEY=STRONG_KEY, SECRET_KEY_FROM_ENVIRONMENT=True, DEBUG=False, CACHES=SHARED_CACHE
)
def test_safe_production_settings_pass():
    assert production_settings() == []


@override_settings(SECRET_KEY=STRONG_KEY, SECRET_KEY_FROM_ENVIRONMENT=True, DEBUG=False)
def test_a_cache_of_one_process_is_warned_about():
    """Rate limits and one-time captcha answers count per process without a shared cache."""
    messages = production_settings()
    assert ids(messages) == ["oversight.W001"]
    assert not messages[0].is_serious() and "REDIS_URL" in messages[0].hint


@override_settings(SECRET_KEY_FROM_ENVIRONMENT=False, CACHES=SHARED_CACHE)
def test_a_key_not_given_explicitly_is_refused():
    messages = production_settings()
    assert ids(messages) == ["oversight.E001"]
    assert "SECRET_KEY" in messages[0].msg and "secrets.token_urlsafe" in messages[0].hint


@pytest.mark.parametrize("key", ["tests-only-secret-key", "django-insecure-" + "x" * 50, "short"])
def test_a_published_or_short_key_is_refused(key):
    with override_settings(SECRET_KEY=key, SECRET_KEY_FROM_ENVIRONMENT=True, CACHES=SHARED_CACHE):
        assert ids(production_settings()) == ["oversight.E002"]


@override_settings(
    SECRET_KEY=STRONG_KEY,
    SECRET_KEY_FROM_ENVIRONMENT=True,
    DEBUG=True,
    ALLOWED_HOSTS=["localhost", "renda.example.gov.cn"],
    CACHES=SHARED_CACHE,
)
def test_debug_with_a_public_host_is_refused():
    messages = production_settings()
    assert ids(messages) == ["oversight.E003"]
    assert "renda.example.gov.cn" in messages[0].msg


@override_settings(
    SECRET_KEY=STRONG_KEY,
    SECRET_KEY_FROM_ENVIRONMENT=True,
    DEBUG=True,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    CACHES=SHARED_CACHE,
)
def test_debug_on_the_local_machine_alone_is_allowed():
    assert production_settings() == []


def test_serve_refuses_to_start_and_says_what_to_set():
    with (
        override_settings(SECRET_KEY_FROM_ENVIRONMENT=False),
        pytest.raises(CommandError, match="请设置环境变量 SECRET_KEY"),
    ):
        call_command("serve")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not start")


def test_serve_runs_the_demo_under_gunicorn(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "OVERSIGHT_DATA_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": STRONG_KEY,
    }
    subprocess.run([OVERSIGHT, "demo", "--no-serve"], env=env, check=True, capture_output=True)

    port = free_port()
    server = subprocess.Popen(
        [OVERSIGHT, "serve", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(port, server)
        base = f"http://127.0.0.1:{port}"
        cookies = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        login = browser.open(f"{base}/accounts/login/")
        assert login.status == 200
        assert "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]
        token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
        form = {"username": "zmd-staff", "password": "demo2024", "csrfmiddlewaretoken": token}
        request = urllib.request.Request(
            f"{base}/accounts/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{base}/accounts/login/"},
        )
        browser.open(request)
        dashboard = browser.open(f"{base}/campaigns/zhumadian-2024/").read().decode()
        assert "79.3%" in dashboard and "78.6%" in dashboard
        # Static files come from whitenoise, with the hashed names of the manifest.
        stylesheet = dashboard.split('href="/static/oversight/app.')[1].split('"')[0]
        css = browser.open(f"{base}/static/oversight/app.{stylesheet}")
        assert css.status == 200 and "max-age" in css.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)


@override_settings(SECRET_KEY_FROM_ENVIRONMENT=False)
def test_the_demo_server_starts_without_an_explicit_key():
    """``python3 run.py demo`` serves with runserver, whose application is not checked."""
    from django.core.servers.basehttp import get_internal_wsgi_application

    assert callable(get_internal_wsgi_application())


@override_settings(SECRET_KEY_FROM_ENVIRONMENT=False)
def test_the_production_entry_point_refuses_unsafe_settings():
    from django.core.exceptions import ImproperlyConfigured

    from oversight.wsgi import checked_application

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        checked_application()
