"""Start the test CAS server: python serve.py PORT SERVICE_PATTERN.
Creates its SQLite database, registers the portal as a service (every attribute released,
single logout on), then serves on 127.0.0.1:PORT until killed."""

import os
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
# Its SQLite file lives in a folder of its own, removed when the tests' process ends it.
os.environ.setdefault("CAS_TEST_DIR", tempfile.mkdtemp(prefix="union-portal-cas-"))
signal.signal(signal.SIGTERM, lambda *_: (shutil.rmtree(os.environ["CAS_TEST_DIR"], True), os._exit(0)))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402

port, pattern = sys.argv[1], sys.argv[2]
call_command("migrate", verbosity=0, interactive=False)
service, _ = ServicePattern.objects.get_or_create(
    pos=1, name="union-portal", pattern=pattern, single_log_out=True)
ReplaceAttributName.objects.get_or_create(name="*", service_pattern=service)
print("cas server ready", flush=True)
call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, verbosity=0)
