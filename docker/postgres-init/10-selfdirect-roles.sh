#!/bin/sh
# Runs once, when the database volume is new: the role that owns the tables (migrations) and the
# role the app serves as (data access only). See README, "Running against your own PostgreSQL".
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$SELFDIRECT_OWNER_PASSWORD" -v app_password="$SELFDIRECT_APP_PASSWORD" <<'SQL'
create role selfdirect_owner login password :'owner_password';
create role selfdirect_app login password :'app_password';
alter database selfdirect owner to selfdirect_owner;
SQL
