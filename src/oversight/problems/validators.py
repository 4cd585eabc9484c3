from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from oversight.utilities.uploads import CheckedType, check_upload

# Attachment.name; checked here so that a long name is refused, not a database error.
NAME_MAX_LENGTH = 200


def validate_evidence_file(upload: UploadedFile) -> CheckedType:
    """Evidence must be an office document, a PDF or a photo, within the size limit, as
    its content shows; returns what the content was found to be."""
    name = upload.name or ""
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("文件名“%(name)s”过长，请改为不超过 %(limit)d 个字符后重新上传。"),
            code="file_name",
            params={"name": name, "limit": NAME_MAX_LENGTH},
        )
    return check_upload(upload)
