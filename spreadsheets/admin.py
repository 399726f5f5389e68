"""The admin side of spreadsheet exchange: one mixin every import/export admin class uses.

It adds django-import-export's import (upload → dry-run preview of new/updated/skipped
rows and per-row errors → confirm) and export screens, limited to CSV, XLSX and JSON,
with the upload size limit, all-or-nothing imports, and error pages that show
messages, never tracebacks. Who may import or export is a permission per model
(`import_<model>`, `export_<model>`), granted to roles in review/roles.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm

from spreadsheets.formats import FORMATS, FORMATS_BY_NAME, SpreadsheetCSV, mark_internal
from spreadsheets.limits import ImportRefused, file_size_problem
from spreadsheets.resources import row_errors


class SpreadsheetImportForm(ImportForm):
    """The upload form, refusing files over COUNTERPOINT_IMPORT_MAX_BYTES before reading them."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        problem = file_size_problem(upload.size)
        if problem:
            raise ValidationError(problem, code="too_big")
        return upload


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The export form, with a box for internal fields on models that have them."""

    include_internal = forms.BooleanField(
        required=False,
        label="Include internal fields",
        help_text="Internal notes are left out of exports. Tick this only for a file that "
        "stays inside the newsroom; it needs its own permission, and the file says so in "
        "its first row.",
    )

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        if not any(resource.internal_columns for resource in resources):
            del self.fields["include_internal"]


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export for a ModelAdmin; list it before the admin base class."""

    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    export_form_class = SpreadsheetExportForm
    import_template_name = "admin/spreadsheets/import.html"
    import_error_display = ("message",)

    def _internal_columns(self, request, export_form) -> tuple[str, ...]:
        """The internal columns this export includes (asked for, and allowed), or ()."""
        asked = export_form is not None and export_form.cleaned_data.get("include_internal")
        if not asked:
            return ()
        resource = self.choose_export_resource_class(export_form, request)
        opts = self.model._meta
        if not request.user.has_perm(f"{opts.app_label}.export_internal_{opts.model_name}"):
            raise PermissionDenied("You may not export internal fields.")
        return resource.internal_columns

    def get_export_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_export_resource_kwargs(request, **kwargs)
        if self._internal_columns(request, kwargs.get("export_form")):
            resource_kwargs["include_internal"] = True
        return resource_kwargs

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # CSV with a byte-order mark, or spreadsheet programs misread non-ASCII names.
        kwargs["encoding"] = "utf-8-sig" if isinstance(file_format, SpreadsheetCSV) else "utf-8"
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        internal = self._internal_columns(request, kwargs.get("export_form"))
        if internal:
            name = next(n for n, f in FORMATS_BY_NAME.items() if isinstance(file_format, f))
            data = mark_internal(data, name, internal)
        return data

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):  # over a limit: say which, in words
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        """The preview step; an upload that cannot be confirmed is dropped at once.

        The library keeps every upload in the shared cache for the confirmation step;
        one refused (unreadable, over a limit, or with row errors) would otherwise sit
        there for a day, so a few large refused uploads could fill the cache.
        """
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name and "confirm_form" not in context:
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        """The confirmation step, refusing cleanly when the previewed upload is gone.

        The upload waits in the shared cache between preview and confirmation; if it was
        evicted or expired (or the form names a file that never existed), the library
        would crash with a 500. Say so and send the user back to upload it again.
        """
        if self.has_import_permission(request):
            form = self.create_confirm_form(request)
            if form.is_valid() and self._previewed_upload(form) is None:
                messages.error(
                    request,
                    "The file you previewed is no longer available (the preview expired); "
                    "nothing was written. Upload it again.",
                )
                return self._back_to_import()
        return super().process_import(request, **kwargs)

    def _previewed_upload(self, confirm_form):
        try:
            input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
        except (ValueError, IndexError):  # a tampered form: there is no such upload
            return None
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        return storage.read()

    def _back_to_import(self) -> HttpResponseRedirect:
        app_label, model_name = self.get_model_info()
        return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))

    def process_result(self, result, request):
        """After the confirmed import: report success, or that nothing was written and why.

        The data can change between the preview and the confirmation; then the real run
        fails, its transaction is rolled back, and the user must see that, not a success.
        """
        if result.has_errors() or result.has_validation_errors():
            problems = row_errors(result)
            shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
            messages.error(request, f"Import failed; nothing was written. {shown}")
            return self._back_to_import()
        return super().process_result(result, request)
