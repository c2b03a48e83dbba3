"""Settings for the whole suite."""

from hypothesis import HealthCheck, settings

# Hypothesis's deadline fails an example that happened to run while the machine was busy (another test
# worker, a server another test started), and then calls the test flaky: time is not what these
# properties are about. Tests that do bound time measure it themselves.
settings.register_profile("inkwell", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("inkwell")
