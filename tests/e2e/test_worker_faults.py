"""The worker half under failure: nothing acknowledged is lost, nothing runs twice, no 500 reaches a caller.

Each test takes one dependency away (the SMTP server, a worker, Redis, the broker) and brings it back."""

import asyncio
import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from adapters.queue.brokers import redis_broker
from adapters.queue.dramatiq_queue import DramatiqJobQueue
from application.jobs.catalog import JOB_TYPES
from application.ports.jobs import JobTicket
from domain.ids import JobId
from tests.e2e.production import bearer, log_in, production_stack, register, wait_for_mails
from tests.services import REDIS_URL, address
from tests.smtp_sink import free_port, smtp_sink
from tests.tcp_proxy import tcp_proxy

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]
FAST_RETRIES = {"JOB_MAX_ATTEMPTS": "3", "JOB_MIN_BACKOFF_SECONDS": "0.2", "JOB_MAX_BACKOFF_SECONDS": "0.4"}


def test_mail_outlasts_an_smtp_outage_as_a_dead_job_an_admin_requeues(tmp_path: Path) -> None:
    down_port = free_port()
    with smtp_sink() as unused, production_stack(tmp_path, "redis", unused, SMTP_PORT=str(down_port),
                                                 **FAST_RETRIES) as stack:
        stack.create_admin("operator")
        with stack.worker(), stack.serve() as http:
            register(http, "patient")
            dead = stack.wait_for_job("send_verification_mail", "dead", owner="patient")
            assert dead["attempts"] == 3 and "smtp" in dead["last_error"].lower()
            started = time.perf_counter()
            assert http.get("/api/tags").status_code == 200  # the API never waited on the mail server
            assert log_in(http, "patient").status_code == 200
            assert time.perf_counter() - started < 2
            admin = log_in(http, "operator").json()["user"]["token"]
            listed = http.get("/api/admin/jobs?status=dead", headers=bearer(admin)).json()
            assert str(dead["id"]) in [job["id"] for job in listed["jobs"]]
            assert all(job["status"] == "dead" for job in listed["jobs"])
            with smtp_sink(port=down_port) as sink:
                requeued = http.post(f"/api/admin/jobs/{dead['id']}/requeue", headers=bearer(admin))
                assert requeued.status_code == 202 and requeued.json()["job"]["status"] == "queued"
                stack.wait_for_job("send_verification_mail", "succeeded", owner="patient")
                time.sleep(0.5)
                assert [m["To"] for m in sink.messages if m["To"] == "patient@example.com"] == ["patient@example.com"]


def test_a_job_whose_worker_is_killed_mid_run_runs_again_and_completes(tmp_path: Path) -> None:
    with smtp_sink() as sink, production_stack(tmp_path, "redis", sink, JOB_LEASE_SECONDS="2") as stack:
        sink.data_delay = 30  # the first attempt hangs in the mail server until its worker dies
        with stack.serve() as http:
            doomed = stack.start_worker()
            register(http, "survivor")
            running = stack.wait_for_job("send_verification_mail", "running")
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait(timeout=10)
            sink.data_delay = 0
            with stack.worker():
                done = stack.wait_for_job("send_verification_mail", "succeeded", timeout=30)
        assert done["id"] == running["id"] and done["attempts"] == 2
        assert [mail["To"] for mail in sink.messages] == ["survivor@example.com"]


def test_a_job_delivered_three_times_mails_once(tmp_path: Path) -> None:
    with smtp_sink() as sink, production_stack(tmp_path, "redis", sink) as stack:
        with stack.serve() as http:
            register(http, "twice")  # no worker yet: the job waits, unpublished, in the table
        [job] = stack.jobs()
        prefix = stack.env["JOB_QUEUE_PREFIX"]
        queues = {name: f"{prefix}-{job_type.queue}" for name, job_type in JOB_TYPES.items()}
        broker = redis_broker(REDIS_URL, namespace=prefix)
        ticket = JobTicket(JobId(uuid.UUID(str(job["id"]))), job["type"])
        asyncio.run(DramatiqJobQueue(broker, queues).publish([ticket, ticket]))  # two stray copies…
        broker.close()
        with stack.worker(threads=8):  # …and the relay publishes the job a third time
            wait_for_mails(sink, 1)
            time.sleep(1.5)
        assert len(sink.messages) == 1
        [job] = stack.jobs()
        assert (job["status"], job["attempts"]) == ("succeeded", 1)


def test_jobs_wait_in_the_table_while_the_broker_is_down(tmp_path: Path) -> None:
    with smtp_sink() as sink, tcp_proxy(*address(REDIS_URL)) as redis, \
            production_stack(tmp_path, "redis", sink) as stack, stack.serve() as http, \
            stack.worker(REDIS_URL=redis.url(REDIS_URL)):
        redis.down()
        for name in ("first", "second"):
            register(http, name)  # the API's own Redis is not the one that is down
        time.sleep(1.5)
        assert [job["published_at"] for job in stack.jobs()] == [None, None]
        assert sink.messages == []
        redis.up()
        mails = wait_for_mails(sink, 2, timeout=40)
        assert sorted(mail["To"] for mail in mails) == ["first@example.com", "second@example.com"]


def test_registration_during_a_redis_outage_leaves_nothing_behind(tmp_path: Path) -> None:
    body = {"user": {"username": "unlucky", "email": "unlucky@example.com", "password": "a long passphrase"}}
    with smtp_sink() as sink, tcp_proxy(*address(REDIS_URL)) as redis, \
            production_stack(tmp_path, "redis", sink) as stack, \
            stack.serve(REDIS_URL=redis.url(REDIS_URL)) as http:
        redis.down()
        refused = http.post("/api/users", json=body)
        assert refused.status_code == 503
        assert refused.json() == {"errors": {"service": ["is temporarily unavailable"]}}
        assert stack.users() == 0 and stack.jobs() == []
        redis.up()
        deadline = time.monotonic() + 15
        retried = http.post("/api/users", json=body)
        while retried.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
            retried = http.post("/api/users", json=body)
        assert retried.status_code == 201, retried.text
        assert stack.users() == 1 and [job["type"] for job in stack.jobs()] == ["send_verification_mail"]
