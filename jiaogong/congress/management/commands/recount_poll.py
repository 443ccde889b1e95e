"""Count a closed poll again from its stored ballots and compare with the kept result."""

from django.core.management.base import BaseCommand, CommandError

from jiaogong.congress import voting
from jiaogong.congress.models import Poll
from jiaogong.core.errors import DomainError


class Command(BaseCommand):
    help = "复核计票：按保存的选票重新统计一次表决，并与公布的结果比对（不一致时退出码为 1）。"

    def add_arguments(self, parser):
        parser.add_argument("poll", type=int, help="表决 id")

    def handle(self, *args, poll, **options):
        the_poll = Poll.objects.select_related("congress", "org").filter(pk=poll).first()
        if the_poll is None:
            raise CommandError(f"没有 id 为 {poll} 的表决。")
        try:
            fresh, differences = voting.recount(the_poll)
        except DomainError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"{the_poll.congress.title} · {the_poll.title}")
        self.stdout.write(f"应到 {fresh['total_delegates']}，实到 {fresh['present']}，投票 {fresh['cast']}")
        for option, n in fresh["counts"].items():
            self.stdout.write(f"  {option}: {n}")
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError("复核结果与公布的结果不一致。", returncode=1)
        self.stdout.write("复核一致。")
