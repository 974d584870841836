import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workup.settings")
application = get_wsgi_application()

# Warm what every worker needs before gunicorn forks it (preload_app): the knowledge base and
# its medicine matcher. Nothing user-specific, and no database connection, is made here.
from workup.knowledge.loading import knowledge_base  # noqa: E402

knowledge_base()
