"""Read-only history pages for every versioned model of the admin.

django-simple-history's page for one old version (`history_form_view`) renders the
model's edit form filled with that version and saves it on POST, checking only the
*view* permission; `SIMPLE_HISTORY_REVERT_DISABLED` hides the button but not the save.
That would be a side door past every service (the workflow, the version check, the
publish service, the audit rows). Here the page shows the old version read-only, and
any other method than GET is refused before a form is built.
"""

from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:  # one old version: every field shown, none editable
            for field in context["adminform"].form.fields.values():
                field.disabled = True
        return super().render_history_view(request, template, context, **kwargs)

    def revert_disabled(self, request, obj=None):
        return True
