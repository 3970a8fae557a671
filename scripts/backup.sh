#!/usr/bin/env bash
# Back up TSOC Tracker: the PostgreSQL database (pg_dump custom format) and the media directory
# (generated reports and uploads) as a tarball, both named with the UTC time of the backup.
#
#   DATABASE_URL=postgres://user:pass@host:5432/tsoc MEDIA_ROOT=var/media scripts/backup.sh [DEST_DIR]
#
# DEST_DIR defaults to $BACKUP_DIR, else ./backups. Prints the paths it wrote. Files are written
# under a temporary name and renamed when complete, so a half-written backup never looks whole.
# Restore with scripts/restore.sh; docs/operations.md has the whole procedure.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the database to back up (postgres://user:pass@host:port/name)}"
dest="${1:-${BACKUP_DIR:-backups}}"
media="${MEDIA_ROOT:-var/media}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
# libpq reads postgres:// and postgresql:// URLs; django-environ also allows these spellings.
database_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(psql|pgsql|postgis)://#postgresql://#')"

umask 077
mkdir -p "$dest"
dump="$dest/tsoc-$stamp.dump"
pg_dump --format=custom --no-owner --no-privileges --dbname="$database_url" --file="$dump.partial"
mv "$dump.partial" "$dump"
echo "$dump"

if [ -d "$media" ]; then
  tarball="$dest/tsoc-$stamp-media.tar.gz"
  tar -czf "$tarball.partial" -C "$media" .
  mv "$tarball.partial" "$tarball"
  echo "$tarball"
fi
