"""casspath api_token create USERNAME --name NAME [--expires-days N] [--as USERNAME]
casspath api_token revoke PREFIX [--as USERNAME]
casspath api_token list [USERNAME]"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casspath.api.actions import do_create_token, do_revoke_token
from casspath.api.models import ApiToken
from casspath.core.cli_actor import acting_user_from_option
from casspath.core.models import User


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"用户不存在 / No such user: {username}") from None


class Command(BaseCommand):
    help = "Create, revoke or list API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print its secret once.")
        create.add_argument("username")
        create.add_argument("--name", required=True)
        create.add_argument("--expires-days", type=int, default=None)
        create.add_argument("--as", dest="as_user", default=None)
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")
        revoke.add_argument("--as", dest="as_user", default=None)
        listing = sub.add_parser("list", help="List tokens (prefixes, never secrets).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action: str, **options):
        if action == "list":
            return self._list(options.get("username"))
        acting_user = acting_user_from_option(options.get("as_user"))
        token: ApiToken | None
        if action == "create":
            days = options["expires_days"]
            if days is not None and days <= 0:
                raise CommandError("--expires-days 须为正数 / --expires-days must be positive")
            expires_at = timezone.now() + timedelta(days=days) if days else None
            try:
                token, secret = do_create_token(_user(options["username"]), options["name"],
                                                expires_at=expires_at, acting_user=acting_user)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stderr.write(f"Token {token.prefix} created for {token.user.username}; "
                              "the secret below is shown only once:")
            self.stdout.write(secret)
        else:
            token = ApiToken.objects.select_related("user").filter(prefix=options["prefix"]).first()
            if token is None:
                raise CommandError(f"没有该前缀的令牌 / No token with prefix {options['prefix']}")
            if do_revoke_token(token, acting_user=acting_user):
                self.stdout.write(f"Token {token.prefix} ({token.user.username}: {token.name}) revoked.")
            else:
                self.stdout.write(f"Token {token.prefix} was already revoked.")

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user=_user(username))
        for token in tokens:
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}\t{token.user.username}\t{token.status}\t{token.name}\t"
                              f"created {token.created_at:%Y-%m-%d}\tlast used {used}")
