#!/usr/bin/env bash
# Restore a TSOC Tracker backup made by scripts/backup.sh.
#
#   DATABASE_URL=postgres://user:pass@host:5432/tsoc_new scripts/restore.sh [--clean] DUMP [MEDIA_TARBALL]
#
# Restores DUMP into the database DATABASE_URL names, in a single transaction: if anything fails,
# nothing is restored. The target should be a new, empty database (createdb); --clean drops the
# objects of an existing one first. With MEDIA_TARBALL, unpacks it into MEDIA_ROOT (default
# var/media). Run `python manage.py migrate` afterwards when restoring into a newer release.
set -euo pipefail

clean=()
if [ "${1:-}" = "--clean" ]; then
  clean=(--clean --if-exists)
  shift
fi
dump="${1:?usage: scripts/restore.sh [--clean] DUMP [MEDIA_TARBALL]}"
tarball="${2:-}"
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
media="${MEDIA_ROOT:-var/media}"
database_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(psql|pgsql|postgis)://#postgresql://#')"

pg_restore "${clean[@]}" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$database_url" "$dump"
echo "restored $dump"

if [ -n "$tarball" ]; then
  mkdir -p "$media"
  tar -xzf "$tarball" -C "$media"
  echo "unpacked $tarball into $media"
fi
