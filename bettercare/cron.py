"""The schedule of recurring jobs, for RQ's scheduler: `python manage.py rqcron bettercare.cron`
(one scheduler for the whole installation; the workers run what it enqueues).

Each app declares its recurring jobs in its AppConfig as `scheduled_jobs`, a mapping of job
name (`app.jobs.function`, marked @background_job) to a cron expression in UTC. The same
schedule can be kept by cron(8) instead, one line per job:

    30 2 * * *  cd /srv/bettercare && .venv/bin/python manage.py run_job \
        bettercare.jobs.housekeeping

`python manage.py run_job --list` prints the schedule as crontab lines.
"""

from django.conf import settings
from rq import cron

from bettercare.jobs import run_scheduled, scheduled_jobs

for name, expression in scheduled_jobs().items():
    cron.register(
        run_scheduled, settings.JOBS["QUEUE"], args=(name,), cron=expression, name=name
    )
