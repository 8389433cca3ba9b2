from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from signin.two_factor import DEVICE_NAME


class Command(BaseCommand):
    help = (
        "DEBUG only: give a staff account a second factor with a printed key, and print "
        "the code valid now, so that the demo administrator can enter the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("totp_code only runs with DEBUG=1 (it prints a second factor).")
        from django.contrib.auth import get_user_model

        person = get_user_model().objects.filter(email__iexact=email, is_staff=True).first()
        if person is None:
            raise CommandError("No staff account with this e-mail address.")
        device = TOTPDevice.objects.filter(user=person, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=person, name=DEVICE_NAME, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"Key for an authenticator app: {device.config_url}")
        self.stdout.write(f"Code valid now: {totp.token():0{device.digits}d}")
