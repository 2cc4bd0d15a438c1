"""`tipims keys rotate`: re-encrypt every identity field under a new key."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tipims.core import keyrotation


class Command(BaseCommand):
    help = "Encryption keys. 'rotate' puts a new key first and re-encrypts every encrypted field under it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{rotate,check}")
        rotate = sub.add_parser("rotate", help="Re-encrypt everything under a new key.")
        rotate.add_argument(
            "--new-key",
            help="The new Fernet key (default: a fresh one). Required when keys come from the environment.",
        )
        rotate.add_argument(
            "--drop-old",
            action="store_true",
            help="Afterwards keep only the new key (once nothing needs the old ones).",
        )
        sub.add_parser("check", help="Count stored values not yet under the newest key.")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "check":
            stale = keyrotation.stale_values()
            self.stdout.write(f"{stale} encrypted values are not under the newest key")
            if stale:
                raise CommandError("some values still need an old key", returncode=1)
            return
        source = settings.TIPIMS_FIELD_KEYS_SOURCE
        new_key = options["new_key"]
        if source is None and not new_key:
            raise CommandError(
                "TIPIMS_FIELD_KEYS comes from the environment: generate a key, "
                "pass it with --new-key, and set "
                "TIPIMS_FIELD_KEYS to the list this command prints before restarting the application."
            )
        from cryptography.fernet import Fernet

        new_key = new_key or Fernet.generate_key().decode()
        try:
            Fernet(new_key)
        except ValueError:
            raise CommandError("--new-key is not a valid Fernet key (32 url-safe base64 bytes)") from None
        keys = [new_key, *[k for k in settings.TIPIMS_FIELD_KEYS if k != new_key]]
        if source is not None:
            # Durable first: if re-encryption fails half way, every value is still readable.
            keyrotation.write_keys(source, keys)
        result = keyrotation.rotate_field_keys(
            new_key=new_key, progress=lambda label, n: self.stderr.write(f"  {label}: {n} rows re-encrypted…")
        )
        stale = keyrotation.stale_values()
        if stale:
            raise CommandError(
                f"{stale} values are still not under the new key; the old keys were kept", returncode=1
            )
        final = [new_key] if options["drop_old"] else result.keys
        if source is not None:
            keyrotation.write_keys(source, final)
            self.stdout.write(f"keys written to {source}")
        else:
            self.stdout.write("Set TIPIMS_FIELD_KEYS to:\n" + ",".join(final))
        for label, count in result.by_model.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(
            f"rotation complete: {result.values} values under the new key; {len(final)} key(s) kept"
        )
