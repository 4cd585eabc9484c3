#!/usr/bin/env python3
"""Set up and run Oversight on a fresh machine (Python 3.11+ and git, nothing else).

python3 run.py demo   # venv, install, migrate, demo data, server on http://127.0.0.1:8000/
python3 run.py test   # venv, install with test tools, lint, checks and the whole test suite
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*args: str | Path, **env: str) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env={**os.environ, **env})
    if result.returncode != 0:
        sys.exit(result.returncode)


def install(extra: str = "") -> None:
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f".{extra}")


def demo() -> None:
    install()
    run(BIN / "oversight", "demo", *sys.argv[2:])


def test() -> None:
    install("[test]")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy", "src/oversight")
    checks = {"DJANGO_SETTINGS_MODULE": "tests.settings"}
    run(BIN / "python", "-m", "django", "check", "--fail-level", "WARNING", **checks)
    run(BIN / "python", "-m", "django", "makemigrations", "--check", "--dry-run", **checks)
    # Served over HTTPS with these settings, a production install passes Django's deploy checks.
    https = {
        "SECRET_KEY": "x" * 60 + "-deploy-check-only",
        "SECURE_COOKIES": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "OVERSIGHT_DATA_DIR": str(ROOT / "data" / "deploy-check"),
    }
    run(BIN / "oversight", "check", "--deploy", "--fail-level", "WARNING", **https)
    run(BIN / "python", "-m", "pytest", *sys.argv[2:])


if __name__ == "__main__":
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]]()
