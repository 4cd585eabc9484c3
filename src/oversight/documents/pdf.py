"""PDF through LibreOffice, where it is installed: each conversion in its own throwaway
profile (``-env:UserInstallation``), so that conversions running at once do not collide on
LibreOffice's profile lock, and with a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
# Stand-ins for the official Chinese fonts where they are not installed (see the file).
FONTCONFIG = Path(__file__).parent / "fonts" / "fonts.conf"
EXECUTABLES = ("soffice", "libreoffice")


class ConversionError(Exception):
    pass


def soffice_path() -> str | None:
    """The LibreOffice executable, or None where it is not installed."""
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    return None


def can_convert() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx: bytes) -> bytes:
    executable = soffice_path()
    if executable is None:
        raise ConversionError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="documents-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            executable,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=True,
                env={**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)},
            )
        except (subprocess.SubprocessError, OSError) as error:
            raise ConversionError(str(error)) from error
        result = work / "document.pdf"
        if not result.exists():
            raise ConversionError("LibreOffice produced no PDF")
        return result.read_bytes()
