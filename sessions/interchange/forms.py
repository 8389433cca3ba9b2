"""Forms of the import page: the upload (step 1) and the confirmation (step 2)."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Session file (JSON)"),
        help_text=_(
            "A file in the sms-tool.session/1 format, as the export or the import_session "
            "command uses. At most 5 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(max)s can be imported."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(MAX_UPLOAD_BYTES),
                },
            )
        return upload


class ImportConfirmForm(forms.Form):
    """Names the preview kept on the server; the file itself is not sent again."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
