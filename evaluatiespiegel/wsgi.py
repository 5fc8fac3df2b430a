import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evaluatiespiegel.settings")
application = get_wsgi_application()

# Import every view now rather than on each worker's first request: gunicorn preloads this
# module in its master, so the workers fork with the URLconf loaded. Before, the first
# request of every (recycled) worker waited about a second for these imports.
get_resolver().url_patterns  # noqa: B018 - evaluated for its import side effect
