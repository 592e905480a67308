"""View guards. Reading checks the role; single records are looked up through the user's scope (404 outside
it); a role that may read but not write gets 403 on a write."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from zhaoshang.org import scoping
from zhaoshang.org.models import Role


def role_required(*wanted: str):
    """Signed in and holding one of the roles, else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not scoping.has_role(request.user, *wanted):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


business_reader_required = role_required(Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU_ADMIN, Role.LEADER)
business_writer_required = role_required(Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU_ADMIN)
bureau_required = role_required(Role.BUREAU_ADMIN)
auditor_required = role_required(Role.AUDITOR)
