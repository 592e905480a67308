import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
application = get_wsgi_application()

from zhaoshang.core.checks import warn_if_demo_key  # noqa: E402  (needs the settings loaded above)

warn_if_demo_key()  # a server started on the demo's public key says so in its log
