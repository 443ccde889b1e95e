"""Print a new API token for a user: the token is the last line of the output (API.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jiaogong.accounts.models import User
from jiaogong.accounts.services import create_api_token
from jiaogong.core.errors import InvalidInput


class Command(BaseCommand):
    help = "为指定用户生成新的 API 令牌，令牌打印在输出的最后一行（只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="", help="令牌的名称（用途），如“财务对账脚本”")

    def handle(self, *args, username, name="", **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的用户。")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能生成令牌。")
        try:
            token = create_api_token(user, name=name)
        except InvalidInput as e:
            raise CommandError("；".join(e.fields.values())) from None
        self.stdout.write(
            f"已为用户“{username}”生成 API 令牌，{settings.API_TOKEN_DAYS} 天后到期，请妥善保存（只显示这一次）："
        )
        self.stdout.write(token)
