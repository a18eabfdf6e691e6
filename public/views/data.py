"""``/data/``: the whole register as one download, the newest data package written by
``manage.py export_datapackage``, with its date, size and SHA-256 and the data's licence;
``/data/<file>``: the package itself."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.views.generic import TemplateView

from public.data_package.writer import FILE_PATTERN, latest_package
from public.licence import DATA_LICENCE


class DataView(TemplateView):
    template_name = "public/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["package"] = latest_package(settings.DATA_PACKAGE_DIR)
        context["licence"] = DATA_LICENCE
        return context


def package_file(request, filename):
    """A package of the folder by its file name; 404 for any other name."""
    path = Path(settings.DATA_PACKAGE_DIR) / filename
    if not FILE_PATTERN.match(filename) or not path.is_file():
        raise Http404("No data package has this name.")
    return FileResponse(path.open("rb"), as_attachment=True, content_type="application/zip")
