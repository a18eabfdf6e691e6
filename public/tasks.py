"""Background jobs of the public site: the data package written by a worker
(``manage.py export_datapackage --background``), so that a long export holds no terminal."""

from django_tasks import task

from public.data_package.writer import remove_unused, write_package


@task()
def export_register_package(directory, origin, keep):
    """Write a data package into ``directory`` on the worker's machine; what was written."""
    written = write_package(directory, origin)
    remove_unused(directory, keep)
    return {"package": str(written.path), "size": written.size, "sha256": written.sha256}
