"""In-memory adapters of every port: the unit-test doubles, the contract suites' reference, the `test` profile."""
