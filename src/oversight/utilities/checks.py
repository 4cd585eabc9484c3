"""Production refuses to start with unsafe settings: ``check --deploy`` reports these as errors,
and ``oversight serve`` and the WSGI entry point run them before serving a request."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Keys that have been published (tests, docs, Django's own template): never in production.
PUBLISHED_KEYS = frozenset({"tests-only-secret-key", "change-me", "changeme", "secret"})
GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


@checks.register(checks.Tags.security, deploy=True)
def production_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    key = settings.SECRET_KEY
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        errors.append(
            checks.Error(
                "没有通过环境变量设置 SECRET_KEY（自动生成的密钥只供演示使用）。",
                hint=f"请设置环境变量 SECRET_KEY，例如用 {GENERATE} 生成。",
                id="oversight.E001",
            )
        )
    elif key in PUBLISHED_KEYS or key.startswith("django-insecure-") or len(key) < 50:
        errors.append(
            checks.Error(
                "SECRET_KEY 是公开的默认值或太短（少于 50 个字符）。",
                hint=f"请换成随机生成的密钥，例如用 {GENERATE} 生成。",
                id="oversight.E002",
            )
        )
    public_hosts = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if settings.DEBUG and public_hosts:
        errors.append(
            checks.Error(
                f"DEBUG 已开启，同时对外提供服务（ALLOWED_HOSTS 含 {'、'.join(public_hosts)}）："
                "出错时会泄露配置和数据。",
                hint="生产环境请去掉环境变量 DEBUG（或设为 0）。",
                id="oversight.E003",
            )
        )
    caches = settings.CACHES["default"]["BACKEND"]
    if caches.endswith("LocMemCache"):
        errors.append(
            checks.Warning(
                "缓存只在本进程内：多个服务进程各自计数，访问频率限制和一次有效的验证题"
                "不能在进程之间共享。",
                hint="生产环境请设置环境变量 REDIS_URL（例如 redis://127.0.0.1:6379/0）。",
                id="oversight.W001",
            )
        )
    return errors


def refuse_unsafe_settings() -> None:
    """Raise with every unsafe setting named, for the entry points that serve production."""
    problems = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if message.is_serious() and not message.is_silenced()
    ]
    if problems:
        lines = "\n".join(f"- {message.msg}（{message.hint}）" for message in problems)
        raise ImproperlyConfigured(f"生产环境的设置不安全，拒绝启动：\n{lines}")
