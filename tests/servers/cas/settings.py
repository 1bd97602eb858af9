"""Settings of the test CAS server: django-cas-server on loopback with a SQLite file in
the folder the test harness gives (CAS_TEST_DIR). The directory's people are in
campus_users.py, so the school's attributes (学号, 姓名, 学院, 邮箱) come back on validation."""

import os

BASE = os.environ["CAS_TEST_DIR"]
SECRET_KEY = "test-only-cas-server"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
ROOT_URLCONF = "urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE, "cas.sqlite3")}}
USE_TZ = True
STATIC_URL = "/static/"
CAS_AUTH_CLASS = "campus_users.CampusDirectory"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SLO_TIMEOUT = 5
# The session at the CAS server lasts as in a school; tests log in afresh with their own cookie jar.
CAS_TICKET_VALIDITY = 60
