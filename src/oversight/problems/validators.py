from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_evidence_file(upload: UploadedFile) -> None:
    """Evidence must be an office document, a PDF or a photo, within the size limit."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = settings.ATTACHMENT_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            _("不支持的文件类型“%(name)s”，只能上传：%(allowed)s。"),
            code="file_type",
            params={"name": name, "allowed": "、".join(allowed)},
        )
    if upload.size is not None and upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”为 %(size)s，超过 %(limit)s 的上限。"),
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
        )
