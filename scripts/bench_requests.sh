#!/usr/bin/env bash
# Throughput of GET /api/user and GET /api/articles for one source tree, to compare two commits in one sitting:
# scripts/bench_requests.sh TREE PORT (TREE has its own .venv; production profile on the local PostgreSQL and Redis,
# one uvicorn worker, wrk -t2 -c64 -d10s after a 3 s warm-up). A benchmark: it prints figures, asserts nothing.
set -e
tree=$1; port=$2; db=inkwell_rb_$port
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db" -c "create database $db" >/dev/null 2>&1
export INKWELL_PROFILE=production DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/$db REDIS_URL=redis://127.0.0.1:6379/0 JWT_SECRET=$(printf 'x%.0s' {1..40}) PASSWORD_PEPPER=$(printf 'y%.0s' {1..40}) BCRYPT_ROUNDS=4 LOG_LEVEL=WARNING
cd $tree; .venv/bin/inkwell migrate >/dev/null
.venv/bin/inkwell serve --port $port > /tmp/rb-$port.log 2>&1 &
pid=$!
for i in $(seq 1 60); do curl -s localhost:$port/health/live >/dev/null && break; sleep 0.5; done
tok=$(curl -s -X POST localhost:$port/api/users -H 'content-type: application/json' -d '{"user":{"username":"jake","email":"jake@example.com","password":"correct horse battery"}}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["user"]["token"])')
for n in $(seq 1 20); do curl -s -o /dev/null -X POST localhost:$port/api/articles -H "Authorization: Token $tok" -H 'content-type: application/json' -d "{\"article\":{\"title\":\"t$n\",\"description\":\"d\",\"body\":\"b\",\"tagList\":[\"x\"]}}"; done
wrk -t2 -c64 -d3s -H "Authorization: Token $tok" http://127.0.0.1:$port/api/user >/dev/null
u=$(wrk -t2 -c64 -d10s -H "Authorization: Token $tok" http://127.0.0.1:$port/api/user | awk '/Requests\/sec/{print $2}')
a=$(wrk -t2 -c64 -d10s http://127.0.0.1:$port/api/articles | awk '/Requests\/sec/{print $2}')
echo "$tree user=$u articles=$a"
kill $pid; wait $pid 2>/dev/null || true
psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db WITH (FORCE)" >/dev/null 2>&1
