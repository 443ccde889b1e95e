"""`GET /healthz`: for the load balancer and the monitor, no login (API.md, "Running it")."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jiaogong.core import ops


@never_cache
@require_GET
def healthz(request):
    healthy, answer = ops.health()
    return JsonResponse(answer, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
