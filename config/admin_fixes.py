"""Fixes to third-party admin pages, applied when the URLs load (config/urls.py).

django-axes 8.3.1's "Clean up expired attempts" action reads `request.axes_attempt_time`,
which axes sets only on login requests: on the admin list it crashed with a 500. The
action gets its request prepared the way axes prepares a login request.
"""

from axes.admin import AccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler

_cleanup = AccessAttemptAdmin.cleanup_expired_attempts


def _cleanup_with_prepared_request(self, request, queryset):
    AxesProxyHandler.update_request(request)
    return _cleanup(self, request, queryset)


_cleanup_with_prepared_request.short_description = _cleanup.short_description
AccessAttemptAdmin.cleanup_expired_attempts = _cleanup_with_prepared_request
