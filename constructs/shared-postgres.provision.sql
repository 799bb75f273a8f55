-- One consumer's role and database on the shared Postgres; safe to run any number of times.
-- psql variables: role, database (names from the homelab description); the password comes
-- from the environment (KITE_PASSWORD, via \getenv: psql 15+), never from the command line.
\set ON_ERROR_STOP on
\getenv password KITE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')\gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database')\gexec
ALTER DATABASE :"database" OWNER TO :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT ALL ON DATABASE :"database" TO :"role";
