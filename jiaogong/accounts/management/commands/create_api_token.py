"""Print a new API token for a user: the token is the last line of the output (API.md)."""

from django.core.management.base import BaseCommand, CommandError

from jiaogong.accounts.models import User
from jiaogong.accounts.services import create_api_token


class Command(BaseCommand):
    help = "为指定用户生成新的 API 令牌，令牌打印在输出的最后一行（只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的用户。")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能生成令牌。")
        token = create_api_token(user)
        self.stdout.write(f"已为用户“{username}”生成 API 令牌，请妥善保存（只显示这一次）：")
        self.stdout.write(token)
