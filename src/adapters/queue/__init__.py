"""The job queue on Dramatiq: brokers (Redis, RabbitMQ, in-process) and the publisher the relay uses."""
