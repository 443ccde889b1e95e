from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def insert_one(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (note) VALUES (%s)", [request.body[:20].decode() or "x"])
    return HttpResponse(status=201)


urlpatterns = [path("bare/", insert_one)]
