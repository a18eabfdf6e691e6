import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Make sure a local administrator account exists. On first creation, print its user "
        "name and a random password once; later runs leave the account as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="User name (default: admin).")

    def handle(self, *args, username, **options):
        username = username.strip()
        if not username:
            raise CommandError("The user name must not be empty.")
        user_model = get_user_model()
        with transaction.atomic():
            existing = user_model.objects.filter(username=username).first()
            if existing is not None:
                if not existing.is_superuser:
                    raise CommandError(
                        f"A user named {username!r} exists but is not an administrator; "
                        "choose another name with --username."
                    )
                self.stdout.write(
                    f"Administrator {username!r} already exists; its password was printed when "
                    f"it was created (set a new one with: manage.py changepassword {username})."
                )
                return
            password = secrets.token_urlsafe(16)
            user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS("Created a local administrator account. Log in at /admin/ with:")
        )
        self.stdout.write(f"  user name: {username}\n  password:  {password}")
        self.stdout.write("This password is shown only once.")
