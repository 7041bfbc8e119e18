# Indexes that match the public list orders (claims list, API list, ClaimReview feed) and the
# list's commonest filters, so a page is a walk down an index that stops after the page
# instead of a sort of every claim.

from django.conf import settings
from django.db import migrations, models

from lib.migration_operations import AddIndexConcurrentlyOnPostgres, RemoveIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY on PostgreSQL, so a desk with a million claims keeps writing.
    atomic = False

    dependencies = [
        ('claims', '0006_claim_embedding'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        RemoveIndexConcurrentlyOnPostgres(
            model_name='claim',
            name='claim_status_published_idx',
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='claim',
            index=models.Index(fields=['status', '-published_at', '-id'], name='claim_status_published_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='claim',
            index=models.Index(fields=['status', 'verdict', '-published_at', '-id'], name='claim_verdict_list_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='claim',
            index=models.Index(fields=['status', 'language', '-published_at', '-id'], name='claim_language_list_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='claim',
            index=models.Index(fields=['status', '-created_at', '-id'], name='claim_status_created_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='claim',
            index=models.Index(fields=['-created_at', '-id'], name='claim_created_idx'),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name='claim',
            index=models.Index(fields=['status', 'updated_at', 'id'], name='claim_status_updated_idx'),
        ),
    ]
