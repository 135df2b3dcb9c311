#!/usr/bin/env bash
# The README's backup and restore, done on the demo database and checked:
#   scripts/backup-restore-check.sh PORT
# on the PostgreSQL server scripts/postgres.sh started on PORT. Loads the demo into a database
# of its own, makes its pack Final (so that stored PDFs are among what is restored), dumps it
# with pg_dump, restores the dump into a new database with pg_restore, and compares the two:
# the same migrations, the same rows in every table, every stored file matching its checksum.
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL client programs not found" >&2; exit 1; }
connect=(-h 127.0.0.1 -p "$port" -U bettercare)
base="postgres://bettercare@127.0.0.1:$port"
work=$(mktemp -d /tmp/bettercare-backup.XXXXXX)
cleanup() {
  "$bin/dropdb" "${connect[@]}" --if-exists bettercare_demo
  "$bin/dropdb" "${connect[@]}" --if-exists bettercare_restored
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/createdb" "${connect[@]}" bettercare_demo
export DEBUG=false HTTPS=false DATABASE_URL="$base/bettercare_demo"
unset REDIS_URL  # jobs run here, in-process
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo >/dev/null
# Made Final as the pack's page does it, by its job (run here, in this process).
read -r pack_id user_id < <(.venv/bin/python manage.py shell -v 0 -c "
from django.contrib.auth import get_user_model
from reports.models import Pack
print(Pack.objects.get(board='JCB').pk, get_user_model().objects.get(username='secretary').pk)
")
.venv/bin/python manage.py run_job reports.jobs.pack_finalise \
  "pack_id=$pack_id" number=1 "user_id=$user_id" >/dev/null
.venv/bin/python scripts/restore_fingerprint.py >"$work/before.json"

# The backup, as the README gives it.
"$bin/pg_dump" "${connect[@]}" --format=custom --file="$work/bettercare.dump" bettercare_demo
# The restore, into an empty database.
"$bin/createdb" "${connect[@]}" bettercare_restored
"$bin/pg_restore" "${connect[@]}" --no-owner --exit-on-error --dbname=bettercare_restored \
  "$work/bettercare.dump"

export DATABASE_URL="$base/bettercare_restored"
.venv/bin/python manage.py migrate --check -v 0  # nothing left to apply
.venv/bin/python scripts/restore_fingerprint.py >"$work/after.json"
if ! diff -u "$work/before.json" "$work/after.json"; then
  echo "The restored database differs from the one dumped (above)." >&2
  exit 1
fi
grep -q '"pack .* v1 full": true' "$work/after.json" \
  || { echo "No Final version was restored to check." >&2; exit 1; }
if grep -q '": false' "$work/after.json"; then
  echo "A restored file does not match its checksum." >&2
  exit 1
fi
echo "Backup and restore: $(grep -c '": ' "$work/after.json") facts identical after pg_dump and pg_restore"
