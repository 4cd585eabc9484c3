from django import forms
from django.utils.translation import gettext_lazy as _


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("填好的台账（.xlsx）"),
        help_text=_("请上传从本页下载、填写后的台账文件。"),
    )
